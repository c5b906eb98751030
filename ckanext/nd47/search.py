"""Vietnamese search: diacritic folding of the index and of queries, facets.

Solr's stock CKAN schema folds accents in its ``text`` field, but only after
the English stemmer has run on the accented word, so "liệu" and "lieu" can
stem differently, and names/tags are exact strings. We therefore index one
folded copy of the searchable text in ``extras_nd47_folded`` (an ``extras_*``
dynamic field of the stock schema, copied into ``text``) and fold the user's
query the same way: both sides then go through the same analyzer.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
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


def reindex_agency(org_id: str) -> int:
    """Index again every dataset of agency ``org_id``; returns how many.

    A dataset's search document holds its agency's name, title and level, and
    CKAN's ``package_show`` answers from that document while the dataset
    itself is unchanged: without this, a renamed agency would keep its old
    name on its datasets' pages, in search and in DCAT, on every web worker.
    """
    from ckan import model
    from ckan.lib.search import commit, rebuild  # not in the toolkit

    rows = model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org_id, model.Package.state != "deleted"
    )
    ids = [row.id for row in rows]
    if ids:
        # the agency's change is not flushed yet inside its update action, and
        # CKAN reads a dataset's agency with a plain table query (no autoflush)
        model.Session.flush()
        # rebuild() defers Solr's commit for a list of datasets: commit once after
        rebuild(package_ids=ids, quiet=True)
        commit()
    return len(ids)


# A field query as people write it: name:value with no space after the colon;
# the value a closed phrase, range or group, or a word. An optional + or -.
_FIELD_TERM = re.compile(
    r"""(?<![^\s(])([+-]?)([A-Za-z_][A-Za-z0-9_.]*):(?=\S)"""
    r"""("[^"]*"|\[[^\[\]]*\]|\{[^{}]*\}|\([^()]*\)|[^\s()]+)"""
)
_OPERATORS = frozenset({"AND", "OR", "NOT", "&&", "||"})
# Lucene's query syntax characters; * and ? stay wildcards inside field values.
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
_VALUE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~:\\/&|])')
# What dismax, CKAN's parser for queries without a colon, or CKAN before it
# would still read as syntax, dropped from free text: a hyphen is kept inside
# a word (covid-19) and as a leading "not", quotes when they pair up.
_DISMAX_DROP = re.compile(r"[+!(){}\[\]^~*?:\\/&|]|(?<!\w)-(?!\w)|(?<=\w)-(?!\w)")


@lru_cache(maxsize=1)
def _solr_fields() -> tuple[frozenset[str], tuple[str, ...]]:
    """Field names and dynamic-field patterns of CKAN's Solr schema, but ``*``."""
    import ckan

    schema = Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
    text = schema.read_text(encoding="utf-8")
    patterns = re.findall(r'<dynamicField name="([^"]+)"', text)
    return (
        frozenset(re.findall(r'<field name="([^"]+)"', text)),
        tuple(pattern for pattern in patterns if pattern != "*"),
    )


def index_fields() -> tuple[frozenset[str], tuple[str, ...]]:
    """(field names, dynamic-field patterns) a field query may name.

    CKAN's Solr schema (its catch-all ``*`` aside, which would make any
    ``word:`` a field), the portal's dataset and resource fields (indexed
    under their own name and as ``res_<name>``) and our own index fields.
    """
    names, patterns = _solr_fields()
    try:
        dataset_schema = tk.h.scheming_get_dataset_schema("dataset") or {}
    except (AttributeError, KeyError):  # scheming not loaded
        dataset_schema = {}
    ours = {f["field_name"] for f in dataset_schema.get("dataset_fields", [])}
    ours |= {"res_" + f["field_name"] for f in dataset_schema.get("resource_fields", [])}
    return names | ours | {FOLDED_FIELD, *FACET_FIELDS}, patterns


def _known_field(name: str) -> bool:
    names, patterns = index_fields()
    return name in names or any(fnmatchcase(name, pattern) for pattern in patterns)


def _free_text(text: str) -> str:
    """Words to match, with every query-syntax character escaped."""
    words = []
    for word in fold(text).split():
        if word in _OPERATORS:
            word = word.lower()  # a word, not an operator that may lack an operand
        words.append(_SPECIAL.sub(r"\\\1", word))
    return " ".join(words)


def _dismax_text(q: str) -> str:
    text = _DISMAX_DROP.sub(" ", fold(q))
    if text.count('"') % 2:
        text = text.replace('"', " ")
    words = [word.lower() if word in _OPERATORS else word for word in text.split()]
    # a lone sign or empty phrase left by the above is no query
    return " ".join(word for word in words if word.strip('"-'))


def _field_term(sign: str, name: str, value: str) -> str:
    closed = value[:1] + value[-1:] in ('""', "[]", "{}", "()") and len(value) > 1
    if not closed:
        value = _VALUE_SPECIAL.sub(r"\\\1", value)
    elif value[0] == "(":
        value = "(" + _VALUE_SPECIAL.sub(r"\\\1", value[1:-1]) + ")"
    return f"{sign}{name}:{value}"


def safe_query(q: str) -> str:
    """A query Solr can always parse that means what the person typed.

    Without a field query (``name:value`` naming an index field, no space
    after the colon) the query is folded text for dismax, which reads no
    syntax but quotes and +/-; colons and braces become spaces, so
    ``ngân sách: 2025`` finds the budget of 2025. With field queries, those
    are kept and everything else is escaped, so no input is a syntax error.
    """
    if q.strip() == "*:*":
        return q
    parts: list[str] = []
    fielded = False
    position = 0
    for match in _FIELD_TERM.finditer(q):
        sign, name, value = match.groups()
        if not _known_field(name):
            continue
        between = q[position : match.start()]
        if fielded and between.strip() in _OPERATORS:
            parts.append(between.strip())  # an operator between two field queries
        else:
            parts.append(_free_text(between))
        parts.append(_field_term(sign, name, value))
        fielded = True
        position = match.end()
    if not fielded:
        return _dismax_text(q)
    parts.append(_free_text(q[position:]))
    return " ".join(part for part in parts if part)


def fold_query(search_params: dict[str, Any]) -> dict[str, Any]:
    """Fold the free text of the query so it matches the folded index, safely.

    Field values (``tags:"môi trường"``) are not folded: string fields such
    as tags and names hold the exact, accented values.
    """
    q = search_params.get("q")
    if isinstance(q, str) and q.strip():
        search_params["q"] = safe_query(q)
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
