"""rdflib's Turtle serializer with its prefixed-name lookups memoized.

rdflib computes the prefixed name of a URI every time it meets it (once while
preprocessing each triple, again while writing it), and for a subject or
object whose namespace has no prefix the lookup fails after splitting the URI
and walking the namespace trie, uncached; each graph also starts with an empty
cache, so the same concept and predicate URIs are split again for every
dataset. This subclass remembers the answers, and the output stays
byte-for-byte that of ``graph.serialize(format="turtle")``:

- Predicates (``gen_prefix=True``: rdflib may generate an ``nsN`` prefix for
  them) are remembered for one serialization only.
- Every other lookup cannot change the graph's prefixes: its answer depends
  only on the URI and on the prefixes bound at that moment, so it is
  remembered for the process under that pair; the prefixes bound are taken
  again whenever a predicate lookup may have generated one. A remembered name
  still registers its prefix for the ``@prefix`` lines, as rdflib does.
- The process-wide memo holds URIs (concepts, datasets, distributions); it is
  emptied when it reaches :data:`MAX_MEMO` entries.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import rdflib
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node, URIRef

__all__ = ["MAX_MEMO", "MemoTurtleSerializer", "serialize_turtle"]

MAX_MEMO = 20_000
# (prefixes bound, uri) -> (prefix, namespace, local name) or None when rdflib
# writes the URI in full.
_MEMO: dict[tuple[frozenset[Any], Node], tuple[str, Any, str] | None] = {}
# One object per set of prefixes, so that memo keys compare by identity.
_BOUND: dict[frozenset[Any], frozenset[Any]] = {}


def _bound(graph: rdflib.Graph) -> frozenset[Any]:
    bound = frozenset(graph.namespaces())
    if len(_BOUND) >= 1000:
        _BOUND.clear()
    return _BOUND.setdefault(bound, bound)


class MemoTurtleSerializer(TurtleSerializer):
    def reset(self) -> None:
        super().reset()
        self._predicates: dict[Node, str | None] = {}
        self._bound = _bound(self.store)
        self._pnames: dict[Node, str | None] = {}
        self._added: tuple[str, Any] | None = None

    def addNamespace(self, prefix: str, namespace: Any) -> str:  # noqa: N802 (rdflib's name)
        self._added = (prefix, namespace)
        return super().addNamespace(prefix, namespace)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        if gen_prefix:
            if uri in self._predicates:
                return self._predicates[uri]
            pname = self._predicates[uri] = super().get_pname(uri, gen_prefix)
            bound = _bound(self.store)
            if bound is not self._bound:
                self._bound = bound
                self._pnames.clear()
            return pname
        if uri in self._pnames:
            return self._pnames[uri]
        pname = self._pnames[uri] = self._lookup(uri)
        return pname

    def _lookup(self, uri: Node) -> str | None:
        key = (self._bound, uri)
        try:
            parts = _MEMO[key]
        except KeyError:
            pass
        else:
            if parts is None:
                return None
            prefix, namespace, local = parts
            return f"{self.addNamespace(prefix, namespace)}:{local}"
        self._added = None
        pname = super().get_pname(uri, False)
        if pname is None:
            parts = None
        elif self._added is None:
            return pname  # not a shape this memo knows: never remembered
        else:
            parts = (self._added[0], self._added[1], pname.partition(":")[2])
        if len(_MEMO) >= MAX_MEMO:
            _MEMO.clear()
        _MEMO[key] = parts
        return pname


def serialize_turtle(graph: rdflib.Graph, **kwargs: Any) -> bytes:
    """``graph.serialize(format="turtle", encoding="utf-8")``, faster."""
    stream = BytesIO()
    MemoTurtleSerializer(graph).serialize(stream, encoding="utf-8", **kwargs)
    return stream.getvalue()
