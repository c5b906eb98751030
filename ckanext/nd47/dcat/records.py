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
  labels rdflib gives them, and triples are written in a fixed order (sorted
  on their N-Triples form): the same dataset gives the same bytes in any
  process, at the cost of a fraction of a millisecond (full RDF
  canonicalization cost ~20 ms a dataset). Two blank nodes with the same
  label have the same content and the same neighbours, so either could be
  written as the other.
- Turtle is written with the prefixes of :func:`turtle_prefixes`; their
  ``@prefix`` lines are written once at the top of the dump, never in a
  record.
- N-Triples are sorted lines; RDF/XML records are the top-level elements of
  the dataset's document, using the namespace prefixes the dump's root
  element declares (the same prefixes as Turtle's).

The three syntaxes are written by pyoxigraph (Rust; about 30 times faster
than rdflib's serializers, which took two thirds of a record's time), from
the labelled triples directly. The graph is still built by ckanext-dcat's
profiles and ours in rdflib. IRIs and literals are mended as
:func:`ckanext.nd47.dcat.iri.repair` mends them; a triple holding a term no
RDF syntax can write even then (an IRI without a scheme: N-Triples has no
relative IRIs, and pyoxigraph refuses it) is left out and logged. A
predicate or class RDF/XML cannot name (its IRI ends in no XML name) sends
that one record down the rdflib path (:func:`stable_graph` and rdflib's
serializers), whose records are self-contained (their own ``@prefix`` lines
and namespace declarations); a dataset that no path can write is left out
by the caller.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
import rdflib
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT
from lxml import etree
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Node

from ckanext.nd47.dcat import serialize, services
from ckanext.nd47.dcat.iri import repair, repaired
from ckanext.nd47.dcat.turtle import serialize_turtle

__all__ = [
    "FORMATS",
    "RECORD_VERSION",
    "MAX_TERMS",
    "compress",
    "dataset_record",
    "ntriples",
    "prefix_map",
    "rdfxml_children",
    "record_bytes",
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

log = logging.getLogger(__name__)

# Rounds of neighbourhood hashing: enough to tell apart the nested blank
# nodes of a dataset (distribution -> checksum, publisher -> contact).
_ROUNDS = 3
# Bump when the bytes of a record change for the same dataset (stored
# records are then built again).
RECORD_VERSION = 3
# IRIs converted to pyoxigraph terms, remembered for the process (vocabulary
# concepts, predicates, agencies recur in every record); emptied when full.
MAX_TERMS = 50_000
_NAMED: dict[str, Any] = {}
_PREFIX_LINE = re.compile(rb"@prefix ([^:\s]*): <([^>]*)> \.\n")
# pyoxigraph's RDF/XML names an element "oxprefix:" (no local name, not
# XML) for a predicate or class whose IRI ends in no XML name.
_NO_XML_NAME = re.compile(rb"<(?:/)?oxprefix:[\s/>]")


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


class _Refused(ValueError):
    """pyoxigraph cannot write this graph: take the rdflib path."""


def _named(value: str, mended: list[int]) -> Any:
    try:
        return _NAMED[value]
    except KeyError:
        pass
    node = repaired(URIRef(value))
    if node is not None:
        mended[0] += 1
        return ox.NamedNode(str(node))  # not remembered: logged each time
    term = ox.NamedNode(value)
    if len(_NAMED) >= MAX_TERMS:
        _NAMED.clear()
    _NAMED[value] = term
    return term


def _term(node: Node, mended: list[int]) -> Any:
    """``node`` as a pyoxigraph term, mended as :func:`iri.repair` mends it;
    blank nodes stay rdflib's (labelled later). Raises ValueError when
    pyoxigraph refuses it."""
    if isinstance(node, URIRef):
        return _named(str(node), mended)
    if isinstance(node, Literal):
        fixed = repaired(node)
        if fixed is not None:
            mended[0] += 1
            node = fixed
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=_named(str(node.datatype), mended))
        return ox.Literal(str(node))
    if isinstance(node, BNode):
        return node
    raise _Refused(f"not an RDF 1.1 term: {node!r}")


def _labelled_triples(graph: rdflib.Graph, name: str) -> list[Any]:
    """The graph's triples as pyoxigraph triples with content-derived blank
    node labels, sorted on their N-Triples form."""
    mended = [0]
    converted: dict[Node, Any] = {}
    triples = []
    dropped: list[str] = []
    for triple in graph:
        terms = []
        try:
            for node in triple:
                try:
                    term = converted[node]
                except KeyError:
                    term = converted[node] = _term(node, mended)
                terms.append(term)
        except ValueError as e:
            # No RDF syntax can write it (N-Triples has no relative IRIs):
            # the triple is left out, never the dataset nor the dump.
            dropped.append(f"{node} ({e})")
            continue
        triples.append(terms)
    if dropped:
        log.warning(
            "DCAT dump of %s: %d triples left out, with terms no RDF syntax can write: %s",
            name,
            len(dropped),
            "; ".join(dropped[:3]),
        )
    if mended[0]:
        log.warning(
            "DCAT output of %s: %d terms with characters no IRI or XML may hold, "
            "percent-encoded or dropped",
            name,
            mended[0],
        )
    labels = _blank_labels(triples, name)
    out = [
        ox.Triple(*(labels[t] if isinstance(t, BNode) else t for t in terms)) for terms in triples
    ]
    out.sort(key=str)
    return out


def _blank_labels(triples: list[list[Any]], name: str) -> dict[BNode, Any]:
    """Content-derived labels of the blank nodes among ``triples`` (rdflib
    blank nodes, every other term pyoxigraph's), as :func:`stable_graph`
    computes them."""
    outgoing: dict[BNode, list[tuple[str, Any]]] = {}
    incoming: dict[BNode, list[tuple[str, Any]]] = {}
    for subject, predicate, obj in triples:
        if isinstance(subject, BNode):
            outgoing.setdefault(subject, []).append((str(predicate), obj))
            incoming.setdefault(subject, [])
        if isinstance(obj, BNode):
            incoming.setdefault(obj, []).append((str(predicate), subject))
            outgoing.setdefault(obj, [])
    if not outgoing:
        return {}
    text: dict[Any, str] = {}

    def shown(term: Any, signature: dict[BNode, str]) -> str:
        if isinstance(term, BNode):
            return signature[term]
        try:
            return text[term]
        except KeyError:
            text[term] = str(term)
            return text[term]

    signature = dict.fromkeys(outgoing, "")
    for _ in range(_ROUNDS):
        new = {}
        for node in outgoing:
            parts = [f"> {p} {shown(o, signature)}" for p, o in outgoing[node]]
            parts += [f"< {p} {shown(s, signature)}" for p, s in incoming[node]]
            digest = hashlib.sha1("\n".join(sorted(parts)).encode("utf-8"), usedforsecurity=False)
            new[node] = digest.hexdigest()
        signature = new
    scope = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return {node: ox.BlankNode(f"b{scope}{sig[:20]}") for node, sig in signature.items()}


@functools.lru_cache(maxsize=8)
def prefix_map(prefixes: tuple[bytes, ...]) -> dict[str, str]:
    """The ``@prefix`` lines of :func:`turtle_prefixes` as a mapping."""
    found = {}
    for line in prefixes:
        match = _PREFIX_LINE.fullmatch(line)
        if match:
            found[match.group(1).decode()] = match.group(2).decode()
    return found


def _without_prefixes(turtle: bytes) -> bytes:
    """pyoxigraph's Turtle without its leading ``@prefix`` lines."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]


def _xml_children(document: bytes) -> bytes:
    """The elements inside pyoxigraph's ``rdf:RDF`` root."""
    if _NO_XML_NAME.search(document):
        raise _Refused("a predicate or class RDF/XML cannot name")
    root = document.index(b"<rdf:RDF")
    start = document.index(b">", root) + 1
    end = document.rindex(b"</rdf:RDF>")
    return document[start:end].lstrip(b"\n")


def _oxigraph_bytes(graph: rdflib.Graph, name: str, prefixes: list[bytes]) -> dict[str, bytes]:
    triples = _labelled_triples(graph, name)
    names = prefix_map(tuple(prefixes))
    return {
        "ttl": _without_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=names)),
        "nt": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        "rdf": _xml_children(ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=names)),
    }


