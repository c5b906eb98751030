"""What a person may do with a dataset, in words: the licence and the sharing class.

The licences themselves (titles, URIs) come from the licence vocabulary; this
module adds, per licence code, what one may do and on which conditions, and
the rights every open dataset gives by law (Law on E-Transactions 2023,
Art. 43(3)-(4)). Strings are English msgids, translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.text import ui_lang

__all__ = [
    "LAW_RIGHTS",
    "OPEN",
    "LicenceTerms",
    "all_licence_terms",
    "licence_terms",
    "sharing_words",
]


def N_(text: str) -> str:
    return text


# The sharing class whose datasets are public and free to use.
OPEN = "mo"

# Law on E-Transactions 2023 (20/2023/QH15), Art. 43(3)-(4).
LAW_RIGHTS: tuple[str, ...] = (
    N_("Anyone may access and use open data freely, without paying and without asking."),
    N_("You do not have to identify yourself or create an account to download open data."),
    N_("Use must respect the conditions of the licence and the law; data is provided as is."),
)

_COMMON_MAY = (
    N_("copy, download and share the data"),
    N_("combine it with other data and build on it"),
    N_("use it for any purpose, commercial ones included"),
)

# licence code -> (what you may do, the conditions)
_LICENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vn-open-data": (
        _COMMON_MAY,
        (
            N_("name the source: the agency and the dataset"),
            N_("do not present the data as official after you changed it"),
        ),
    ),
    "CC-BY-4.0": (
        _COMMON_MAY,
        (
            N_("name the source and link to the licence"),
            N_("say whether you changed the data"),
        ),
    ),
    "ODC-BY-1.0": (
        _COMMON_MAY,
        (N_("name the source of the database and keep its notices"),),
    ),
    "CC0-1.0": (
        _COMMON_MAY,
        (N_("no condition: naming the source is welcome but not required"),),
    ),
}


@dataclass(frozen=True)
class LicenceTerms:
    code: str
    title: str
    url: str
    may: tuple[str, ...]
    conditions: tuple[str, ...]
    known: bool


def licence_terms(code: str | None) -> LicenceTerms | None:
    """The licence of ``code`` in words, in the interface language; None if no licence."""
    if not code:
        return None
    term = vocab.term("licenses", code)
    may, conditions = _LICENCES.get(code, ((), ()))
    return LicenceTerms(
        code=code,
        title=term.label(ui_lang()) if term else code,
        url=(term.extra.get("url") if term else "") or "",
        may=tuple(tk._(text) for text in may),
        conditions=tuple(tk._(text) for text in conditions),
        known=code in _LICENCES,
    )


def all_licence_terms() -> list[LicenceTerms]:
    """Every licence of the vocabulary, in file order (for the terms page)."""
    found = [licence_terms(term.code) for term in vocab.get("licenses")]
    return [t for t in found if t is not None]


def sharing_words(pkg: dict[str, Any]) -> dict[str, Any]:
    """The sharing class label and whether the dataset is open for everyone."""
    code = pkg.get("sharing_class")
    return {
        "code": code,
        "label": vocab.label("sharing_class", code, ui_lang()) if code else "",
        "open": code == OPEN and not pkg.get("private"),
    }
