"""Vietnamese search: diacritic folding of the index and of queries, facets.

Solr's stock CKAN schema folds accents in its ``text`` field, but only after
the English stemmer has run on the accented word, so "liệu" and "lieu" can
stem differently, and names/tags are exact strings. We therefore index one
folded copy of the searchable text in ``extras_nd47_folded`` (an ``extras_*``
dynamic field of the stock schema, copied into ``text``) and fold the user's
query the same way: both sides then go through the same analyzer.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.text import as_list, fold

__all__ = [
    "FACET_FIELDS",
    "FOLDED_FIELD",
    "facet_titles",
    "fold_query",
    "index_dataset",
    "label_facets",
]

FOLDED_FIELD = "extras_nd47_folded"

# Multi-valued facets go into the stock schema's multi-valued ``vocab_*``
# dynamic field; single values into the ``*`` string field.
THEME_FIELD = "vocab_nd47_theme"
PROVINCE_FIELD = "vocab_nd47_province"
AGENCY_LEVEL_FIELD = "nd47_agency_level"

# Search-index field -> the vocabulary that labels its values.
FACET_FIELDS: dict[str, str] = {
    THEME_FIELD: "themes",
    "sharing_class": "sharing_class",
    PROVINCE_FIELD: "admin_unit",
    AGENCY_LEVEL_FIELD: "agency_level",
    "res_format": "file_type",
}


def index_dataset(data: dict[str, Any]) -> dict[str, Any]:
    """Add the folded text and the facet fields to a dataset's index document."""
    parts = [data.get(k) or "" for k in ("title", "notes", "title_en", "notes_en")]
    parts += as_list(data.get("tags"))
    data[FOLDED_FIELD] = fold(" ".join(p for p in parts if p))

    themes = as_list(data.get("theme"))
    if themes:
        data[THEME_FIELD] = themes
    provinces = []
    for code in as_list(data.get("admin_units")):
        unit = vocab.term("admin_unit", code)
        if unit and unit.extra["level"] == "province":
            provinces.append(code)
        elif unit and unit.extra["level"] == "commune":
            provinces.append(unit.extra["province"])
    if provinces:
        data[PROVINCE_FIELD] = sorted(set(provinces))
    org = data.get("owner_org")
    if org:
        level = _agency_level(org)
        if level:
            data[AGENCY_LEVEL_FIELD] = level
    return data


def _agency_level(org_id: str) -> str | None:
    from ckan import model

    group = model.Group.get(org_id)
    if group is None:
        return None
    return group.extras.get("agency_level") or None


def fold_query(search_params: dict[str, Any]) -> dict[str, Any]:
    """Fold the free-text query so it matches the folded index.

    Queries with field syntax (``tags:"môi trường"``) are left alone: string
    fields such as tags and names hold the exact, accented values.
    """
    q = search_params.get("q")
    if isinstance(q, str) and q.strip() and ":" not in q:
        search_params["q"] = fold(q)
    return search_params


def facet_titles() -> dict[str, str]:
    """Facet titles (translated through the nd47 catalogue)."""
    return {
        THEME_FIELD: tk._("Themes"),
        "sharing_class": tk._("Sharing class"),
        PROVINCE_FIELD: tk._("Province"),
        AGENCY_LEVEL_FIELD: tk._("Agency level"),
        "res_format": tk._("Formats"),
    }


def label_facets(search_results: dict[str, Any], lang: str) -> dict[str, Any]:
    """Show vocabulary labels instead of codes in the facet items."""
    for key, name in FACET_FIELDS.items():
        facet = search_results.get("search_facets", {}).get(key)
        if not facet:
            continue
        for item in facet.get("items", []):
            term = vocab.term(name, item["name"])
            if term is not None:
                item["display_name"] = term.label(lang)
    return search_results
