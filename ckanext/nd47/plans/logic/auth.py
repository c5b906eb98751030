"""Auth functions, one per action and with its name.

They defer to CKAN's own auth functions, so site-wide ``ckan.auth.*``
settings and other plugins' overrides apply to plans too:

* managing an agency's plans and items = ``package_create`` with the plan's
  agency as ``owner_org`` (the agency's editors and admins);
* approving and reopening = ``organization_update`` of the agency (its admins);
* changing what an approved plan says (its header, its list of items, or
  deleting it) is an approving act too: agency admins only. Editors keep
  moving and linking the items of an approved plan (carrying it out);
* reading a draft = being a member of the agency
  (``organization_list_for_user`` with the ``read`` permission).

Approved plans are public, anonymous users included. Sysadmins pass every
check. The plan or item an auth function loads stays in the context, so the
action does not load it again.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.model import Plan, load_item, load_plan, plan_of_deleted

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
    "nd47_plan_item_delete",
    "nd47_plan_item_dataset_autocomplete",
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
_READABLE_KEY = "nd47_plans_readable_orgs"


def _result(ok: bool, msg: str | None = None) -> AuthResult:
    return {"success": True} if ok else {"success": False, "msg": msg or tk._("Not authorized")}


def _defer(core_auth: str, context: dict[str, Any], data_dict: dict[str, Any]) -> bool:
    """Whether CKAN's auth function ``core_auth`` lets the user act."""
    # a fresh context: core auth functions leave objects in theirs
    try:
        tk.check_access(core_auth, {"user": context.get("user") or ""}, data_dict)
    except tk.NotAuthorized:
        return False
    return True


def may_manage(context: dict[str, Any], owner_org: str) -> bool:
    """Editors and admins of the agency: ``package_create`` for it."""
    return _defer("package_create", context, {"owner_org": owner_org})


def may_approve(context: dict[str, Any], owner_org: str) -> bool:
    """Admins of the agency: ``organization_update`` of it."""
    return _defer("organization_update", context, {"id": owner_org})


def may_read_dataset(context: dict[str, Any], pkg: model.Package) -> bool:
    """CKAN's ``package_show`` decides (public active datasets need no check)."""
    if context.get("ignore_auth") or (not pkg.private and pkg.state == "active"):
        return True
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": pkg.id})
    except tk.NotAuthorized:
        return False
    return True


def readable_org_ids(context: dict[str, Any]) -> set[str] | None:
    """Agencies whose draft plans the user may read; None means all.

    All for sysadmins and for internal calls made with ``ignore_auth``.
    """
    if context.get("ignore_auth"):
        return None
    if _READABLE_KEY in context:
        return context[_READABLE_KEY]
    user = context.get("user")
    orgs: set[str] | None
    if not user:
        orgs = set()
    elif _is_sysadmin(user):
        orgs = None
    else:
        found = tk.get_action("organization_list_for_user")(
            {"user": user, "ignore_auth": True}, {"permission": "read"}
        )
        orgs = {o["id"] for o in found}
    context[_READABLE_KEY] = orgs
    return orgs


def _is_sysadmin(user: str) -> bool:
    # CKAN's own test: sysadmins read every agency's drafts
    return _defer("sysadmin", {"user": user}, {})


def plan_readable(context: dict[str, Any], plan: Plan) -> bool:
    if plan.status == workflow.APPROVED:
        return True
    orgs = readable_org_ids(context)
    return orgs is None or plan.owner_org in orgs


def _read(context: dict[str, Any], plan: Plan) -> AuthResult:
    return _result(plan_readable(context, plan))


def _manage(context: dict[str, Any], plan: Plan) -> AuthResult:
    return _result(
        may_manage(context, plan.owner_org),
        tk._("Only the agency's editors and admins manage its plans"),
    )


def _admin(context: dict[str, Any], plan: Plan) -> AuthResult:
    return _result(
        may_approve(context, plan.owner_org),
        tk._("Only the agency's admins approve its plans"),
    )


