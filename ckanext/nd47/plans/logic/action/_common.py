"""Helpers shared by the plan and item actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

# validate and commit: the core helpers, re-exported for the plan actions (common.*)
from ckanext.nd47.logic.action import commit as commit
from ckanext.nd47.logic.action import validate as validate
from ckanext.nd47.plans import model as plan_model
from ckanext.nd47.plans.logic import auth, changes
from ckanext.nd47.plans.logic.dictization import item_dictize
from ckanext.nd47.plans.model import Plan, PlanItem

Context = dict[str, Any]
DataDict = dict[str, Any]


def page(data: DataDict) -> tuple[int, int]:
    """(limit, offset) of a validated list request, the limit capped."""
    limit = data.get("limit") or tk.config.get("ckanext.nd47.plans.list_limit")
    limit = min(limit, tk.config.get("ckanext.nd47.plans.list_max_limit"))
    return limit, data.get("offset") or 0


def check_unique_period(owner_org: str, period: int, plan_id: str | None = None) -> None:
    if plan_model.period_taken(owner_org, period, plan_id):
        raise tk.ValidationError(
            {"period": [tk._("This agency already has a plan for this period")]}
        )


def check_unique_code(plan_id: str, code: str, item_id: str | None = None) -> None:
    if plan_model.code_taken(plan_id, code, item_id):
        raise tk.ValidationError({"code": [tk._("Another item of this plan has this code")]})


def check_dataset(context: Context, plan: Plan, package_id: str | None) -> None:
    """ValidationError on ``package_id`` unless it may be linked to an item of ``plan``."""
    error = changes.check_dataset(context, plan, package_id) if package_id else None
    if error:
        raise tk.ValidationError({"package_id": [error]})


def items_out(context: Context, rows: list[Any]) -> list[DataDict]:
    """Rows of ``model.item_query`` as item dicts.

    A linked dataset the user may not read is not named at all (public plans
    can point at private datasets).
    """
    return [
        item_dictize(
            item,
            dataset,
            overdue,
            update_overdue,
            dataset_visible=dataset is None or auth.may_read_dataset(context, dataset),
        )
        for item, _plan, dataset, overdue, update_overdue in rows
    ]


def item_out(context: Context, item: PlanItem) -> DataDict:
    """One item as the actions return it (its flags from the same query as the lists)."""
    model.Session.flush()
    rows = plan_model.item_query(None, {"id": item.id}).all()
    return items_out(context, rows)[0]
