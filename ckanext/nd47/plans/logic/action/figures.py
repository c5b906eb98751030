"""Figures of approved plans per agency, for dashboards of other plugins."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans import model as plan_model
from ckanext.nd47.plans.logic import schema
from ckanext.nd47.plans.logic.action import _common as common
from ckanext.nd47.plans.logic.action._common import Context, DataDict

__all__ = ["nd47_plan_figures"]

_FIGURES = ("planned", "published", "closed", "overdue", "published_due", "on_time")


@tk.side_effect_free
def nd47_plan_figures(context: Context, data_dict: DataDict) -> DataDict:
    """Counts of the items of approved plans per agency, and the overdue items.

    Approved plans are public, so anyone may ask; draft plans are never
    counted. Each figure is one grouped query whatever the number of agencies.

    :param org_ids: the agencies (organization ids) to count
    :type org_ids: list of strings
    :param period: only plans of this year
    :type period: int
    :param today: the day "overdue" is judged on (default: today, UTC)
    :type today: string
    :param limit: most overdue items listed (default
        ``ckanext.nd47.plans.list_limit``)
    :type limit: int
    :param change_mark_only: return only ``change_mark`` (to key a cache)
    :type change_mark_only: bool

    :returns: ``{"agencies": {org_id: {"planned", "published", "closed",
        "overdue", "published_due", "on_time"}}, "overdue_items": [{"id",
        "code", "title", "status", "due_date", "owner_org"}, ...],
        "change_mark": [...]}``; ``change_mark`` changes whenever any plan or
        item changes
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_figures", context, data_dict)
    data = common.validate(data_dict, schema.figures_schema(), context)
    mark = plan_model.change_mark()
    if data.get("change_mark_only"):
        return {"change_mark": mark}
    org_ids = [str(org) for org in data.get("org_ids") or []]
    period = data.get("period")
    on = data.get("today") or plan_model.today()
    limit, _offset = common.page(data)
    session = model.Session
    agencies = {
        row.owner_org: {key: getattr(row, key) for key in _FIGURES}
        for row in session.execute(plan_model.figures_query(org_ids, period, on))
    }
    items = session.execute(plan_model.overdue_items_query(org_ids, period, on, limit))
    return {
        "agencies": agencies,
        "overdue_items": [{**row._mapping, "due_date": row.due_date.isoformat()} for row in items],
        "change_mark": mark,
    }
