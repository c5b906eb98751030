"""Vietnamese search: diacritic folding, ranking signals, exact codes, facets.

Solr's stock CKAN schema folds accents in its ``text`` field, but only after
the English stemmer has run on the accented word, so "liệu" and "lieu" can
stem differently, and names/tags are exact strings. We therefore index one
folded copy of the searchable text in ``extras_nd47_folded`` (an ``extras_*``
dynamic field of the stock schema, copied into ``text``) and fold the user's
query the same way: both sides then go through the same analyzer. Which
datasets a free-text query finds is decided by that folded match alone.

The order is refined by signals the stock analyzers would lose, all indexed
in ``extras_nd47_signals`` as opaque tokens (see ``_token``): each syllable
with its diacritics, each word (syllables grouped by ``COMPOUND_WORDS``, so
"lương" in "lương thực" is no word "lương"), each pair of adjacent syllables
with and without diacritics. The query asks for the same tokens through a
function added to the score (dismax ``bf``), so a dataset that has what the
person typed, as typed, in that order, comes first.

Document numbers (``123/QĐ-UBND``), agency identifiers and dataset
identifiers are indexed in ``vocab_nd47_codes``; a query naming one filters on
it exactly instead of matching its pieces everywhere.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from fnmatch import fnmatchcase
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.text import as_list, fold

log = logging.getLogger(__name__)

__all__ = [
    "FACET_FIELDS",
    "CODES_FIELD",
    "COMPOUND_WORDS",
    "FOLDED_FIELD",
    "SIGNALS_FIELD",
    "facet_titles",
    "fold_query",
    "index_dataset",
    "label_facets",
    "rank_query",
    "reindex_agency",
    "reindex_datasets",
    "safe_query",
]

FOLDED_FIELD = "extras_nd47_folded"
SIGNALS_FIELD = "extras_nd47_signals"
CODES_FIELD = "vocab_nd47_codes"

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
    """Add the folded text, ranking signals, codes and facets to an index document."""
    parts = [data.get(k) or "" for k in ("title", "notes", "title_en", "notes_en")]
    parts += as_list(data.get("tags"))
    # the publisher's name and the documents cited are what people search by, too
    agency = _agency_extras(data.get("owner_org"))
    parts.append(agency.get("title") or "")
    for basis in as_list(data.get("legal_basis")):
        if isinstance(basis, dict):
            parts += [basis.get("number") or "", basis.get("title") or ""]
    parts = [p for p in parts if p]
    data[FOLDED_FIELD] = fold(" ".join(parts))
    data[SIGNALS_FIELD] = " ".join(sorted(_signals(parts)))

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
    if agency.get("agency_level"):
        data[AGENCY_LEVEL_FIELD] = agency["agency_level"]
    codes = _codes(data, parts, agency.get("agency_identifier"))
    if codes:
        data[CODES_FIELD] = codes
    return data


def _agency_extras(org_id: str | None) -> dict[str, str]:
    """The owner agency's extras (level, identifier) and its title."""
    from ckan import model

    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return {}
    return {**group.extras, "title": group.title or ""}


