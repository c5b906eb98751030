"""Small text functions every layer uses: diacritic folding, list values, the UI language.

This module sits at the bottom of the package: it imports nothing from
ckanext.nd47, so vocabularies, search, slugs, validators and profiles can all
take from it without import cycles.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["as_list", "db_key", "fold", "nfc", "ui_lang"]

# đ/Đ have no decomposition in Unicode, so NFD alone leaves them.
_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Remove Vietnamese diacritics: NFD, drop combining marks, đ→d, Đ→D."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def nfc(text: str) -> str:
    """Text in Unicode NFC, so equal-looking strings compare equal."""
    return unicodedata.normalize("NFC", text)


def as_list(value: Any) -> list[Any]:
    """A multi-valued field as a list, whatever form it arrived in.

    Lists and tuples keep their non-empty items; a string holding a JSON list
    (or object) is parsed; any other string is split on commas; ``None`` and
    ``""`` give ``[]``; any other value becomes a one-item list.
    """
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None and v != ""]
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("[", "{"):
            try:
                loaded = json.loads(stripped)
            except ValueError:
                pass
            else:
                return as_list(loaded) if isinstance(loaded, list) else [loaded]
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def ui_lang() -> str:
    """The interface language, "vi" or "en": the request's, else the site default.

    Outside a request (CLI, background jobs) ``ckan.locale_default`` decides.
    Any locale other than English counts as Vietnamese, the portal's language.
    """
    try:
        lang = str(tk.h.lang() or "")
    except Exception:  # no request context
        lang = ""
    # A request without a locale (None) takes the site default too.
    lang = lang or str(tk.config.get("ckan.locale_default") or "")
    return "en" if lang.startswith("en") else "vi"


def db_key(value: Any) -> str | None:
    """``value`` if it can be looked up as an id or a name, else None.

    Only non-empty text without NUL: a number, list or dict from a JSON body,
    or a NUL character (PostgreSQL refuses it in a parameter), would make the
    query fail with a 500 instead of answering "not found".
    """
    if isinstance(value, str) and value and "\x00" not in value:
        return value
    return None
