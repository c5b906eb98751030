"""DCAT output with the portal's guarantees, shared by the views, actions and dump.

- Only public, active datasets are ever serialized (:func:`public_fq`), whoever
  asks: searches run without the caller's identity.
- Catalogue pages are sorted on a key that does not change when a dataset is
  edited (creation time, then id), so paging is stable while a harvester pages.
- The stock profile rescans the whole graph for ``dcat:byteSize`` after every
  dataset it adds, which makes a page cost grow with the square of its size;
  the page graph (:class:`PageGraph`) answers that one query with the
  distributions of the dataset being added only (the earlier ones are already
  converted), so the output is identical and the cost linear.
- Profile classes are resolved once per process: ckanext-dcat looks them up
  in the installed packages' entry points on every request (a scan of every
  distribution's metadata, a third of the cost of serializing one dataset).
  This caches code, not data, so it keeps nothing request-specific in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import rdflib
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT, CleanedURIRef
from ckanext.dcat.utils import resource_uri, url_to_rdflib_format
from dateutil.parser import parse as parse_date
from rdflib import URIRef
from rdflib.term import Node

from ckanext.nd47.dcat.profile import ELI, PROV, nd47_namespace
from ckanext.nd47.dcat.turtle import serialize_turtle
from ckanext.nd47.logic.rules import OPEN_SHARING_CLASS, is_open_public

__all__ = [
    "PAGE_SORT",
    "PageGraph",
    "Serializer",
    "dataset_graph",
    "iter_public_datasets",
    "pagination_info",
    "public_fq",
    "search_public",
    "serialize_catalog",
    "serialize_dataset",
]

# Stable order for paging: creation time never changes, id breaks ties.
PAGE_SORT = "metadata_created asc, id asc"


def public_fq() -> list[str]:
    """Solr filters that keep only public, active, open datasets."""
    return [
        "+capacity:public",
        "+state:active",
        f"+extras_sharing_class:{OPEN_SHARING_CLASS}",
        "-dataset_type:harvest",
        "-dataset_type:showcase",
    ]


def search_public(
    page: int = 1,
    rows: int | None = None,
    modified_since: str | None = None,
    q: str | None = None,
    fq: str | None = None,
) -> dict[str, Any]:
    """One page of public datasets, in the stable order, without the caller's identity."""
    if rows is None:
        rows = int(tk.config.get("ckanext.dcat.datasets_per_page"))
    fq_list = public_fq()
    if modified_since:
        try:
            since = parse_date(modified_since).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        except (ValueError, OverflowError) as e:
            raise tk.ValidationError(
                {"modified_since": [tk._("Wrong modified date format. Use ISO-8601 format")]}
            ) from e
        fq_list.append(f"metadata_modified:[{since} TO *]")
    data_dict: dict[str, Any] = {
        "q": q or "*:*",
        "fq": fq or "",
        "fq_list": fq_list,
        "rows": rows,
        "start": rows * (page - 1),
        "sort": PAGE_SORT,
        "include_private": False,
        "include_drafts": False,
    }
    # A fresh context: never the logged-in user's private or draft datasets.
    result = tk.get_action("package_search")({"ignore_auth": True}, data_dict)
    result["results"] = [d for d in result["results"] if is_open_public(d)]
    return result


