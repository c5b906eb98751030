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

from dataclasses import dataclass
from functools import cache
from typing import Any

from ckanext.nd47 import sheets, vocab
from ckanext.nd47.plans import workflow
from ckanext.nd47.sheets import norm, split_multi

__all__ = ["COLUMNS", "Choice", "Column", "lookup", "norm", "split_multi", "vi_label"]

# Common spellings that are neither a code nor a label, by column (those of
# the shared vocabularies are the core's). Keys are compared after norm(), so
# "Tải về", "tai ve" and "TẢI VỀ" are one key.
ALIASES: dict[str, dict[str, str]] = {
    "formats": sheets.ALIASES["file_type"],
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
    "update_cadence": sheets.ALIASES["frequency"],
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


def lookup(field: str, value: Any) -> str | None:
    """The code that ``value`` spells in column ``field``; None when unknown."""
    return _index(field).get(norm(value))


def vi_label(field: str, code: str) -> str:
    """The Vietnamese label of ``code`` in column ``field`` (the code if unknown).

    An export writes labels, which :func:`lookup` reads back as the same code.
    """
    column = next(c for c in COLUMNS if c.field == field)
    return next((choice.vi for choice in column.choices if choice.code == code), code)