def _change_content(context: dict[str, Any], plan: Plan) -> AuthResult:
    if plan.status != workflow.APPROVED:
        return _manage(context, plan)
    return _result(
        may_approve(context, plan.owner_org),
        tk._("The plan is approved: only the agency's admins change it, or reopen it first"),
    )


def _item_plan(context: dict[str, Any], item_id: str | None) -> Plan:
    return load_plan(context, load_item(context, item_id).plan_id)


def nd47_plan_create(context: dict, data_dict: dict) -> AuthResult:
    org = model.Group.get(data_dict.get("owner_org") or "")
    if org is None:
        # nothing to protect: the action's validation names the field
        return {"success": True}
    return _result(
        may_manage(context, org.id), tk._("Only the agency's editors and admins manage its plans")
    )


@tk.auth_allow_anonymous_access
def nd47_plan_show(context: dict, data_dict: dict) -> AuthResult:
    return _read(context, load_plan(context, data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_figures(context: dict, data_dict: dict) -> AuthResult:
    # figures count approved plans only, and those are public
    return {"success": True}


@tk.auth_allow_anonymous_access
def nd47_plan_list(context: dict, data_dict: dict) -> AuthResult:
    # Everyone may list; the action only returns what the user may read.
    return {"success": True}


def nd47_plan_update(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, load_plan(context, data_dict.get("id")))


def nd47_plan_delete(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, load_plan(context, data_dict.get("id")))


def nd47_plan_import(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, load_plan(context, data_dict.get("id")))


def nd47_plan_approve(context: dict, data_dict: dict) -> AuthResult:
    return _admin(context, load_plan(context, data_dict.get("id")))


def nd47_plan_reopen(context: dict, data_dict: dict) -> AuthResult:
    return _admin(context, load_plan(context, data_dict.get("id")))


def nd47_plan_item_create(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, load_plan(context, data_dict.get("plan_id")))


@tk.auth_allow_anonymous_access
def nd47_plan_item_show(context: dict, data_dict: dict) -> AuthResult:
    return _read(context, _item_plan(context, data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_item_list(context: dict, data_dict: dict) -> AuthResult:
    if data_dict.get("plan_id"):
        return _read(context, load_plan(context, data_dict["plan_id"]))
    return {"success": True}


@tk.auth_allow_anonymous_access
def nd47_plan_item_overdue_list(context: dict, data_dict: dict) -> AuthResult:
    return {"success": True}


def nd47_plan_item_update(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, _item_plan(context, data_dict.get("id")))


def nd47_plan_item_delete(context: dict, data_dict: dict) -> AuthResult:
    return _change_content(context, _item_plan(context, data_dict.get("id")))


def nd47_plan_item_status_update(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(context, data_dict.get("id")))


def nd47_plan_item_dataset_autocomplete(context: dict, data_dict: dict) -> AuthResult:
    # offered to those who link the plan's items
    return _manage(context, load_plan(context, data_dict.get("plan_id")))


def nd47_plan_item_link(context: dict, data_dict: dict) -> AuthResult:
    return _manage(context, _item_plan(context, data_dict.get("id")))


@tk.auth_allow_anonymous_access
def nd47_plan_audit_list(context: dict, data_dict: dict) -> AuthResult:
    if data_dict.get("item_id"):
        return _read(context, _item_plan(context, data_dict["item_id"]))
    try:
        plan = load_plan(context, data_dict.get("plan_id"))
    except tk.ObjectNotFound:
        # a deleted plan's trail stays readable to its agency's admins
        owner_org = plan_of_deleted(data_dict.get("plan_id") or "")
        if owner_org is None:
            raise
        return _result(may_approve(context, owner_org))
    return _read(context, plan)


@tk.auth_allow_anonymous_access
def nd47_opendata_list_show(context: dict, data_dict: dict) -> AuthResult:
    # the open-data list is public: it shows only approved plans and open data
    return {"success": True}


def nd47_opendata_list_sent_create(context: dict, data_dict: dict) -> AuthResult:
    """Recording a sending is the agency's act: its admins (``organization_update``)."""
    org = model.Group.get(data_dict.get("owner_org") or "")
    if org is None:
        return _result(False)
    return _result(may_approve(context, org.id))