# Multi-syllable words whose syllables, alone, mean something else: a search
# for one of those syllables should not rank the compound first ("lương" is
# wages, "lương thực" food grain; "đá" stone, "bóng đá" football; "phòng" a
# room, "Hải Phòng" a city). Words whose parts keep their meaning ("tiền
# lương", "mỏ đá") are not listed: their syllables are words on their own.
COMPOUND_WORDS: frozenset[str] = frozenset(
    word.strip()
    for word in """
    lương thực|chất lượng|sản lượng|số lượng|năng lượng|trọng lượng|khối lượng
    đầu tư|ban đầu|hàng đầu|đầu tiên|đầu mối|dẫn đầu|bình quân đầu người
    thực hiện|thực phẩm|thực tế|thực trạng
    bóng đá|đa khoa|đa dạng|tối đa|đà tăng trưởng|da cam|da liễu
    ban hành|ban ngày|bán kính|bán đảo|bán trú|bạn đọc
    câu lạc bộ|nhu cầu|yêu cầu|toàn cầu|cầu thủ|cầu lông
    thuê bao|mua bán|mùa màng
    môi trường|thị trường|hiện trường|quảng trường|thương trường
    nước ngoài|nhà nước
    tiểu đường|mía đường
    dân tộc
    tài khoản|khoản vay
    hà nội|hải phòng|đà nẵng|đà lạt|cần thơ|nghệ an|lào cai|quảng ninh
    thái bình|bình dương|bình định|quảng nam|vũng tàu|khánh hòa|thừa thiên huế
    lâm đồng|đồng tháp|đồng nai|an giang|hà giang|hà tĩnh|thanh hóa|ninh bình
    hồ chí minh|sông đà|vĩnh long|long an|tây ninh|kiên giang|cà mau|sóc trăng
    """.replace("\n", "|").split("|")
    if word.strip()
)


# The five tone marks. Where a tone is written varies ("hóa" and "hoá",
# "thủy" and "thuỷ" are the same syllable), so a syllable's exact form is its
# letters without the tone, then the tone.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _exact(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return letters + "".join(c for c in decomposed if c in _TONES)


def _syllables(text: str) -> list[str]:
    """The syllables of ``text``, lower case, each in its exact form (``_exact``)."""
    return [_exact(word) for word in re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())]


@lru_cache(maxsize=2)
def _lexicon(folded: bool) -> tuple[frozenset[str], int]:
    words = {" ".join(_syllables(word)) for word in COMPOUND_WORDS}
    if folded:
        words = {fold(w) for w in words}
    return frozenset(words), max(len(w.split()) for w in words)


def _words(syllables: list[str], folded: bool) -> list[str]:
    """The syllables grouped into words: longest compound of the lexicon first."""
    lexicon, longest = _lexicon(folded)
    words, i = [], 0
    while i < len(syllables):
        for size in range(min(longest, len(syllables) - i), 1, -1):
            candidate = " ".join(syllables[i : i + size])
            if candidate in lexicon:
                words.append(candidate)
                i += size
                break
        else:
            words.append(syllables[i])
            i += 1
    return words


# Hex digits as the letters a-p, and a final "q": a token of lowercase ASCII
# letters that ends in a letter no English suffix ends in passes the stock
# ``text`` analyzer (word splitting, lowercasing, Porter stemming, folding)
# unchanged, so a query can ask for it by its indexed form (termfreq).
_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def _token(kind: str, text: str) -> str:
    return kind + text.encode("utf-8").hex().translate(_HEX_AS_LETTERS) + "q"


# Kinds of signal tokens: exact syllable, exact word, folded word, exact pair
# of adjacent syllables, folded pair.
_SYLLABLE, _WORD, _FOLDED_WORD, _PAIR, _FOLDED_PAIR = "x", "w", "v", "p", "f"


def _phrase_signals(syllables: list[str]) -> set[str]:
    folded = [fold(s) for s in syllables]
    tokens = {_token(_SYLLABLE, s) for s in syllables}
    tokens |= {_token(_WORD, w) for w in _words(syllables, folded=False)}
    tokens |= {_token(_FOLDED_WORD, w) for w in _words(folded, folded=True)}
    for i in range(len(syllables) - 1):
        tokens.add(_token(_PAIR, syllables[i] + " " + syllables[i + 1]))
        tokens.add(_token(_FOLDED_PAIR, folded[i] + " " + folded[i + 1]))
    return tokens


def _signals(parts: list[str]) -> set[str]:
    """Signal tokens of the texts; phrases end at punctuation."""
    tokens: set[str] = set()
    for part in parts:
        for phrase in re.split(r"[^\w\s]+", part):
            tokens |= _phrase_signals(_syllables(phrase))
    return tokens


