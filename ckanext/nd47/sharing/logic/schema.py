"""Validation schemas of the sharing actions (``@validator_args`` factories)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.logic.validators import nd47_legal_document_number
from ckanext.nd47.sharing.logic import validators as v

__all__ = [
    "grant_schema",
    "list_schema",
    "refuse_schema",
    "request_create_schema",
    "revoke_schema",
]

Schema = dict[str, Any]


@tk.validator_args
def request_create_schema(not_empty, ignore_missing, unicode_safe, strip_value) -> Schema:
    return {
        "package_id": [not_empty, unicode_safe],
        "requester_org": [not_empty, unicode_safe],
        "purpose": [not_empty, unicode_safe, strip_value],
        "legal_basis": [not_empty, unicode_safe, nd47_legal_document_number],
        "period_start": [ignore_missing, v.nd47_sharing_date],
        "period_end": [ignore_missing, v.nd47_sharing_date],
        "contact": [not_empty, unicode_safe, strip_value],
        "resource_ids": [ignore_missing, v.nd47_sharing_id_list],
    }


@tk.validator_args
def grant_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "grant_start": [ignore_missing, v.nd47_sharing_date],
        "grant_end": [not_empty, v.nd47_sharing_date],
        "resource_ids": [ignore_missing, v.nd47_sharing_id_list],
    }


@tk.validator_args
def refuse_schema(not_empty, unicode_safe) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "reason": [v.nd47_sharing_reason_required, unicode_safe],
        "legal_basis": [
            v.nd47_sharing_legal_basis_required,
            unicode_safe,
            nd47_legal_document_number,
        ],
    }


@tk.validator_args
def revoke_schema(not_empty, unicode_safe) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "reason": [v.nd47_sharing_reason_required, unicode_safe],
    }


@tk.validator_args
def list_schema(ignore_missing, unicode_safe, int_validator, natural_number_validator) -> Schema:
    return {
        "side": [ignore_missing, unicode_safe],
        "org": [ignore_missing, unicode_safe],
        "package_id": [ignore_missing, unicode_safe],
        "status": [ignore_missing, unicode_safe],
        "limit": [ignore_missing, int_validator, natural_number_validator],
        "offset": [ignore_missing, int_validator, natural_number_validator],
    }
