"""Plans, items and audit entries as the dicts the actions return (one shape each)."""

from __future__ import annotations

import datetime
from typing import Any

from ckan import model

from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.model import Plan, PlanAudit, PlanItem, next_review_due, today

__all__ = ["audit_dictize", "item_dictize", "plain", "plan_dictize"]


def plain(value: Any) -> Any:
    """A column value as JSON: dates and times in ISO 8601."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _columns(obj: Any) -> dict[str, Any]:
    return {column.name: plain(getattr(obj, column.name)) for column in obj.__table__.columns}


def plan_dictize(plan: Plan, progress: dict[str, Any] | None = None) -> dict[str, Any]:
    data = _columns(plan)
    due = next_review_due(plan)
    data["next_review_due"] = plain(due)
    data["next_review_due_set"] = plan.next_review_due is not None
    data["review_overdue"] = bool(due and due < today())
    data["status_label"] = workflow.label("plan_status", plan.status)
    org = model.Group.get(plan.owner_org)
    data["organization"] = (
        {"id": org.id, "name": org.name, "title": org.title} if org else {"id": plan.owner_org}
    )
    if progress is not None:
        data["progress"] = progress
    return data


def item_dictize(
    item: PlanItem,
    dataset: model.Package | None,
    overdue: bool,
    update_overdue: bool,
    dataset_visible: bool = True,
) -> dict[str, Any]:
    """An item; ``dataset_visible`` False hides everything about its linked dataset."""
    data = _columns(item)
    data["formats"] = item.formats.split(",") if item.formats else []
    data["status_label"] = workflow.label("item_status", item.status)
    data["allowed_transitions"] = list(workflow.ITEM_TRANSITIONS[item.status])
    data["overdue"] = bool(overdue)
    data["update_overdue"] = bool(update_overdue)
    shown = dataset if dataset_visible else None
    if not dataset_visible:
        data["package_id"] = None
    data["dataset_name"] = shown.name if shown else None
    data["dataset_title"] = (shown.title or shown.name) if shown else None
    data["dataset_modified"] = plain(shown.metadata_modified) if shown else None
    return data


def audit_dictize(
    entry: PlanAudit, user_name: str | None, user_fullname: str | None = None
) -> dict[str, Any]:
    data = _columns(entry)
    data["user_name"] = user_name
    # what the pages show: the person's name, else their user name
    data["user_display_name"] = user_fullname or user_name
    if entry.reason in workflow.SYSTEM_REASONS:
        data["reason_label"] = workflow.label("system_reason", entry.reason)
    return data
