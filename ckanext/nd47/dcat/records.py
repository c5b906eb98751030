"""One dataset's part of the full dump, in every dump format, ready to concatenate.

A record is what :mod:`ckanext.nd47.dcat.dump` writes for one dataset: its
graph (with the catalogue's ``dcat:dataset`` link and its data services) in
Turtle, N-Triples and RDF/XML, each compressed as a gzip member of its own.
A gzip file may hold several members (RFC 1952), so the dump is the
concatenation of a header member, the records and a footer member: nothing
is decompressed or compressed again at a rebuild.

What makes records concatenable and their bytes stable:

- Blank nodes get labels computed from their content (a few rounds of
  hashing their neighbourhoods, in the dataset's name), not the random
  labels rdflib gives them, and triples are inserted in a fixed order: the
  same dataset gives the same bytes in any process, at the cost of a
  fraction of a millisecond (full RDF canonicalization cost ~20 ms a
  dataset). Two blank nodes with the same label have the same content and
  the same neighbours, so either could be written as the other.
- Turtle is written with the prefixes of :func:`turtle_prefixes`; the
  ``@prefix`` lines of those are left out of each record and written once at
  the top of the dump. A prefix outside that set (rdflib generates ``ns1``
  for an unknown namespace) stays in its record, where Turtle allows it.
- N-Triples are sorted lines; RDF/XML records are the top-level elements of
  the dataset's document, each carrying its own namespace declarations.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from typing import Any

import rdflib
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT
from lxml import etree
from rdflib import BNode, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Node

from ckanext.nd47.dcat import serialize, services
from ckanext.nd47.dcat.turtle import serialize_turtle

__all__ = [
    "FORMATS",
    "RECORD_VERSION",
    "compress",
    "dataset_record",
    "ntriples",
    "rdfxml_children",
    "stable_graph",
    "turtle_body",
    "turtle_prefixes",
]

# Extension -> (rdflib format, media type of the uncompressed content).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "nt": ("nt", "application/n-triples"),
    "rdf": ("xml", "application/rdf+xml"),
}

# Rounds of neighbourhood hashing: enough to tell apart the nested blank
# nodes of a dataset (distribution -> checksum, publisher -> contact).
_ROUNDS = 3
# Bump when the bytes of a record change for the same dataset (stored
# records are then built again).
RECORD_VERSION = 2


def compress(data: bytes) -> bytes:
    """``data`` as one gzip member with no timestamp (same data, same bytes)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _n3(node: Node, known: dict[Node, str]) -> str:
    """``node.n3()``, once per node: rdflib validates an IRI at every call."""
    try:
        return known[node]
    except KeyError:
        text = known[node] = node.n3()
        return text


def _signatures(graph: rdflib.Graph, known: dict[Node, str]) -> dict[Node, str]:
    bnodes = {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}
    outgoing = {node: list(graph.predicate_objects(node)) for node in bnodes}
    incoming = {node: list(graph.subject_predicates(node)) for node in bnodes}
    signature = dict.fromkeys(bnodes, "")
    for _ in range(_ROUNDS):
        new = {}
        for node in bnodes:
            parts = [
                f"> {_n3(p, known)} {signature[o] if isinstance(o, BNode) else _n3(o, known)}"
                for p, o in outgoing[node]
            ]
            parts += [
                f"< {_n3(p, known)} {signature[s] if isinstance(s, BNode) else _n3(s, known)}"
                for s, p in incoming[node]
            ]
            digest = hashlib.sha1("\n".join(sorted(parts)).encode("utf-8"), usedforsecurity=False)
            new[node] = digest.hexdigest()
        signature = new
    return signature


def stable_graph(graph: rdflib.Graph, name: str) -> rdflib.Graph:
    """A copy of ``graph`` with content-derived blank-node labels (prefixed by
    a hash of ``name``, so that two datasets never share one) and its triples
    inserted in a fixed order (RDF/XML is written in store order)."""
    known: dict[Node, str] = {}
    signature = _signatures(graph, known)
    scope = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    labels = {node: BNode(f"b{scope}{sig[:20]}") for node, sig in signature.items()}
    out = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=False)
    triples = [tuple(labels.get(n, n) for n in t) for t in graph]
    for triple in sorted(triples, key=lambda t: tuple(_n3(n, known) for n in t)):
        out.add(triple)  # type: ignore[arg-type]
    _bind_predicate_namespaces(out)
    return out


def _bind_predicate_namespaces(graph: rdflib.Graph) -> None:
    """Bind a prefix named after its hash to every predicate namespace without
    one: rdflib would generate ``ns1``, ``ns2``... in the order of a set,
    which changes from one process to the next."""
    bound = {str(namespace) for _prefix, namespace in graph.namespaces()}
    for predicate in sorted({str(p) for p in graph.predicates(unique=True)}):
        try:
            namespace, _local = split_uri(predicate)
        except ValueError:
            continue  # no prefixed name possible: written in full, or refused
        if namespace not in bound:
            digest = hashlib.sha1(namespace.encode("utf-8"), usedforsecurity=False)
            graph.bind(f"ns{digest.hexdigest()[:8]}", namespace)
            bound.add(namespace)


def turtle_prefixes(graph: rdflib.Graph) -> list[bytes]:
    """The ``@prefix`` lines written once at the top of the Turtle dump: every
    prefix bound in ``graph`` (the catalogue's graph), in a fixed order."""
    return sorted(
        f"@prefix {prefix}: <{namespace}> .\n".encode()
        for prefix, namespace in graph.namespaces()
        if prefix
    )


def turtle_body(graph: rdflib.Graph, prefixes: Iterable[bytes]) -> bytes:
    """The graph's Turtle without the ``@prefix`` lines among ``prefixes``."""
    known = set(prefixes)
    lines = serialize_turtle(graph).splitlines(keepends=True)
    kept = [line for line in lines if line not in known]
    return b"".join(kept).lstrip(b"\n")


def rdfxml_children(graph: rdflib.Graph) -> Iterable[bytes]:
    """The top-level elements of a graph's RDF/XML, each standalone.

    Written as exclusive XML canonicalization (each element declares the
    namespaces it uses, sorted) and in sorted order: rdflib declares the
    document's namespaces in the order of a set of predicates, and orders
    subjects differently from one process to the next (string hashing is
    randomized); the order of top-level descriptions carries no meaning.
    """
    root = etree.fromstring(graph.serialize(format="xml", encoding="utf-8"))
    children = [etree.tostring(child, method="c14n", exclusive=True) for child in root]
    for child in sorted(children):
        yield child + b"\n"


def ntriples(graph: rdflib.Graph) -> bytes:
    """The graph's N-Triples, lines sorted."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def dataset_record(
    rdf_serializer: RDFSerializer,
    catalog_ref: Node,
    dataset_dict: dict[str, Any],
    prefixes: list[bytes],
) -> dict[str, bytes]:
    """The dataset's record: a gzip member per dump format (see the module)."""
    graph, ref = serialize.dataset_graph(rdf_serializer, dataset_dict)
    graph.add((catalog_ref, DCAT.dataset, URIRef(str(ref))))
    services.link_catalog(graph, catalog_ref, ref)
    graph = stable_graph(graph, str(ref))
    return {
        "ttl": compress(b"\n" + turtle_body(graph, prefixes)),
        "nt": compress(ntriples(graph)),
        "rdf": compress(b"".join(rdfxml_children(graph))),
    }
