"""Template helpers of the plan pages (``h.nd47_plans_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.plans import fields, workflow
from ckanext.nd47.text import ui_lang

__all__ = [
    "nd47_plans_change_value",
    "nd47_plans_config",
    "nd47_plans_error_texts",
    "nd47_plans_field_label",
    "nd47_plans_form_fields",
    "nd47_plans_item_statuses",
    "nd47_plans_label",
    "nd47_plans_options",
    "nd47_plans_reason_categories",
    "nd47_plans_text",
    "nd47_plans_transitions",
    "nd47_plans_vocab_label",
]


def nd47_plans_text(message: str) -> str:
    """A plan label msgid (e.g. a field's) translated in the plan's message context."""
    return workflow.text(message)


def nd47_plans_field_label(field: str, object_type: str = "item") -> str:
    """The translated label of a plan ("plan") or item ("item") field."""
    return workflow.text(fields.label_of(field, object_type))


def nd47_plans_error_texts(messages: Any) -> list[str]:
    """A field's error messages for the form, without their own leading "Field:" subject."""
    found = [messages] if isinstance(messages, str) else list(messages or [])
    return [tk.h.nd47_error_text(m) for m in found]


def nd47_plans_form_fields(object_type: str) -> list[fields.Field]:
    """The fields the plan ("plan") or item ("item") form edits, in order."""
    declared = fields.ITEM_FIELDS if object_type == "item" else fields.PLAN_FIELDS
    return [f for f in declared if f.editable]


def nd47_plans_label(table: str, code: str | None) -> str:
    return workflow.label(table, code)


def _options(table: str, codes: Any) -> list[dict[str, str]]:
    return [{"value": code, "text": workflow.label(table, code)} for code in codes]


def nd47_plans_item_statuses() -> list[dict[str, str]]:
    return _options("item_status", workflow.ITEM_STATUSES)


def nd47_plans_transitions(status: str) -> list[dict[str, str]]:
    return _options("item_status", workflow.ITEM_TRANSITIONS.get(status, ()))


def nd47_plans_reason_categories() -> list[dict[str, str]]:
    return _options("reason_category", workflow.REASON_CATEGORIES)


def nd47_plans_vocab_label(vocabulary: str, code: str | None) -> str:
    """The label of a vocabulary code (themes, frequency) in the page's language."""
    if not code:
        return ""
    return vocab.label(vocabulary, code, ui_lang())


def nd47_plans_options(field: fields.Field) -> list[dict[str, str]]:
    """Choices of a form field: a workflow table (choice) or a vocabulary (vocab)."""
    if field.widget == "vocab":
        return [
            {"value": term.code, "text": nd47_plans_vocab_label(field.options, term.code)}
            for term in vocab.get(field.options)
        ]
    return _options(field.options, workflow.table(field.options))


def nd47_plans_config(key: str) -> Any:
    """A declared ``ckanext.nd47.plans.*`` option (for texts that cite it)."""
    return tk.config.get(f"ckanext.nd47.plans.{key}")


# plan header dates that are not declared as date widgets
_DATE_FIELDS = {"decision_date", "last_review", "next_review_due", "due_date"}


def nd47_plans_change_value(field: str, value: Any, object_type: str = "item") -> str:
    """One side of an audit-trail change as the pages show it: labels, not codes.

    Statuses, choices and vocabulary codes become their labels, dates
    dd/mm/yyyy (in Vietnamese), a linked dataset its title; empty is "—".
    """
    if value is None or value == "" or value == []:
        return "—"
    if field == "status":
        return workflow.label("item_status" if object_type == "item" else "plan_status", value)
    declared = fields.ITEM_FIELDS if object_type == "item" else fields.PLAN_FIELDS
    spec = next((f for f in declared if f.name == field), None)
    if field in _DATE_FIELDS or (spec and spec.widget == "date"):
        return tk.h.render_datetime(str(value))
    if field == "reason_category":
        return workflow.label("reason_category", value)
    if field == "formats":
        codes = value if isinstance(value, list) else str(value).split(",")
        return ", ".join(vocab.label("file_type", code.strip(), ui_lang()) for code in codes)
    if field == "package_id":
        try:
            shown = tk.get_action("package_show")({}, {"id": value})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return "—"
        return shown.get("title") or shown["name"]
    if spec and spec.widget == "vocab":
        return nd47_plans_vocab_label(spec.options, value)
    if spec and spec.widget == "choice":
        return workflow.label(spec.options, value)
    return str(value)
