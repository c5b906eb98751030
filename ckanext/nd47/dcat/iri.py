"""IRIs and literals that every RDF syntax can write, whatever a dataset holds.

A stored value may hold characters that no IRI may contain (space, ``"``,
``<``, ``>``, ``{``, ``}``, ``|``, ``\\``, ``^``, backtick, control
characters) or that XML cannot carry; rdflib refuses to write such an IRI in
Turtle and writes unreadable RDF/XML, so one such value would break a whole
catalogue page or the dump. The profile builds IRIs from stored values with
:func:`iri`; :func:`repair` mends what other profiles added to a dataset's
graph, logging each repair.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

__all__ = ["iri", "repair", "repaired"]

log = logging.getLogger(__name__)

# RFC 3987: never in an IRI (percent-encoded instead).
_NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')
# XML 1.0: never in a document, not even escaped (dropped).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def iri(value: str) -> URIRef:
    """``value`` as an IRI, its forbidden characters percent-encoded."""
    value = value.strip()
    return URIRef(_NOT_IN_IRI.sub(lambda match: quote(match.group(), safe=""), value))


def repaired(node: Node) -> Node | None:
    """The node made writable, or None when it already is."""
    if isinstance(node, URIRef) and _NOT_IN_IRI.search(node):
        return iri(str(node))
    if isinstance(node, Literal) and _NOT_IN_XML.search(node):
        return Literal(_NOT_IN_XML.sub("", str(node)), lang=node.language, datatype=node.datatype)
    return None


def repair(graph: rdflib.Graph, label: str) -> int:
    """Mend every IRI and literal of ``graph`` that some syntax cannot write.

    ``label`` names the dataset in the warning. Returns the number of triples
    mended.
    """
    broken = []
    for triple in graph:
        mended = tuple(repaired(node) for node in triple)
        if any(m is not None for m in mended):
            new = tuple(n if m is None else m for m, n in zip(mended, triple, strict=True))
            broken.append((triple, new))
    for old, new in broken:
        graph.remove(old)
        graph.add(new)  # type: ignore[arg-type]
    if broken:
        log.warning(
            "DCAT output of %s: %d triples with characters no IRI or XML may hold, "
            "percent-encoded or dropped",
            label,
            len(broken),
        )
    return len(broken)
