"""Business rules shared by the schemas, the plan tracker and the DCAT profile.

Each rule is switched by an option of ``config_declaration.yaml`` and cites its
legal source there and in docs/metadata.md. Rules work on plain dicts (a
package dict, or values read from a validation data dict) and return error
messages; the validators (``logic/validators.py``) attach them to fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.text import ui_lang

__all__ = [
    "CORE_IMPORTANCE",
    "OPEN_SHARING_CLASS",
    "has_open_machine_readable_resource",
    "is_open_public",
    "must_be_private",
    "open_core_data_error",
    "personal_data_review_error",
    "stays_private_error",
]

# The sharing class that may be published (Law on Data 2024, Art. 3 and 13).
OPEN_SHARING_CLASS = "mo"
# Core and important data (Law on Data 2024, Art. 13; Decision 20/2025/QĐ-TTg).
CORE_IMPORTANCE = frozenset({"cot-loi", "quan-trong"})


def is_open_public(pkg_dict: dict[str, Any]) -> bool:
    """True when a dataset is public and open: active, not private, sharing class "mở"."""
    return (
        not pkg_dict.get("private")
        and pkg_dict.get("state", "active") == "active"
        and pkg_dict.get("sharing_class") == OPEN_SHARING_CLASS
    )


def must_be_private(sharing_class: str | None) -> bool:
    """Only open data may be public (ckanext.nd47.force_private_unless_open)."""
    return bool(
        tk.config.get("ckanext.nd47.force_private_unless_open")
        and sharing_class
        and sharing_class != OPEN_SHARING_CLASS
    )


def stays_private_error(names: Iterable[str]) -> str:
    """Why datasets that are not open data cannot be made public."""
    return tk._(
        'Sharing class: only "open" datasets can be public; these stay private: {names}.'
    ).format(names=", ".join(names))


def open_core_data_error(sharing_class: str | None, importance: str | None) -> str | None:
    """Core or important data cannot be open unless the operator allows it."""
    if (
        sharing_class == OPEN_SHARING_CLASS
        and importance in CORE_IMPORTANCE
        and not tk.config.get("ckanext.nd47.allow_open_core_data")
    ):
        lang = ui_lang()
        # the way out, in the words of the form: the labels, never the codes
        return tk._(
            'Sharing class: {importance} cannot be "open data" (Law on Data 2024, '
            'Art. 13 and 21; Decision 20/2025/QĐ-TTg). Choose "{other}" under '
            '"Importance", or choose "{shared}" or "{private}" as the sharing class.'
        ).format(
            importance=vocab.label("importance", importance, lang),
            other=vocab.label("importance", "khac", lang),
            shared=vocab.label("sharing_class", "dung-chung", lang),
            private=vocab.label("sharing_class", "dung-rieng", lang),
        )
    return None


def personal_data_review_error(
    sharing_class: str | None, private: bool, reviewed: bool
) -> str | None:
    """A public open dataset needs the personal-data review confirmed."""
    if (
        tk.config.get("ckanext.nd47.require_personal_data_review")
        and sharing_class == OPEN_SHARING_CLASS
        and not private
        and not reviewed
    ):
        return tk._(
            "Personal-data review: confirm that the dataset holds no personal data "
            "before it is published as open data (Law on E-Transactions 2023, Art. 43)."
        )
    return None


def has_open_machine_readable_resource(formats: Iterable[str | None]) -> bool:
    """True when one of the formats is open and machine-readable (Art. 43(2))."""
    for code in formats:
        found = vocab.term("file_type", (code or "").upper())
        if found and found.extra.get("open") and found.extra.get("machine_readable"):
            return True
    return False


def open_format_missing(pkg_dict: dict[str, Any]) -> bool:
    """A public open dataset without an open, machine-readable resource."""
    if not is_open_public(pkg_dict):
        return False
    return not has_open_machine_readable_resource(
        r.get("format") for r in pkg_dict.get("resources") or []
    )


def open_format_error() -> str:
    return tk._(
        "Resources: open data needs at least one resource in an open, machine-readable "
        "format such as CSV or JSON (Law on E-Transactions 2023, Art. 43(2))."
    )
