"""rdflib's Turtle serializer with its prefixed-name lookups memoized.

rdflib computes the prefixed name of a URI every time it meets it (once while
preprocessing each triple, again while writing it), and for a subject or
object whose namespace has no prefix the lookup fails after splitting the URI
and walking the namespace trie, uncached: concept, dataset and distribution
URIs pay that on every occurrence. This subclass remembers each answer for
the duration of one serialization. The output is byte-for-byte that of
``graph.serialize(format="turtle")``:

- a name found is final (rdflib itself caches it and never rebinds it during
  a serialization), and its namespace was registered for the ``@prefix``
  lines by the first call;
- a name not found can become findable only when rdflib generates a prefix
  for a predicate's namespace (``gen_prefix=True``), so every not-found answer
  is forgotten whenever a lookup that may generate a prefix is computed.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import rdflib
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

__all__ = ["MemoTurtleSerializer", "serialize_turtle"]


class MemoTurtleSerializer(TurtleSerializer):
    def reset(self) -> None:
        super().reset()
        self._pnames: dict[tuple[Node, bool], str] = {}
        self._no_pnames: set[tuple[Node, bool]] = set()

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        key = (uri, gen_prefix)
        found = self._pnames.get(key)
        if found is not None:
            return found
        if key in self._no_pnames:
            return None
        pname = super().get_pname(uri, gen_prefix)
        if gen_prefix:
            self._no_pnames.clear()  # a prefix may have been generated
        if pname is None:
            self._no_pnames.add(key)
        else:
            self._pnames[key] = pname
        return pname


def serialize_turtle(graph: rdflib.Graph, **kwargs: Any) -> bytes:
    """``graph.serialize(format="turtle", encoding="utf-8")``, faster."""
    stream = BytesIO()
    MemoTurtleSerializer(graph).serialize(stream, encoding="utf-8", **kwargs)
    return stream.getvalue()
