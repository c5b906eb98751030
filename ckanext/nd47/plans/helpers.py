"""Template helpers of the plan pages (``h.nd47_plans_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.plans import workflow as wf

__all__ = [
    "nd47_plans_access_modes",
    "nd47_plans_config",
    "nd47_plans_item_statuses",
    "nd47_plans_label",
    "nd47_plans_priorities",
    "nd47_plans_reason_categories",
    "nd47_plans_transitions",
    "nd47_plans_vocab_label",
]


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
    try:
        from ckanext.nd47 import vocab  # type: ignore[attr-defined]
    except ImportError:
        return code
    lang = "vi" if str(tk.h.lang()).startswith("vi") else "en"
    return vocab.label(vocabulary, code, lang)


def nd47_plans_config(key: str) -> Any:
    """A declared ``ckanext.nd47.plans.*`` option (for texts that cite it)."""
    return tk.config.get(f"ckanext.nd47.plans.{key}")
