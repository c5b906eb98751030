"""Validation schemas of the feedback and data-request actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.feedback import workflow as wf

__all__ = [
    "answer_schema",
    "feedback_create_schema",
    "follow_schema",
    "list_schema",
    "moderate_schema",
    "request_create_schema",
    "request_plan_item_schema",
    "status_schema",
]

Schema = dict[str, Any]


def _one_of(field: str, table: dict[str, str]) -> Any:
    def validator(value: Any) -> Any:
        # a list or dict from a JSON body is no choice (and not hashable)
        if not isinstance(value, str) or value not in table:
            raise tk.Invalid(
                tk._("{field} must be one of: {values}").format(
                    field=field, values=", ".join(table)
                )
            )
        return value

    return validator


@tk.validator_args
def _author(
    ignore_missing: Any, unicode_safe: Any, strip_value: Any, email_validator: Any
) -> Schema:
    return {
        "name": [ignore_missing, unicode_safe, strip_value],
        "email": [ignore_missing, unicode_safe, strip_value, email_validator],
    }


@tk.validator_args
def feedback_create_schema(
    not_empty: Any, ignore_missing: Any, unicode_safe: Any, strip_value: Any
) -> Schema:
    return {
        "package_id": [not_empty, unicode_safe],
        "kind": [not_empty, _one_of("kind", wf.FEEDBACK_KINDS)],
        "title": [ignore_missing, unicode_safe, strip_value],
        "body": [not_empty, unicode_safe, strip_value],
        **_author(),
    }


@tk.validator_args
def request_create_schema(
    not_empty: Any, ignore_missing: Any, unicode_safe: Any, strip_value: Any
) -> Schema:
    return {
        "owner_org": [ignore_missing, unicode_safe],
        "title": [not_empty, unicode_safe, strip_value],
        "body": [not_empty, unicode_safe, strip_value],
        **_author(),
    }


@tk.validator_args
def answer_schema(
    not_empty: Any, ignore_missing: Any, unicode_safe: Any, strip_value: Any
) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "body": [not_empty, unicode_safe, strip_value],
        "status": [ignore_missing, _one_of("status", wf.STATUSES)],
    }


@tk.validator_args
def status_schema(not_empty: Any, unicode_safe: Any) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "status": [not_empty, _one_of("status", wf.STATUSES)],
    }


@tk.validator_args
def moderate_schema(not_empty: Any, unicode_safe: Any) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "visibility": [not_empty, _one_of("visibility", wf.VISIBILITIES)],
    }


@tk.validator_args
def follow_schema(
    not_empty: Any, ignore_missing: Any, unicode_safe: Any, strip_value: Any
) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "email": _author()["email"],
    }


@tk.validator_args
def request_plan_item_schema(not_empty: Any, ignore_missing: Any, unicode_safe: Any) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "plan_id": [not_empty, unicode_safe],
        "code": [not_empty, unicode_safe],
        "title": [ignore_missing, unicode_safe],
    }


@tk.validator_args
def list_schema(
    ignore_missing: Any, unicode_safe: Any, int_validator: Any, natural_number_validator: Any
) -> Schema:
    return {
        "package_id": [ignore_missing, unicode_safe],
        "owner_org": [ignore_missing, unicode_safe],
        "status": [ignore_missing, _one_of("status", wf.STATUSES)],
        "kind": [ignore_missing, _one_of("kind", wf.KINDS)],
        "q": [ignore_missing, unicode_safe],
        "include_hidden": [ignore_missing, tk.get_validator("boolean_validator")],
        "limit": [ignore_missing, int_validator, natural_number_validator],
        "offset": [ignore_missing, int_validator, natural_number_validator],
    }
