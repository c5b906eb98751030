"""Validators of the sharing actions: dates, resource lists, the fields a refusal needs.

The legal-basis number reuses the core validator
(``ckanext.nd47.logic.validators.nd47_legal_document_number``).
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Invalid, missing

from ckanext.nd47.text import as_list

__all__ = [
    "nd47_sharing_date",
    "nd47_sharing_id_list",
    "nd47_sharing_legal_basis_required",
    "nd47_sharing_reason_required",
]


def _empty(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def nd47_sharing_date(value: Any) -> Any:
    """A calendar date written YYYY-MM-DD."""
    if _empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise Invalid(
            tk._('Date: "{value}" is not a date; write it as YYYY-MM-DD.').format(value=value)
        ) from None


def nd47_sharing_id_list(value: Any) -> Any:
    """Resource ids as a list; empty means every resource (stored as null)."""
    ids = [str(v).strip() for v in as_list(value) if str(v).strip()]
    return ids or None


def nd47_sharing_reason_required(value: Any) -> Any:
    if _empty(value):
        raise Invalid(
            tk._(
                "Reason: a refusal or revocation must state its reason "
                "(Decree 194/2025/NĐ-CP, Art. 16(2))."
            )
        )
    return str(value).strip()


def nd47_sharing_legal_basis_required(value: Any) -> Any:
    if _empty(value):
        raise Invalid(
            tk._(
                "Legal basis: a refusal must cite the legal document it rests on, "
                "e.g. 13/2023/NĐ-CP (Decree 194/2025/NĐ-CP, Art. 16(2))."
            )
        )
    return value
