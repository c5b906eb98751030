"""Template helpers of the plan pages (``h.nd47_plans_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.plans import workflow as wf
from ckanext.nd47.text import ui_lang

__all__ = [
    "nd47_plans_access_modes",
    "nd47_plans_config",
    "nd47_plans_field_label",
    "nd47_plans_item_statuses",
    "nd47_plans_label",
    "nd47_plans_priorities",
    "nd47_plans_reason_categories",
    "nd47_plans_transitions",
    "nd47_plans_vocab_label",
    "nd47_plans_vocab_options",
]


# Field names of the audit trail, shown with the form's labels.
_FIELD_LABELS = {
    "owner_org": wf.N_("Agency"),
    "period": wf.N_("Period"),
    "version": wf.N_("Version"),
    "decision_number": wf.N_("Approving decision number"),
    "decision_date": wf.N_("Decision date"),
    "decision_signer": wf.N_("Signed by"),
    "decision_url": wf.N_("Decision file (link)"),
    "last_review": wf.N_("Last review"),
    "next_review_due": wf.N_("Next review deadline"),
    "code": wf.N_("Code"),
    "theme": wf.N_("Theme"),
    "description": wf.N_("Description"),
    "source_database": wf.N_("Source database"),
    "formats": wf.N_("Formats"),
    "access_mode": wf.N_("Access mode"),
    "update_cadence": wf.N_("Update cadence"),
    "due_date": wf.N_("Due date"),
    "priority": wf.N_("Priority"),
    "lead_agency": wf.N_("Lead agency"),
    "cooperating_agencies": wf.N_("Co-operating agencies"),
    "package_id": wf.N_("Linked dataset"),
    "status": wf.N_("Status"),
    "reason_category": wf.N_("Why the data cannot be opened"),
}


def nd47_plans_field_label(field: str, object_type: str = "item") -> str:
    if field == "title":
        return tk._("Dataset title") if object_type == "item" else tk._("Title")
    text = _FIELD_LABELS.get(field)
    return tk._(text) if text else field


def nd47_plans_label(table: str, code: str | None) -> str:
    return wf.label(table, code)


def _options(table: str, codes: Any) -> list[dict[str, str]]:
    return [{"value": c, "text": wf.label(table, c)} for c in codes]


def nd47_plans_item_statuses() -> list[dict[str, str]]:
    return _options("item_status", wf.ITEM_STATUSES)


def nd47_plans_transitions(status: str) -> list[dict[str, str]]:
    return _options("item_status", wf.ITEM_TRANSITIONS.get(status, ()))


def nd47_plans_reason_categories() -> list[dict[str, str]]:
    return _options("reason_category", wf.REASON_CATEGORIES)


def nd47_plans_access_modes() -> list[dict[str, str]]:
    return _options("access_mode", wf.ACCESS_MODES)


def nd47_plans_priorities() -> list[dict[str, str]]:
    return _options("priority", wf.PRIORITIES)


def nd47_plans_vocab_label(vocabulary: str, code: str | None) -> str:
    """The label of a vocabulary code (themes, frequency) when the vocabularies are installed."""
    if not code:
        return ""
    from ckanext.nd47 import vocab

    return vocab.label(vocabulary, code, ui_lang())


def nd47_plans_config(key: str) -> Any:
    """A declared ``ckanext.nd47.plans.*`` option (for texts that cite it)."""
    return tk.config.get(f"ckanext.nd47.plans.{key}")


def nd47_plans_vocab_options(vocabulary: str) -> list[dict[str, str]]:
    """Choices of a vocabulary for the item form; empty without ``ckanext.nd47.vocab``."""
    try:
        from ckanext.nd47 import vocab  # type: ignore[attr-defined]
    except ImportError:
        return []
    return [
        {"value": t.code, "text": nd47_plans_vocab_label(vocabulary, t.code)}
        for t in vocab.get(vocabulary)
    ]