# Codes people search for exactly: document numbers (123/QĐ-UBND,
# 45/2020/NĐ-CP), agency identifiers (000.31.30.H41), dataset identifiers
# (an agency identifier and a name) and catalogue codes (DMDL-NA-2025-017).
_CODE = re.compile(
    r"\d+(?:/\d{2,4})?/[^\W\d_]+(?:-[^\W\d_]+)*"
    r"|\d{3}\.\d{2}\.\d{2}\.[^\W\d_]\d{2}(?:/[\w.-]*\w)?"
    r"|[A-ZĐ]{2,}(?:-[A-ZĐ0-9]+)*-\d+(?:-[A-ZĐ0-9]+)*"
)


def _code(text: str) -> str:
    """A code as indexed and queried: folded, upper case."""
    return fold(text).upper()


def _codes(data: dict[str, Any], parts: list[str], agency_identifier: str | None) -> list[str]:
    found = [agency_identifier or "", data.get("identifier") or ""]
    found += as_list(data.get("alternate_identifier"))
    found += [b.get("number") for b in as_list(data.get("legal_basis")) if isinstance(b, dict)]
    for part in parts:
        found += _CODE.findall(part)
    return sorted({_code(str(code)) for code in found if code})


# Above this many datasets an agency's edit hands the reindexing to a job
# worker instead of making the person who saved the agency wait for it.
REINDEX_INLINE_MAX = 200


def reindex_agency(org_id: str) -> int:
    """Index again every dataset of agency ``org_id``; returns how many.

    A dataset's search document holds its agency's name, title and level, and
    CKAN's ``package_show`` answers from that document while the dataset
    itself is unchanged: without this, a renamed agency would keep its old
    name on its datasets' pages, in search and in DCAT, on every web worker.
    A large agency is reindexed by a background job. The agency's own change
    is saved whatever happens here: with Solr or Redis down the datasets keep
    their old documents until ``ckan search-index rebuild`` (logged).
    """
    from ckan import model

    rows = model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org_id, model.Package.state != "deleted"
    )
    ids = [row.id for row in rows]
    if not ids:
        return 0
    # the agency's change is not flushed yet inside its update action, and
    # CKAN reads a dataset's agency with a plain table query (no autoflush)
    model.Session.flush()
    try:
        if len(ids) > REINDEX_INLINE_MAX:
            tk.enqueue_job(reindex_datasets, [ids], title=f"nd47: reindex agency {org_id}")
        else:
            reindex_datasets(ids)
    except Exception:  # Solr or Redis unreachable: the agency edit must still save
        log.warning(
            "agency %s: its %d datasets were not reindexed", org_id, len(ids), exc_info=True
        )
    return len(ids)


def reindex_datasets(ids: list[str]) -> None:
    """Index the datasets ``ids`` again, one Solr commit at the end (also a job)."""
    from ckan.lib.search import commit, rebuild  # not in the toolkit

    # rebuild() defers Solr's commit for a list of datasets: commit once after
    rebuild(package_ids=ids, quiet=True)
    commit()


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


# Solr refuses a query of more than 1024 clauses; dismax makes one per piece
# of a word (covid-19 is two) and query field (five), so a long query keeps
# its first words, up to this many pieces.
_MAX_WORD_PIECES = 150


def _dismax_text(q: str) -> str:
    text = _DISMAX_DROP.sub(" ", fold(q))
    words = [word.lower() if word in _OPERATORS else word for word in text.split()]
    kept, pieces = [], 0
    for word in words:
        pieces += len(re.findall(r"[^\W_]+", word)) or 1
        if pieces > _MAX_WORD_PIECES:
            break
        kept.append(word)
    text = " ".join(kept)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    # a lone sign or empty phrase left by the above is no query
    return " ".join(word for word in text.split() if word.strip('"-'))


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


def _has_field_query(q: str) -> bool:
    return q.strip() == "*:*" or any(
        _known_field(match.group(2)) for match in _FIELD_TERM.finditer(q)
    )