def pagination_info(
    query: dict[str, Any], data_dict: dict[str, Any], page: int, rows: int
) -> dict[str, Any]:
    """Hydra paging of a catalogue page (works inside and outside a request)."""
    from urllib.parse import urlencode

    fmt = data_dict.get("format") or "rdf"
    path = f"/catalog.{fmt}"
    try:
        path = tk.request.path
    except RuntimeError:
        pass
    base = tk.config.get("ckan.site_url").rstrip("/") + path
    kept = {k: data_dict[k] for k in ("modified_since", "q", "fq") if data_dict.get(k)}

    def url(n: int) -> str:
        return f"{base}?{urlencode(dict(kept, page=n))}"

    last = max(1, -(-query["count"] // rows))
    info: dict[str, Any] = {
        "count": query["count"],
        "items_per_page": rows,
        "current": url(page),
        "first": url(1),
        "last": url(last),
    }
    if page > 1:
        info["previous"] = url(page - 1)
    if page < last:
        info["next"] = url(page + 1)
    return info


def iter_public_datasets(rows: int = 100) -> Iterator[dict[str, Any]]:
    """Every public open dataset, page by page (never the whole list in memory)."""
    page = 1
    while True:
        result = search_public(page=page, rows=rows)
        yield from result["results"]
        if page * rows >= result["count"] or not result["results"]:
            return
        page += 1


class Serializer(RDFSerializer):
    """ckanext-dcat's serializer with the entry-point lookup of profiles cached."""

    def _load_profiles(self, profile_names: list[str]) -> list[type]:
        return list(_profile_classes(tuple(profile_names)))


@functools.lru_cache(maxsize=16)
def _profile_classes(profile_names: tuple[str, ...]) -> tuple[type, ...]:
    return tuple(RDFSerializer._load_profiles(None, list(profile_names)))  # type: ignore[arg-type]


class PageGraph(rdflib.Graph):
    """A catalogue page on which the per-dataset ``dcat:byteSize`` pass of
    ``euro_dcat_ap_3`` sees only the distributions of the current dataset."""

    current: tuple[URIRef, ...] | None = None

    def triples(self, triple: Any) -> Any:  # type: ignore[override]
        # A plain function, not a generator: every lookup of the profiles and
        # of the serializers goes through here.
        s, p, o = triple
        if s is None and self.current is not None and p == DCAT.byteSize:
            # Materialized: the caller removes and adds while iterating.
            base = rdflib.Graph.triples
            return iter([t for dist in self.current for t in base(self, (dist, p, o))])
        return rdflib.Graph.triples(self, triple)


def _rdflib_format(fmt: str | None) -> str:
    return url_to_rdflib_format(fmt or "xml") or "xml"


def _serialize(graph: rdflib.Graph, fmt: str | None) -> str:
    rdf_format = _rdflib_format(fmt)
    if rdf_format == "json-ld":
        return graph.serialize(format=rdf_format, auto_compact=True)
    if rdf_format == "turtle":
        return serialize_turtle(graph).decode("utf-8")
    return graph.serialize(format=rdf_format)


def _bind(graph: rdflib.Graph) -> None:
    graph.bind("nd47", nd47_namespace())
    graph.bind("prov", PROV)
    graph.bind("eli", ELI)


def dataset_graph(
    serializer: RDFSerializer, dataset_dict: dict[str, Any]
) -> tuple[rdflib.Graph, Node]:
    """The graph of one dataset alone (the serializer's graph is replaced)."""
    serializer.g = rdflib.Graph(bind_namespaces="core")
    ref = serializer.graph_from_dataset(dataset_dict)
    return serializer.g, ref


def serialize_dataset(
    dataset_dict: dict[str, Any], fmt: str | None, profiles: list[str] | None = None
) -> str:
    """One dataset; refuses anything that is not public and open."""
    if not is_open_public(dataset_dict):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    serializer = Serializer(profiles=profiles)
    graph, _ref = dataset_graph(serializer, dataset_dict)
    return _serialize(graph, fmt)


def serialize_catalog(
    dataset_dicts: Iterable[dict[str, Any]],
    fmt: str | None,
    pagination_info: dict[str, Any] | None = None,
    profiles: list[str] | None = None,
) -> str:
    """A catalogue page: its cost grows linearly with the number of datasets."""
    serializer = Serializer(profiles=profiles)
    page = PageGraph(bind_namespaces="core")
    serializer.g = page
    catalog_ref = serializer.graph_from_catalog({})
    _bind(page)
    for dataset_dict in dataset_dicts:
        if not is_open_public(dataset_dict):
            continue
        page.current = tuple(
            CleanedURIRef(resource_uri(r)) for r in dataset_dict.get("resources", [])
        )
        ref = serializer.graph_from_dataset(dataset_dict)
        page.current = None
        page.add((catalog_ref, DCAT.dataset, ref))
    if pagination_info:
        serializer._add_pagination_triples(pagination_info)
    return _serialize(page, fmt)
