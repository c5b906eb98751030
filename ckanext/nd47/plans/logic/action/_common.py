"""Helpers shared by the plan and item actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans.logic import service as svc
from ckanext.nd47.plans.model import Plan, PlanItem

Context = dict[str, Any]
DataDict = dict[str, Any]


def validate(data_dict: DataDict, schema: dict, context: Context) -> DataDict:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


def check_unique_period(owner_org: str, period: int, plan_id: str | None = None) -> None:
    query = model.Session.query(Plan.id).filter(Plan.owner_org == owner_org, Plan.period == period)
    if plan_id:
        query = query.filter(Plan.id != plan_id)
    if query.first():
        raise tk.ValidationError(
            {"period": [tk._("This agency already has a plan for this period")]}
        )


def check_unique_code(plan_id: str, code: str, item_id: str | None = None) -> None:
    query = model.Session.query(PlanItem.id).filter(
        PlanItem.plan_id == plan_id, PlanItem.code == code
    )
    if item_id:
        query = query.filter(PlanItem.id != item_id)
    if query.first():
        raise tk.ValidationError({"code": [tk._("Another item of this plan has this code")]})


def item_out(item: PlanItem) -> DataDict:
    pkg = model.Package.get(item.package_id) if item.package_id else None
    return svc.item_dict(item, pkg.metadata_modified if pkg else None, pkg.name if pkg else None)