def fold_query(search_params: dict[str, Any]) -> dict[str, Any]:
    """Fold the free text of the query so it matches the folded index, safely.

    Field values (``tags:"môi trường"``) are not folded: string fields such
    as tags and names hold the exact, accented values. A query without field
    queries is also ranked (``rank_query``) unless
    ``ckanext.nd47.search_ranking`` is off.
    """
    q = search_params.get("q")
    if not isinstance(q, str) or not q.strip():
        return search_params
    if _has_field_query(q) or not tk.asbool(tk.config.get("ckanext.nd47.search_ranking")):
        search_params["q"] = safe_query(q)
        return search_params
    return rank_query(search_params)


# Weights of the signals, added to the score (dismax ``bf``). A query typed
# with diacritics: the same syllables as typed, the same words, the same
# adjacent pairs as typed, adjacent pairs at all. A query without: the same
# words, adjacent pairs. Each kind weighs the same in total, whatever the
# query's length.
_ACCENTED_WEIGHTS = {_SYLLABLE: 4.0, _WORD: 4.0, _PAIR: 3.0, _FOLDED_PAIR: 1.0}
_FOLDED_WEIGHTS = {_FOLDED_WORD: 3.0, _FOLDED_PAIR: 4.0}
_WEIGHT_SCALE = 10.0
# Signals of the first syllables only: a long query stays a short function.
_MAX_SIGNAL_SYLLABLES = 12


def _boost(text: str) -> str:
    """A Solr function of the signals of ``text``; "" when it has no syllable."""
    kept = " ".join(word for word in text.split() if not word.startswith("-"))
    syllables = _syllables(kept)[:_MAX_SIGNAL_SYLLABLES]
    if not syllables:
        return ""
    folded = [fold(s) for s in syllables]
    tokens: dict[str, list[str]] = {
        _SYLLABLE: [_token(_SYLLABLE, s) for s in syllables],
        _WORD: [_token(_WORD, w) for w in _words(syllables, folded=False)],
        _FOLDED_WORD: [_token(_FOLDED_WORD, w) for w in _words(folded, folded=True)],
        _PAIR: [_token(_PAIR, " ".join(p)) for p in pairwise(syllables)],
        _FOLDED_PAIR: [_token(_FOLDED_PAIR, " ".join(p)) for p in pairwise(folded)],
    }
    weights = _ACCENTED_WEIGHTS if folded != syllables else _FOLDED_WEIGHTS
    terms = []
    for kind, weight in weights.items():
        for token in tokens[kind]:
            share = weight * _WEIGHT_SCALE / len(tokens[kind])
            terms.append(f"if(termfreq({SIGNALS_FIELD},'{token}'),{share:.4g},0)")
    return f"sum({','.join(terms)})"


def rank_query(search_params: dict[str, Any]) -> dict[str, Any]:
    """Free text ranked by what was typed; codes in it filter exactly.

    The folded text stays the query (what it finds is what ``safe_query``
    finds, with CKAN's dismax parser); ``_boost`` is added to each score
    (``bf``). A document number or
    identifier in the text becomes a filter on ``vocab_nd47_codes`` (or the
    same code as a phrase of the text) and leaves the query.
    """
    q = search_params["q"]
    codes, rest = [], []
    for word in q.split():
        bare = word.strip("\"'(),;")
        if bare and _CODE.fullmatch(bare):
            codes.append(bare)
        else:
            rest.append(word)
    text = " ".join(rest)
    search_params["q"] = _dismax_text(text)
    if codes:
        clauses = [f'+({CODES_FIELD}:"{_code(code)}" OR text:"{fold(code)}")' for code in codes]
        search_params["fq"] = " ".join(c for c in [search_params.get("fq") or "", *clauses] if c)
    boost = _boost(text) if search_params["q"] else ""
    # dismax (CKAN's parser for a query without a colon), not edismax: with
    # CKAN's q.op=AND and no way to pass sow=true, edismax needs every word
    # where dismax's mm lets a long query miss one, so it would find less
    if boost and not search_params.get("defType") and not search_params.get("bf"):
        search_params["bf"] = boost
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
