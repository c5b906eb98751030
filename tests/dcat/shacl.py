"""SHACL validation of DCAT output against the official DCAT-AP 3.0.1 shapes (no inference)."""

from __future__ import annotations

import os

import rdflib
from pyshacl import validate

# ND47_SHACL_DIR points elsewhere (a git worktree sits deeper than the checkout).
SHAPES_DIR = os.environ.get("ND47_SHACL_DIR") or os.path.normpath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "dcat-ap-3.0.1")
)
_cache: dict[tuple[str, ...], rdflib.Graph] = {}


def shapes(*names: str) -> rdflib.Graph:
    key = names or ("shapes.ttl", "range.ttl")
    if key not in _cache:
        graph = rdflib.Graph()
        for name in key:
            graph.parse(os.path.join(SHAPES_DIR, name), format="turtle")
        _cache[key] = graph
    return _cache[key]


def violations(data: str | rdflib.Graph, fmt: str = "turtle", *names: str) -> list[str]:
    """Messages of every sh:Violation result (empty when the data conforms)."""
    if isinstance(data, str):
        graph = rdflib.Graph()
        graph.parse(data=data, format=fmt)
    else:
        graph = data
    conforms, results, _text = validate(
        graph, shacl_graph=shapes(*names), inference="none", advanced=False
    )
    if conforms:
        return []
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        out.append(
            f"{results.value(result, SH.focusNode)} {results.value(result, SH.resultPath)}: "
            f"{results.value(result, SH.resultMessage)}"
        )
    return sorted(out)
