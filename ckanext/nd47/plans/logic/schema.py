"""Validation schemas of the plan actions (``@validator_args`` factories)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.plans.logic import validators
from ckanext.nd47.text import as_list

__all__ = [
    "audit_list_schema",
    "figures_schema",
    "item_link_schema",
    "item_list_schema",
    "item_schema",
    "item_status_schema",
    "item_update_schema",
    "plan_list_schema",
    "plan_schema",
    "plan_update_schema",
]

Schema = dict[str, Any]


@tk.validator_args
def plan_schema(not_empty, ignore_missing, unicode_safe, int_validator, url_validator) -> Schema:
    return {
        "owner_org": [not_empty, validators.nd47_plan_agency],
        "period": [not_empty, validators.nd47_plan_period],
        "title": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "version": [ignore_missing, int_validator],
        # written like the legal basis of a dataset: 123/QĐ-UBND
        "decision_number": [
            ignore_missing,
            unicode_safe,
            validators.nd47_plan_short_text,
            tk.get_validator("nd47_legal_document_number"),
        ],
        "decision_date": [ignore_missing, validators.nd47_plan_date],
        "decision_signer": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "decision_url": [
            ignore_missing,
            unicode_safe,
            validators.nd47_plan_short_text,
            url_validator,
        ],
        "last_review": [ignore_missing, validators.nd47_plan_date],
        "next_review_due": [ignore_missing, validators.nd47_plan_date],
    }


@tk.validator_args
def plan_update_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    schema = plan_schema()
    schema["id"] = [not_empty, unicode_safe]
    schema["owner_org"] = [ignore_missing, validators.nd47_plan_agency]
    schema["period"] = [ignore_missing, validators.nd47_plan_period]
    return schema


def _paging(ignore_missing: Any, int_validator: Any, natural_number_validator: Any) -> Schema:
    return {
        "limit": [
            ignore_missing,
            int_validator,
            natural_number_validator,
            validators.nd47_plan_page_bound,
        ],
        "offset": [
            ignore_missing,
            int_validator,
            natural_number_validator,
            validators.nd47_plan_page_bound,
        ],
    }


@tk.validator_args
def plan_list_schema(
    ignore_missing, unicode_safe, int_validator, natural_number_validator
) -> Schema:
    return {
        "owner_org": [ignore_missing, validators.nd47_plan_agency],
        "period": [ignore_missing, validators.nd47_plan_period],
        "status": [ignore_missing, unicode_safe],
        "q": [ignore_missing, unicode_safe],
        **_paging(ignore_missing, int_validator, natural_number_validator),
    }


@tk.validator_args
def item_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {
        "plan_id": [not_empty, unicode_safe],
        "code": [not_empty, validators.nd47_plan_code],
        "title": [not_empty, unicode_safe, validators.nd47_plan_short_text],
        "theme": [ignore_missing, validators.nd47_plan_theme],
        "description": [ignore_missing, unicode_safe, validators.nd47_plan_long_text],
        "source_database": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "formats": [ignore_missing, validators.nd47_plan_formats],
        "access_mode": [ignore_missing, validators.nd47_plan_access_mode],
        "update_cadence": [ignore_missing, validators.nd47_plan_cadence],
        "due_date": [ignore_missing, validators.nd47_plan_date],
        "priority": [ignore_missing, validators.nd47_plan_priority],
        "lead_agency": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "cooperating_agencies": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "package_id": [ignore_missing, validators.nd47_plan_dataset],
    }


@tk.validator_args
def item_update_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    schema = item_schema()
    schema.pop("plan_id")
    schema.pop("package_id")
    schema["id"] = [not_empty, unicode_safe]
    schema["code"] = [ignore_missing, validators.nd47_plan_code]
    schema["title"] = [ignore_missing, not_empty, unicode_safe, validators.nd47_plan_short_text]
    return schema


@tk.validator_args
def item_status_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "status": [not_empty, validators.nd47_plan_item_status],
        "reason": [ignore_missing, unicode_safe, validators.nd47_plan_short_text],
        "reason_category": [ignore_missing, validators.nd47_plan_reason_category],
    }


@tk.validator_args
def item_link_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "package_id": [ignore_missing, validators.nd47_plan_dataset],
    }


@tk.validator_args
def item_list_schema(
    ignore_missing, unicode_safe, boolean_validator, int_validator, natural_number_validator
) -> Schema:
    return {
        "plan_id": [ignore_missing, unicode_safe],
        "owner_org": [ignore_missing, validators.nd47_plan_agency],
        "period": [ignore_missing, validators.nd47_plan_period],
        "status": [ignore_missing, validators.nd47_plan_item_status],
        "theme": [ignore_missing, unicode_safe],
        "overdue": [ignore_missing, boolean_validator],
        "update_overdue": [ignore_missing, boolean_validator],
        "package_id": [ignore_missing, unicode_safe],
        "q": [ignore_missing, unicode_safe],
        **_paging(ignore_missing, int_validator, natural_number_validator),
    }


@tk.validator_args
def audit_list_schema(
    ignore_missing, unicode_safe, int_validator, natural_number_validator
) -> Schema:
    return {
        "plan_id": [ignore_missing, unicode_safe],
        "item_id": [ignore_missing, unicode_safe],
        **_paging(ignore_missing, int_validator, natural_number_validator),
    }


@tk.validator_args
def figures_schema(
    ignore_missing, int_validator, natural_number_validator, boolean_validator
) -> Schema:
    return {
        "org_ids": [ignore_missing, as_list],
        "period": [ignore_missing, validators.nd47_plan_period],
        "today": [ignore_missing, validators.nd47_plan_date],
        "limit": [
            ignore_missing,
            int_validator,
            natural_number_validator,
            validators.nd47_plan_page_bound,
        ],
        "change_mark_only": [ignore_missing, boolean_validator],
    }
