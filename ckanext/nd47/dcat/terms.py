"""Names the nd47 DCAT modules share: languages, our namespace, our concepts.

Kept apart from ``profile.py`` so that the modules the profile calls
(``services.py``) and the ones beside it (``skos.py``, ``serialize.py``) use
them without importing the profile.
"""

from __future__ import annotations

import re

from rdflib import Namespace

from ckanext.nd47 import vocab

__all__ = ["LANG_EN", "LANG_VI", "OWN_PROPERTY", "nd47_namespace", "scheme_uri", "term_by_uri"]

LANG_VI = "vi"
LANG_EN = "en"


def nd47_namespace() -> Namespace:
    """Namespace of our own properties (sharing class, importance, ...)."""
    return Namespace(vocab.uri_base() + "/ns#")


def scheme_uri(term_uri: str) -> str:
    """The concept scheme of a term: its URI without the last path segment."""
    return term_uri.rsplit("/", 1)[0]


_OWN_CONCEPT = re.compile(r"/vocab/([^/]+)/([^/]+)$")
OWN_PROPERTY = re.compile(r"/ns#(\w+)$")


def term_by_uri(name: str, uri: str) -> vocab.Term | None:
    """The term of a URI, also when another nd47 portal (another base) minted it.

    Our own concepts live under each portal's URI base; a national portal
    harvesting a provincial one must still recognise ``.../vocab/theme/y-te``.
    """
    term = vocab.by_uri(name, uri)
    if term is not None:
        return term
    match = _OWN_CONCEPT.search(uri)
    if not match:
        return None
    term = vocab.term(name, match.group(2))
    if term and term.uri.endswith(f"/vocab/{match.group(1)}/{match.group(2)}"):
        return term
    return None
