"""A dataset claims a plan item: the ``plan_item`` field of ``package_create``/``package_update``.

The dataset schema belongs to the core plugin and does not know plans, so the
field is read (and taken out) here, before CKAN validates the dataset; the
link itself is made by the dataset hook (``changes.sync_dataset``) in the
dataset's own transaction. The link lives on the item, never on the dataset.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans.logic import auth, changes
from ckanext.nd47.plans.model import Plan, PlanItem

__all__ = ["package_create", "package_update"]

Context = dict[str, Any]
DataDict = dict[str, Any]

# where the checked claim waits for the dataset hook
CLAIM_KEY = "nd47_plan_item_claim"


def _owner_org(data_dict: DataDict) -> str | None:
    """The id of the agency the dataset will belong to."""
    owner = data_dict.get("owner_org")
    if owner is None and data_dict.get("id"):
        pkg = model.Package.get(data_dict["id"])
        owner = pkg.owner_org if pkg else None
    group = model.Group.get(owner) if isinstance(owner, str) and owner else None
    return group.id if group else None


def _claim_error(context: Context, item_id: Any, data_dict: DataDict) -> str | None:
    """Why the dataset may not claim ``item_id`` (None: it may).

    An item the user may not read answers as one that does not exist, so
    plan item ids cannot be probed.
    """
    not_found = tk._("Plan item not found")
    if not isinstance(item_id, str):
        return not_found
    item = model.Session.get(PlanItem, item_id.strip())
    plan = model.Session.get(Plan, item.plan_id) if item else None
    if plan is None or not auth.plan_readable(context, plan):
        return not_found
    if plan.owner_org != _owner_org(data_dict):
        return tk._("A dataset can claim only an item of its own agency's plans")
    if item.package_id:
        pkg = model.Package.get(data_dict.get("id") or "")
        if pkg is None or pkg.id != item.package_id:
            return tk._("This plan item is already linked to another dataset")
    try:
        tk.check_access("nd47_plan_item_link", dict(context), {"id": item.id})
    except tk.NotAuthorized:
        return tk._("You may not link datasets to this plan item")
    return None


def _take_claim(context: Context, data_dict: DataDict) -> DataDict:
    """``data_dict`` without ``plan_item``; a valid claim waits in the context."""
    context.pop(CLAIM_KEY, None)
    if "plan_item" not in data_dict:
        return data_dict
    data_dict = dict(data_dict)
    item_id = data_dict.pop("plan_item")
    if item_id in (None, ""):
        return data_dict
    error = _claim_error(context, item_id, data_dict)
    if error:
        raise tk.ValidationError({"plan_item": [error]})
    context[CLAIM_KEY] = item_id.strip()
    return data_dict


@tk.chained_action
def package_create(up: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_create``; ``plan_item`` (an item id) links that item.

    :param plan_item: the id of an item of a plan of the dataset's agency
        that this dataset fulfils (optional; not stored on the dataset)
    :type plan_item: string
    """
    return up(context, _take_claim(context, data_dict))


@tk.chained_action
def package_update(up: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_update``; ``plan_item`` (an item id) links that item.

    :param plan_item: the id of an item of a plan of the dataset's agency
        that this dataset fulfils (optional; not stored on the dataset)
    :type plan_item: string
    """
    result = up(context, _take_claim(context, data_dict))
    # CKAN 2.12 skips an update that changes nothing else, and with it the
    # dataset hook that makes the link: the claim is still waiting
    claim = context.pop(CLAIM_KEY, None)
    if claim:
        pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
        if pkg is not None:
            changes.sync_dataset(context, pkg.id, changed={"id": pkg.id, "plan_item": claim})
            if not context.get("defer_commit"):
                model.repo.commit()
    return result
