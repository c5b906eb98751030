"""Template helpers of the plan pages (``h.nd47_plans_*``)."""

from __future__ import annotations

from typing import Any

from ckanext.nd47.plans import workflow as wf

__all__ = [
    "nd47_plans_access_modes",
    "nd47_plans_item_statuses",
    "nd47_plans_label",
    "nd47_plans_priorities",
    "nd47_plans_reason_categories",
    "nd47_plans_transitions",
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
