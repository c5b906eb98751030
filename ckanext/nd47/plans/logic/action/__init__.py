"""API actions of the open-data plan tracker (``nd47_plan*``), by object.

Each action checks access with the auth function of the same name, validates
against a schema from ``schema.py``, reads through ``model.py`` and writes through ``changes.py``,
commits and returns plain dicts.
"""

from __future__ import annotations

from ckanext.nd47.plans.logic.action.dataset import package_create, package_update
from ckanext.nd47.plans.logic.action.figures import nd47_plan_figures
from ckanext.nd47.plans.logic.action.item import (
    nd47_plan_audit_list,
    nd47_plan_item_create,
    nd47_plan_item_dataset_autocomplete,
    nd47_plan_item_delete,
    nd47_plan_item_link,
    nd47_plan_item_list,
    nd47_plan_item_overdue_list,
    nd47_plan_item_show,
    nd47_plan_item_status_update,
    nd47_plan_item_update,
)
from ckanext.nd47.plans.logic.action.opendata_list import (
    nd47_opendata_list_sent_create,
    nd47_opendata_list_show,
)
from ckanext.nd47.plans.logic.action.plan import (
    nd47_plan_approve,
    nd47_plan_create,
    nd47_plan_delete,
    nd47_plan_import,
    nd47_plan_list,
    nd47_plan_reopen,
    nd47_plan_show,
    nd47_plan_update,
)

__all__ = [
    "nd47_opendata_list_sent_create",
    "nd47_opendata_list_show",
    "nd47_plan_approve",
    "nd47_plan_audit_list",
    "nd47_plan_create",
    "nd47_plan_delete",
    "nd47_plan_figures",
    "nd47_plan_import",
    "nd47_plan_item_create",
    "nd47_plan_item_dataset_autocomplete",
    "nd47_plan_item_delete",
    "nd47_plan_item_link",
    "nd47_plan_item_list",
    "nd47_plan_item_overdue_list",
    "nd47_plan_item_show",
    "nd47_plan_item_status_update",
    "nd47_plan_item_update",
    "nd47_plan_list",
    "nd47_plan_reopen",
    "nd47_plan_show",
    "nd47_plan_update",
    "package_create",
    "package_update",
]
