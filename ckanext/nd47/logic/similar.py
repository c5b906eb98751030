""" "This data already exists": datasets of other agencies that look like the same data.

A publisher about to collect data again (Law on E-Transactions 2023, Art.
41(3)) is shown up to five datasets of other agencies whose title, keywords,
themes and administrative units match what they are typing.

Two stages:

1. Retrieval: one ``package_search`` with the caller's context (so only what
   the caller may see: CKAN's permission labels decide, with
   ``include_private`` so that shared data reaches agency users once the
   sharing plugin labels it), never the caller's own agency, never "dùng
   riêng" data (the owning agency's only), on the folded search text.
2. Ranking: a score from the diacritic-folded title words (syllables and
   syllable pairs, since Vietnamese words are mostly two syllables), the
   keywords and the themes. Datasets that name other provinces or other years
   than the query are the same *kind* of data but not the same data, and are
   left out.

The weights and the threshold were set on the labelled set
``tests/data/similar_pairs.json`` (``bench/bench_similar.py`` reports its
precision and recall).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.search import FOLDED_FIELD
from ckanext.nd47.text import as_list, fold

__all__ = ["LIMIT", "Query", "similar_datasets"]

LIMIT = 5
# Candidates fetched from Solr before ranking.
CANDIDATES = 50
# Score below which a candidate is not shown (see the module docstring).
THRESHOLD = 0.45
WEIGHTS = {"title": 0.6, "keywords": 0.25, "themes": 0.15}
PRIVATE_SHARING_CLASS = "dung-rieng"

# Words that say nothing about which data it is: "dữ liệu", "danh sách", the
# kinds of administrative unit (the units themselves are compared apart).
_STOPWORDS = frozenset(
    "du lieu bo danh sach thong tin so co cac ve cua va tren dia ban nam theo tai "
    "tinh thanh pho xa phuong huyen quan thi tran dac khu tp toan quoc gia".split()
)
_WORD = re.compile(r"[0-9a-z]+")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass
class Query:
    """What the publisher has typed so far."""

    title: str = ""
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    admin_units: tuple[str, ...] = ()

    @classmethod
    def from_dataset(cls, data: dict[str, Any]) -> Query:
        tags = [t["name"] if isinstance(t, dict) else t for t in as_list(data.get("tags"))]
        tags += as_list(data.get("tag_string") or data.get("keywords"))
        return cls(
            title=str(data.get("title") or ""),
            keywords=tuple(str(t) for t in tags),
            themes=tuple(str(t) for t in as_list(data.get("theme"))),
            admin_units=tuple(str(u) for u in as_list(data.get("admin_units"))),
        )


def _folded(text: str) -> str:
    return fold(text).lower()


@lru_cache(maxsize=4)
def _province_names(_base: str) -> tuple[tuple[str, str], ...]:
    """(folded bare name, code) of every province, longest names first."""
    names = []
    for term in vocab.get("admin_unit"):
        if term.extra.get("level") != "province":
            continue
        bare = re.sub(r"^(Tỉnh|Thành phố)\s+", "", term.vi)
        names.append((_folded(bare), term.code))
    return tuple(sorted(names, key=lambda n: -len(n[0])))


def _provinces(title: str, units: tuple[str, ...]) -> set[str]:
    """Province codes named by the administrative units or in the title."""
    codes = set()
    for code in units:
        term = vocab.term("admin_unit", code)
        if term is None:
            continue
        level = term.extra.get("level")
        if level == "province":
            codes.add(code)
        elif level == "commune":
            codes.add(term.extra["province"])
    text = f" {' '.join(_WORD.findall(_folded(title)))} "
    for name, code in _province_names(vocab.uri_base()):
        if f" {name} " in text:
            codes.add(code)
            text = text.replace(f" {name} ", " ")
    return codes


def _content_words(title: str) -> list[str]:
    """Title words that identify the data: no stopwords, province names, years."""
    text = f" {' '.join(_WORD.findall(_folded(title)))} "
    for name, _code in _province_names(vocab.uri_base()):
        text = text.replace(f" {name} ", " ")
    return [w for w in text.split() if w not in _STOPWORDS and not _YEAR.fullmatch(w)]


def _features(words: list[str]) -> set[str]:
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def _overlap(a: set[str], b: set[str]) -> float:
    """Half Jaccard, half containment: a short query inside a longer title counts."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 0.5 * common / len(a | b) + 0.5 * common / min(len(a), len(b))


def _score(query: Query, candidate: dict[str, Any]) -> float:
    cand = Query.from_dataset(candidate)
    if _YEAR.search(query.title) and _YEAR.search(cand.title):
        if {m.group(0) for m in _YEAR.finditer(query.title)}.isdisjoint(
            m.group(0) for m in _YEAR.finditer(cand.title)
        ):
            return 0.0  # the same series, another year
    mine = _provinces(query.title, query.admin_units)
    theirs = _provinces(cand.title, cand.admin_units)
    if mine and theirs and mine.isdisjoint(theirs):
        return 0.0  # the same kind of data, another province
    signals = {
        "title": _overlap(
            _features(_content_words(query.title)), _features(_content_words(cand.title))
        )
    }
    if query.keywords and cand.keywords:
        signals["keywords"] = _overlap(
            {_folded(k) for k in query.keywords}, {_folded(k) for k in cand.keywords}
        )
    if query.themes and cand.themes:
        signals["themes"] = _overlap(set(query.themes), set(cand.themes))
    total = sum(WEIGHTS[k] for k in signals)
    return sum(WEIGHTS[k] * v for k, v in signals.items()) / total


def _solr_query(query: Query) -> str | None:
    words = _content_words(query.title)
    words += [w for k in query.keywords for w in _WORD.findall(_folded(k))]
    words = [w for w in dict.fromkeys(words) if w not in _STOPWORDS]
    if not words:
        return None
    # Field syntax: the query is already folded, and the standard parser ORs the words.
    return f"{FOLDED_FIELD}:({' '.join(words)})"


def _agency_id(context: dict[str, Any], agency: str | None) -> str | None:
    if not agency:
        return None
    try:
        org = tk.get_action("organization_show")(
            dict(context), {"id": agency, "include_datasets": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return org["id"]


def similar_datasets(
    context: dict[str, Any],
    query: Query,
    exclude_owner_org: str | None = None,
    exclude_id: str | None = None,
    limit: int = LIMIT,
) -> list[tuple[float, dict[str, Any]]]:
    """Up to ``limit`` (score, dataset) of other agencies, best first, that the caller may see."""
    q = _solr_query(query)
    if q is None:
        return []
    fq = [
        "+dataset_type:dataset",
        f"-sharing_class:{PRIVATE_SHARING_CLASS}",
    ]
    owner = _agency_id(context, exclude_owner_org)
    if owner:
        fq.append(f'-owner_org:"{owner}"')
    if exclude_id:
        fq.append(f'-id:"{exclude_id}"')
    result = tk.get_action("package_search")(
        dict(context),
        {
            "q": q,
            "fq": " ".join(fq),
            "rows": CANDIDATES,
            "include_private": True,
            "include_drafts": False,
        },
    )
    scored = []
    for dataset in result["results"]:
        if dataset.get("sharing_class") == PRIVATE_SHARING_CLASS:
            continue
        if owner and dataset.get("owner_org") == owner:
            continue
        score = _score(query, dataset)
        if score >= THRESHOLD:
            scored.append((score, dataset))
    scored.sort(key=lambda s: (-s[0], s[1].get("title") or ""))
    return scored[:limit]
