"""Auth functions, one per action and with its name.

Editors and admins of an agency manage its plans; only its admins (and
sysadmins, who pass every check) approve or reopen them. Approved plans are
public, anonymous users included; drafts are readable inside the agency.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans.logic import service as svc
from ckanext.nd47.plans.model import Plan, PlanItem

__all__ = [
    "nd47_plan_approve",
    "nd47_plan_audit_list",
    "nd47_plan_create",
    "nd47_plan_delete",
    "nd47_plan_import",
    "nd47_plan_item_create",
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
]

AuthResult = dict[str, Any]
_DENIED = {"success": False}


def _result(ok: bool, msg: str | None = None) -> AuthResult:
    return {"success": True} if ok else {"success": False, "msg": msg or tk._("Not authorized")}


def _plan(plan_id: str | None) -> Plan:
    # like CKAN core's auth: a missing object is "not found", not "forbidden"
    plan = model.Session.get(Plan, plan_id) if plan_id else None
    if plan is None:
        raise tk.ObjectNotFound(tk._("Plan not found"))
    return plan


def _item_plan(item_id: str | None) -> Plan:
    item = model.Session.get(PlanItem, item_id) if item_id else None
    if item is None:
        raise tk.ObjectNotFound(tk._("Plan item not found"))
    return _plan(item.plan_id)


def _manage(context: dict, plan: Plan) -> AuthResult:
    return _result(
        svc.can(context.get("user"), plan.owner_org, "create_dataset"),
        tk._("Only the agency's editors and admins manage its plans"),
    )


def _read(context: dict, plan: Plan) -> AuthResult:
    return _result(svc.plan_readable(context.get("user"), plan))


def _admin(context: dict, plan: Plan) -> AuthResult:
    return _result(
        svc.can(context.get("user"), plan.owner_org, "admin"),
        tk._("Only the agency's admins approve its plans"),
    )


def nd47_plan_create(context: dict, data_dict: dict) -> AuthResult:
    org = model.Group.get(data_dict.get("owner_org") or "")
    if org is None:
        return _result(False, tk._("Agency not found"))
    return _result(
        svc.can(context.get("user"), org.id, "create_dataset"),
        tk._("Only the agency's editors and admins manage its plans"),
    )


@tk.auth_allow_anonymous_access
def nd47_plan_show(context: dict, data_dict: dict) -> AuthResult:
    return _read(context, _plan(data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_list(context: dict, data_dict: dict) -> AuthResult:
    # Everyone may list; the action only returns what the user may read.
    return {"success": True}


def nd47_plan_update(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _plan(data_dict.get("id")))


def nd47_plan_delete(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _plan(data_dict.get("id")))


def nd47_plan_import(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _plan(data_dict.get("id")))


def nd47_plan_approve(context: dict, data_dict: dict) -> AuthResult:
    return _admin(context, _plan(data_dict.get("id")))


def nd47_plan_reopen(context: dict, data_dict: dict) -> AuthResult:
    return _admin(context, _plan(data_dict.get("id")))


def nd47_plan_item_create(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _plan(data_dict.get("plan_id")))


@tk.auth_allow_anonymous_access
def nd47_plan_item_show(context: dict, data_dict: dict) -> AuthResult:
    return _read(context, _item_plan(data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_item_list(context: dict, data_dict: dict) -> AuthResult:
    if data_dict.get("plan_id"):
        return _read(context, _plan(data_dict["plan_id"]))
    return {"success": True}


@tk.auth_allow_anonymous_access
def nd47_plan_item_overdue_list(context: dict, data_dict: dict) -> AuthResult:
    return {"success": True}


def nd47_plan_item_update(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(data_dict.get("id")))


def nd47_plan_item_delete(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(data_dict.get("id")))


def nd47_plan_item_status_update(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(data_dict.get("id")))


def nd47_plan_item_link(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_audit_list(context: dict, data_dict: dict) -> AuthResult:
    if data_dict.get("item_id"):
        return _read(context, _item_plan(data_dict["item_id"]))
    return _read(context, _plan(data_dict.get("plan_id")))
