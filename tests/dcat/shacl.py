"""SHACL validation of DCAT output against the official DCAT-AP 3.0.1 shapes (no inference).

The shapes are not part of the repository. ``ND47_DCAT_AP_SHAPES`` names their
directory (absolute, or relative to the repository root); by default
``../shared/dcat-ap-3.0.1`` beside the repository. A test that needs them is
skipped, saying where they were looked for, when they are absent.
"""

from __future__ import annotations

import os

import pytest
import rdflib
from pyshacl import validate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPES_SETTING = "ND47_DCAT_AP_SHAPES"
SHAPES_DEFAULT = os.path.join("..", "shared", "dcat-ap-3.0.1")


def shapes_dir() -> str:
    """Directory of the DCAT-AP 3.0.1 shapes (``ND47_DCAT_AP_SHAPES`` or the default)."""
    return os.path.normpath(os.path.join(ROOT, os.environ.get(SHAPES_SETTING) or SHAPES_DEFAULT))


_cache: dict[tuple[str, ...], rdflib.Graph] = {}


def shapes(*names: str) -> rdflib.Graph:
    key = names or ("shapes.ttl", "range.ttl")
    if key not in _cache:
        directory = shapes_dir()
        missing = [n for n in key if not os.path.isfile(os.path.join(directory, n))]
        if missing:
            pytest.skip(
                f"DCAT-AP 3.0.1 shapes not found: {', '.join(missing)} in {directory}; "
                f"set {SHAPES_SETTING} to the directory holding them"
            )
        graph = rdflib.Graph()
        for name in key:
            graph.parse(os.path.join(directory, name), format="turtle")
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
