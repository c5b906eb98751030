"""DCAT output with the portal's guarantees, shared by the views, actions and dump.

- Only public, active datasets are ever serialized (:func:`public_fq`), whoever
  asks: searches run without the caller's identity.
- Catalogue pages are sorted on a key that does not change when a dataset is
  edited (creation time, then id), so paging is stable while a harvester pages.
- No stored value breaks an output: IRIs and literals that some syntax
  cannot write are mended (:mod:`ckanext.nd47.dcat.iri`), and a dataset that
  still fails is logged and left out of its page or of the dump.
- A serializer of each list of profiles is made once per process and copied
  for each output (with a graph of its own): ckanext-dcat looks profiles up
  in the installed packages' entry points whenever a serializer is made (a
  scan of every distribution's metadata, ~50 ms, more than serializing one
  dataset). This keeps code, not data: nothing request-specific.
- Each output reads each agency once and keeps nothing afterwards
  (:func:`ckanext.nd47.dcat.profile.agencies_read_once`).

ckanext-dcat is used through its public API only: ``RDFSerializer`` (its
constructor, ``g``, ``graph_from_dataset``, ``graph_from_catalog``) and the
profiles; the Hydra paging triples are written here.
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import rdflib
from ckan.lib.search import SearchError  # not in the toolkit
from ckanext.dcat.exceptions import RDFProfileException
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT, RDF
from ckanext.dcat.utils import url_to_rdflib_format
from dateutil.parser import parse as parse_date
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.plugin import PluginException
from rdflib.plugin import get as rdflib_plugin
from rdflib.serializer import Serializer as RdflibSerializer
from rdflib.term import Node

from ckanext.nd47.dcat.iri import repair
from ckanext.nd47.dcat.profile import ELI, PROV, agencies_read_once
from ckanext.nd47.dcat.terms import nd47_namespace
from ckanext.nd47.dcat.turtle import serialize_turtle
from ckanext.nd47.logic.rules import OPEN_SHARING_CLASS, is_open_public

__all__ = [
    "HYDRA",
    "PAGE_SORT",
    "add_paging",
    "catalog_graph",
    "check_format",
    "dataset_graph",
    "iter_public_datasets",
    "iter_public_index",
    "pagination_info",
    "public_fq",
    "search_public",
    "serialize_catalog",
    "serialize_dataset",
    "serializer",
]

log = logging.getLogger(__name__)

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

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
    try:
        result = tk.get_action("package_search")({"ignore_auth": True}, data_dict)
    except SearchError as e:
        raise tk.ValidationError(
            {"q": [tk._("The search query (q, fq) is not valid: %s") % (q or fq or "")]}
        ) from e
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


def iter_public_index(rows: int = 1000) -> Iterator[dict[str, Any]]:
    """Id, ``metadata_modified`` and ``owner_org`` (the agency's name: Solr
    does not store its id) of every public open dataset, in the stable order,
    page by page: what the dump needs to know which of its records are still
    current, without reading whole datasets.

    Solr's filters (:func:`public_fq`) decide; a dataset's full dict is
    checked again when it is serialized.
    """
    start = 0
    while True:
        data_dict = {
            "q": "*:*",
            "fq_list": public_fq(),
            "fl": ["id", "metadata_modified", "organization"],
            "rows": rows,
            "start": start,
            "sort": PAGE_SORT,
            "include_private": False,
            "include_drafts": False,
        }
        result = tk.get_action("package_search")({"ignore_auth": True}, data_dict)
        for found in result["results"]:
            yield {
                "id": found["id"],
                "metadata_modified": found.get("metadata_modified"),
                "owner_org": found.get("organization"),
            }
        start += rows
        if start >= result["count"] or not result["results"]:
            return


def serializer(profiles: list[str] | None = None) -> RDFSerializer:
    """A ckanext-dcat serializer of ``profiles`` (default: the configured ones)
    with an empty graph of its own."""
    names = tuple(profiles or tk.aslist(tk.config.get("ckanext.dcat.rdf.profiles")))
    compatibility = tk.asbool(tk.config.get("ckanext.dcat.compatibility_mode"))
    try:
        prototype = _prototype(names, compatibility)
    except RDFProfileException as e:
        raise tk.ValidationError({"profiles": [str(e)]}) from e
    made = copy.copy(prototype)
    made.g = rdflib.Graph(bind_namespaces="core")
    return made


@functools.lru_cache(maxsize=16)
def _prototype(profiles: tuple[str, ...], compatibility_mode: bool) -> RDFSerializer:
    return RDFSerializer(profiles=list(profiles), compatibility_mode=compatibility_mode)


def add_paging(graph: rdflib.Graph, paging: dict[str, Any]) -> Node:
    """Hydra paging of a catalogue page, as ckanext-dcat writes it (current and
    deprecated terms alike, so every harvester version follows the pages)."""
    graph.bind("hydra", HYDRA)
    ref: Node = URIRef(paging["current"]) if paging.get("current") else BNode()
    graph.add((ref, RDF.type, HYDRA.PagedCollection))
    for key, predicates in (
        ("next", (HYDRA.nextPage, HYDRA.next)),
        ("previous", (HYDRA.previousPage, HYDRA.previous)),
        ("first", (HYDRA.firstPage, HYDRA.first)),
        ("last", (HYDRA.lastPage, HYDRA.last)),
        ("count", (HYDRA.totalItems,)),
        ("items_per_page", (HYDRA.itemsPerPage,)),
    ):
        if paging.get(key):
            for predicate in predicates:
                graph.add((ref, predicate, Literal(paging[key])))
    return ref


def _rdflib_format(fmt: str | None) -> str:
    return url_to_rdflib_format(fmt or "xml") or "xml"


def check_format(fmt: str | None) -> None:
    """Refuse a format rdflib cannot write (before any work is done)."""
    try:
        rdflib_plugin(_rdflib_format(fmt), RdflibSerializer)
    except PluginException as e:
        raise tk.ValidationError({"format": [tk._("Unknown RDF format: %s") % fmt]}) from e


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
    rdf_serializer: RDFSerializer, dataset_dict: dict[str, Any], mend: bool = True
) -> tuple[rdflib.Graph, Node]:
    """The graph of one dataset alone (the serializer's graph is replaced).

    ``mend=False`` leaves IRIs and literals as the profiles wrote them, for a
    caller that mends them itself (the dump, while it converts the terms).
    """
    rdf_serializer.g = rdflib.Graph(bind_namespaces="core")
    ref = rdf_serializer.graph_from_dataset(dataset_dict)
    if mend:
        repair(rdf_serializer.g, f"dataset {dataset_dict.get('id')}")
    return rdf_serializer.g, ref


def serialize_dataset(
    dataset_dict: dict[str, Any], fmt: str | None, profiles: list[str] | None = None
) -> str:
    """One dataset; refuses anything that is not public and open."""
    if not is_open_public(dataset_dict):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    with agencies_read_once():
        graph, _ref = dataset_graph(serializer(profiles), dataset_dict)
    return _serialize(graph, fmt)


def catalog_graph(
    dataset_dicts: Iterable[dict[str, Any]],
    pagination_info: dict[str, Any] | None = None,
    profiles: list[str] | None = None,
) -> rdflib.Graph:
    """The graph of a catalogue page; a dataset that cannot be serialized is
    logged and left out, never the page."""
    datasets = [d for d in dataset_dicts if is_open_public(d)]
    while True:
        rdf_serializer = serializer(profiles)
        page = rdf_serializer.g
        with agencies_read_once():
            catalog_ref = rdf_serializer.graph_from_catalog({})
            _bind(page)
            for dataset_dict in datasets:
                try:
                    ref = rdf_serializer.graph_from_dataset(dataset_dict)
                except Exception:
                    log.exception("DCAT: dataset %s left out of the page", dataset_dict.get("id"))
                    # Its triples are partly in the page graph: build it again without it.
                    datasets = [d for d in datasets if d is not dataset_dict]
                    break
                page.add((catalog_ref, DCAT.dataset, ref))
            else:
                break
    repair(page, "a catalogue page")
    if pagination_info:
        add_paging(page, pagination_info)
    return page


def serialize_catalog(
    dataset_dicts: Iterable[dict[str, Any]],
    fmt: str | None,
    pagination_info: dict[str, Any] | None = None,
    profiles: list[str] | None = None,
) -> str:
    """A catalogue page in ``fmt``."""
    return _serialize(catalog_graph(dataset_dicts, pagination_info, profiles), fmt)
