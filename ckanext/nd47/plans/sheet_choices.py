"""The coded columns of the plan spreadsheet: their values, labels and accepted spellings.

People fill the template with the words the pages show them ("Giáo dục đào
tạo", "Hằng năm", "Excel", "Tải về"), not with codes. Each coded column maps
every accepted spelling — the code, the Vietnamese and English labels and a
few common ways of writing them — to its code, compared without case,
diacritics or punctuation (``text.fold``). The template's drop-down lists and
its guide sheet are generated from the same tables, so what the file offers
is exactly what the import accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ckanext.nd47 import vocab
from ckanext.nd47.plans import workflow
from ckanext.nd47.text import fold

__all__ = ["COLUMNS", "Choice", "Column", "lookup", "norm", "split_multi", "vi_label"]

# Common spellings that are neither a code nor a label, by column. Keys are
# compared after norm(), so "Tải về", "tai ve" and "TẢI VỀ" are one key.
ALIASES: dict[str, dict[str, str]] = {
    "formats": {
        "excel": "XLSX",
        "ms excel": "XLSX",
        "microsoft excel": "XLSX",
        "excel 2007": "XLSX",
        "excel 97 2003": "XLS",
        "word": "DOCX",
        "shapefile": "SHP",
        "shp": "SHP",
        "rdf": "RDF_XML",
        "ttl": "RDF_TURTLE",
        "jsonld": "JSON_LD",
        "txt": "TXT",
    },
    "access_mode": {
        "tai ve": "download",
        "tai xuong": "download",
        "tai file": "download",
        "download file": "download",
        "dich vu api": "api",
        "api dich vu du lieu": "api",
        "tai ve api": "download_api",
        "tai ve va api": "download_api",
        "tai xuong va api": "download_api",
        "download api": "download_api",
        "ca hai": "download_api",
    },
    "update_cadence": {
        "mot nam mot lan": "ANNUAL",
        "1 nam 1 lan": "ANNUAL",
        "moi nam": "ANNUAL",
        "yearly": "ANNUAL",
        "nua nam": "ANNUAL_2",
        "6 thang": "ANNUAL_2",
        "6 thang mot lan": "ANNUAL_2",
        "6 thang 1 lan": "ANNUAL_2",
        "hang quy": "QUARTERLY",
        "3 thang": "QUARTERLY",
        "moi thang": "MONTHLY",
        "moi ngay": "DAILY",
        "moi tuan": "WEEKLY",
        "dot xuat": "IRREG",
    },
    "priority": {"trung binh": "medium", "vua": "medium"},
}


@dataclass(frozen=True)
class Choice:
    code: str
    vi: str
    en: str


@dataclass(frozen=True)
class Column:
    """A coded item column: its field, its values and whether a cell holds several."""

    field: str
    multiple: bool = False

    @property
    def choices(self) -> tuple[Choice, ...]:
        return _choices(self.field)

    @property
    def aliases(self) -> dict[str, str]:
        """Extra spellings of this column (normalised key -> code)."""
        return ALIASES.get(self.field, {})


COLUMNS: tuple[Column, ...] = (
    Column("theme"),
    Column("formats", multiple=True),
    Column("access_mode"),
    Column("update_cadence"),
    Column("priority"),
)
_VOCABULARY = {"theme": "themes", "formats": "file_type", "update_cadence": "frequency"}
_TABLE = {"access_mode": workflow.ACCESS_MODES, "priority": workflow.PRIORITIES}


def norm(text: Any) -> str:
    """A cell compared loosely: no case, diacritics, punctuation or repeated spaces."""
    folded = fold(str(text or "")).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _choices(field: str) -> tuple[Choice, ...]:
    if field in _VOCABULARY:
        return tuple(Choice(t.code, t.vi, t.en) for t in vocab.get(_VOCABULARY[field]))
    return tuple(Choice(code, workflow.vi(en), en) for code, en in _TABLE[field].items())


@cache
def _index(field: str) -> dict[str, str]:
    # vocabularies are read-only data files: one index per process
    column = next(c for c in COLUMNS if c.field == field)
    index: dict[str, str] = {}
    for choice in column.choices:
        for spelling in (choice.code, choice.vi, choice.en):
            index.setdefault(norm(spelling), choice.code)
    for spelling, code in column.aliases.items():
        index.setdefault(norm(spelling), code)
    return index


def split_multi(value: Any) -> list[str]:
    """The values of a multi-valued cell ("CSV, Excel; JSON"): commas, semicolons, lines."""
    return [p.strip() for p in re.split(r"[,;\n]", str(value)) if p.strip()]


def lookup(field: str, value: Any) -> str | None:
    """The code that ``value`` spells in column ``field``; None when unknown."""
    return _index(field).get(norm(value))


def vi_label(field: str, code: str) -> str:
    """The Vietnamese label of ``code`` in column ``field`` (the code if unknown).

    An export writes labels, which :func:`lookup` reads back as the same code.
    """
    column = next(c for c in COLUMNS if c.field == field)
    return next((choice.vi for choice in column.choices if choice.code == code), code)
