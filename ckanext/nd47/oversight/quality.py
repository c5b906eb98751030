"""Metadata quality: data.europa.eu's Metadata Quality Assessment (405 points).

The score is computed from the dataset's own DCAT output: the dataset is
serialized with ckanext-dcat's ``RDFSerializer`` and the configured profiles
(``ckanext.dcat.rdf.profiles``), and every indicator is read from that graph,
so a field the export loses also loses its points.

Dataset-level indicators give all or none of their points. Distribution-level
indicators (marked ``per_distribution``) give their points in proportion to
the share of distributions that meet them, rounded to whole points.
Accessibility reads the newest link-check results (``linkcheck``): a URL not
checked yet earns nothing until it is.

DCAT-AP conformance (30 points): when ``pyshacl`` is installed and
``ckanext.nd47.oversight.shacl_shapes`` names shape files, the graph is
validated against them (method ``shacl``); otherwise the DCAT-AP 3 mandatory
properties are checked — a dataset with ``dct:title`` and ``dct:description``
and every distribution with ``dcat:accessURL`` (method
``required-properties``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS

from ckanext.nd47 import vocab

__all__ = [
    "BANDS",
    "DIMENSIONS",
    "INDICATORS",
    "MAX_SCORE",
    "Assessment",
    "Indicator",
    "assess",
    "band",
    "dataset_graph",
    "fixes",
]

MAX_SCORE = 405
# (band, lowest score), best first
BANDS: tuple[tuple[str, int], ...] = (
    ("excellent", 351),
    ("good", 221),
    ("sufficient", 121),
    ("bad", 0),
)
DIMENSIONS: tuple[str, ...] = (
    "findability",
    "accessibility",
    "interoperability",
    "reusability",
    "contextuality",
)

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
IANA_MEDIA_TYPES = ("http://www.iana.org/assignments/media-types/", "https://www.iana.org/")


@dataclasses.dataclass(frozen=True)
class Indicator:
    """One MQA indicator: its dimension, points, level and the hint shown when it fails."""

    code: str
    dimension: str
    points: int
    per_distribution: bool
    label: str
    fix: str


def N_(text: str) -> str:  # noqa: N802
    # marks a msgid for extraction; translated where it is shown (fixes())
    return text


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keyword", "findability", 30, False, N_("Keywords"), N_("Add keywords (tags).")),
    Indicator("theme", "findability", 30, False, N_("Themes"), N_("Choose at least one theme.")),
    Indicator(
        "spatial",
        "findability",
        20,
        False,
        N_("Spatial coverage"),
        N_("Give the administrative units or the spatial coverage."),
    ),
    Indicator(
        "temporal",
        "findability",
        20,
        False,
        N_("Temporal coverage"),
        N_("Give the period the data covers (start and end)."),
    ),
    Indicator(
        "access_url_status",
        "accessibility",
        50,
        True,
        N_("Access URL answers"),
        N_("Repair the resource links that do not answer (see broken links)."),
    ),
    Indicator(
        "download_url",
        "accessibility",
        20,
        True,
        N_("Download URL given"),
        N_("Give a direct download URL for every resource."),
    ),
    Indicator(
        "download_url_status",
        "accessibility",
        30,
        True,
        N_("Download URL answers"),
        N_("Repair the download URLs that do not answer."),
    ),
    Indicator(
        "format", "interoperability", 20, True, N_("Format"), N_("Give each resource's format.")
    ),
    Indicator(
        "media_type",
        "interoperability",
        10,
        True,
        N_("Media type"),
        N_("Give each resource's media type (e.g. text/csv)."),
    ),
    Indicator(
        "vocabulary",
        "interoperability",
        10,
        True,
        N_("Format from a vocabulary"),
        N_("Choose the format from the file-type list."),
    ),
    Indicator(
        "non_proprietary",
        "interoperability",
        20,
        True,
        N_("Non-proprietary format"),
        N_("Publish the data in an open format (e.g. CSV instead of XLS)."),
    ),
    Indicator(
        "machine_readable",
        "interoperability",
        20,
        True,
        N_("Machine-readable format"),
        N_("Publish the data in a machine-readable format (CSV, JSON, XML)."),
    ),
    Indicator(
        "dcat_ap",
        "interoperability",
        30,
        False,
        N_("DCAT-AP conformance"),
        N_("Fill the required DCAT-AP fields (title, description, resource access URL)."),
    ),
    Indicator("licence", "reusability", 20, True, N_("Licence"), N_("Choose a licence.")),
    Indicator(
        "known_licence",
        "reusability",
        10,
        True,
        N_("Known licence"),
        N_("Choose a licence from the portal's licence list."),
    ),
    Indicator(
        "access_rights",
        "reusability",
        10,
        False,
        N_("Access rights"),
        N_("Choose the sharing class (it sets the access rights)."),
    ),
    Indicator(
        "access_rights_vocabulary",
        "reusability",
        5,
        False,
        N_("Access rights from a vocabulary"),
        N_("Choose the sharing class from its list."),
    ),
    Indicator(
        "contact_point",
        "reusability",
        20,
        False,
        N_("Contact point"),
        N_("Give a contact point (name and e-mail)."),
    ),
    Indicator("publisher", "reusability", 10, False, N_("Publisher"), N_("Choose the agency.")),
    Indicator(
        "rights",
        "contextuality",
        5,
        True,
        N_("Rights statement"),
        N_("Give each resource's rights statement."),
    ),
    Indicator(
        "byte_size",
        "contextuality",
        5,
        True,
        N_("File size"),
        N_("Give each resource's size in bytes."),
    ),
    Indicator("issued", "contextuality", 5, False, N_("Issue date"), N_("Give the issue date.")),
    Indicator(
        "modified",
        "contextuality",
        5,
        False,
        N_("Modification date"),
        N_("Give the date the data last changed."),
    ),
)
_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@dataclasses.dataclass
class Assessment:
    """The outcome of scoring one dataset."""

    score: int
    band: str
    dimensions: dict[str, int]
    indicators: dict[str, int]
    conformance_method: str


def band(score: int) -> str:
    """The band of a score: excellent, good, sufficient or bad."""
    for name, lowest in BANDS:
        if score >= lowest:
            return name
    return "bad"


def dataset_graph(dataset_dict: dict[str, Any]) -> tuple[rdflib.Graph, URIRef]:
    """The dataset's DCAT graph through ckanext-dcat's serializer and the configured profiles."""
    from ckanext.dcat.processors import RDFSerializer

    serializer = RDFSerializer()
    ref = serializer.graph_from_dataset(dataset_dict)
    return serializer.g, ref


def _uri(node: Any) -> str:
    return str(node) if isinstance(node, URIRef) else ""


@functools.lru_cache(maxsize=4)
def _shapes(paths: tuple[str, ...]) -> rdflib.Graph:
    # parsed once per process: shape files are configuration, not data
    shacl = rdflib.Graph()
    for path in paths:
        shacl.parse(path, format="turtle")
    return shacl


def _conformance(graph: rdflib.Graph, ref: URIRef, dists: list[Any]) -> tuple[bool, str]:
    shapes = tk.aslist(tk.config.get("ckanext.nd47.oversight.shacl_shapes"))
    if shapes:
        try:
            from pyshacl import validate
        except ImportError:
            validate = None
        if validate is not None:
            conforms, _results, _text = validate(
                graph, shacl_graph=_shapes(tuple(shapes)), inference="none", advanced=False
            )
            return bool(conforms), "shacl"
    ok = bool(graph.value(ref, DCTERMS.title)) and bool(graph.value(ref, DCTERMS.description))
    ok = ok and all(graph.value(dist, DCAT.accessURL) is not None for dist in dists)
    return ok, "required-properties"


def _file_type(graph: rdflib.Graph, dist: Any) -> vocab.Term | None:
    fmt = _uri(graph.value(dist, DCTERMS["format"]))
    return vocab.by_uri("file_type", fmt) if fmt else None


def _distribution_tests(
    graph: rdflib.Graph, ref: URIRef, link_ok: Callable[[str], bool]
) -> dict[str, Callable[[Any], bool]]:
    dataset_licence = graph.value(ref, DCTERMS.license)

    def licence(dist: Any) -> Any:
        return graph.value(dist, DCTERMS.license) or dataset_licence

    def media_type(dist: Any) -> str:
        return _uri(graph.value(dist, DCAT.mediaType))

    def file_type_flag(flag: str) -> Callable[[Any], bool]:
        def check(dist: Any) -> bool:
            found = _file_type(graph, dist)
            return bool(found and found.extra.get(flag))

        return check

    return {
        "access_url_status": lambda d: link_ok(_uri(graph.value(d, DCAT.accessURL))),
        "download_url": lambda d: graph.value(d, DCAT.downloadURL) is not None,
        "download_url_status": lambda d: link_ok(_uri(graph.value(d, DCAT.downloadURL))),
        "format": lambda d: graph.value(d, DCTERMS["format"]) is not None,
        "media_type": lambda d: graph.value(d, DCAT.mediaType) is not None,
        "vocabulary": lambda d: (
            _uri(graph.value(d, DCTERMS["format"])).startswith(EU_FILE_TYPE)
            or media_type(d).startswith(IANA_MEDIA_TYPES)
        ),
        "non_proprietary": file_type_flag("open"),
        "machine_readable": file_type_flag("machine_readable"),
        "licence": lambda d: licence(d) is not None,
        "known_licence": lambda d: vocab.by_uri("licenses", _uri(licence(d))) is not None,
        "rights": lambda d: graph.value(d, DCTERMS.rights) is not None,
        "byte_size": lambda d: graph.value(d, DCAT.byteSize) is not None,
    }


def assess(
    graph: rdflib.Graph, ref: URIRef, link_ok: Callable[[str], bool] = lambda url: False
) -> Assessment:
    """Score the dataset ``ref`` of a DCAT graph.

    ``link_ok(url)`` says whether the newest check of a URL answered 2xx.
    """
    dists = list(graph.objects(ref, DCAT.distribution))
    access = _uri(graph.value(ref, DCTERMS.accessRights))
    conformant, method = _conformance(graph, ref, dists)
    dataset_level = {
        "keyword": graph.value(ref, DCAT.keyword) is not None,
        "theme": graph.value(ref, DCAT.theme) is not None,
        "spatial": graph.value(ref, DCTERMS.spatial) is not None,
        "temporal": graph.value(ref, DCTERMS.temporal) is not None,
        "dcat_ap": conformant,
        "access_rights": bool(access) or graph.value(ref, DCTERMS.accessRights) is not None,
        "access_rights_vocabulary": access.startswith(EU_ACCESS_RIGHT),
        "contact_point": graph.value(ref, DCAT.contactPoint) is not None,
        "publisher": graph.value(ref, DCTERMS.publisher) is not None,
        "issued": graph.value(ref, DCTERMS.issued) is not None,
        "modified": graph.value(ref, DCTERMS.modified) is not None,
    }
    tests = _distribution_tests(graph, ref, link_ok)
    indicators: dict[str, int] = {}
    for indicator in INDICATORS:
        if indicator.per_distribution:
            met = sum(1 for dist in dists if tests[indicator.code](dist))
            total = len(dists)
            points = (indicator.points * met * 2 + total) // (2 * total) if total else 0
        else:
            points = indicator.points if dataset_level[indicator.code] else 0
        indicators[indicator.code] = points
    dimensions = {name: 0 for name in DIMENSIONS}
    for code, points in indicators.items():
        dimensions[_BY_CODE[code].dimension] += points
    score = sum(indicators.values())
    return Assessment(score, band(score), dimensions, indicators, method)


def fixes(indicators: dict[str, int]) -> list[dict[str, Any]]:
    """What to fix, in the interface language: every indicator short of its points."""
    out = []
    for indicator in INDICATORS:
        got = int(indicators.get(indicator.code, 0))
        if got < indicator.points:
            out.append(
                {
                    "code": indicator.code,
                    "dimension": indicator.dimension,
                    "label": tk._(indicator.label),
                    "fix": tk._(indicator.fix),
                    "points": got,
                    "max": indicator.points,
                    "missing": indicator.points - got,
                }
            )
    return sorted(out, key=lambda row: -row["missing"])