def _rdflib_bytes(graph: rdflib.Graph, name: str, prefixes: list[bytes]) -> dict[str, bytes]:
    repair(graph, name)
    graph = stable_graph(graph, name)
    return {
        "ttl": turtle_body(graph, prefixes),
        "nt": ntriples(graph),
        "rdf": b"".join(rdfxml_children(graph)),
    }


def record_bytes(graph: rdflib.Graph, name: str, prefixes: list[bytes]) -> dict[str, bytes]:
    """``graph`` in each dump format, uncompressed, ready to concatenate (see
    the module): written by pyoxigraph, or by rdflib when pyoxigraph refuses
    one of its terms. IRIs and literals are mended as :func:`iri.repair`
    mends them. ``name`` (the subject's IRI) scopes the blank-node labels."""
    try:
        return _oxigraph_bytes(graph, name, prefixes)
    except (ValueError, SyntaxError) as e:
        log.info("DCAT dump: %s written by rdflib (%s)", name, e)
        return _rdflib_bytes(graph, name, prefixes)


def dataset_record(
    rdf_serializer: RDFSerializer,
    catalog_ref: Node,
    dataset_dict: dict[str, Any],
    prefixes: list[bytes],
) -> dict[str, bytes]:
    """The dataset's record: a gzip member per dump format (see the module)."""
    graph, ref = serialize.dataset_graph(rdf_serializer, dataset_dict, mend=False)
    graph.add((catalog_ref, DCAT.dataset, URIRef(str(ref))))
    services.link_catalog(graph, catalog_ref, ref)
    data = record_bytes(graph, str(ref), prefixes)
    return {
        "ttl": compress(b"\n" + data["ttl"]),
        "nt": compress(data["nt"]),
        "rdf": compress(data["rdf"]),
    }
