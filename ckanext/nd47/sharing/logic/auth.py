"""Auth functions, one per action and with its name, plus the chained ``resource_show``.

Each defers to CKAN's own permissions:

- asking on behalf of an agency = may create datasets in it (``package_create``
  with that ``owner_org``: its editors and admins);
- deciding = administering the owning agency (``organization_update`` on
  ``owner_org``: its admins, and sysadmins);
- reading a request = being a member of either agency;
- the register = being a state-agency user.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.sharing.logic import access
from ckanext.nd47.sharing.model import ShareRequest
from ckanext.nd47.text import db_key

__all__ = [
    "nd47_share_register",
    "nd47_share_request_create",
    "nd47_share_request_grant",
    "nd47_share_request_list",
    "nd47_share_request_refuse",
    "nd47_share_request_revoke",
    "nd47_share_request_show",
    "resource_show",
    "resource_view_list",
]

AuthResult = dict[str, Any]


def _result(ok: bool, msg: str | None = None) -> AuthResult:
    return {"success": True} if ok else {"success": False, "msg": msg or tk._("Not authorized")}


def _can(name: str, context: dict[str, Any], data: dict[str, Any]) -> bool:
    try:
        tk.check_access(name, {"user": context.get("user")}, data)
    except tk.NotAuthorized:
        return False
    return True


def _user(context: dict[str, Any]) -> Any:
    name = context.get("user")
    return model.User.get(name) if name else None


def _request(data_dict: dict[str, Any]) -> ShareRequest:
    request_id = db_key(data_dict.get("id"))
    request = model.Session.get(ShareRequest, request_id) if request_id else None
    if request is None:
        raise tk.ObjectNotFound(tk._("Access request not found"))
    return request


def nd47_share_request_create(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    org = data_dict.get("requester_org")
    if not org:
        # the action reports the missing field
        return _result(bool(_user(context)))
    return _result(
        _can("package_create", context, {"owner_org": org}),
        tk._("Only editors and admins of an agency may ask on its behalf"),
    )


def _decide(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    request = _request(data_dict)
    return _result(
        _can("organization_update", context, {"id": request.owner_org}),
        tk._("Only admins of the agency that owns the dataset may decide"),
    )


nd47_share_request_grant = _decide
nd47_share_request_refuse = _decide
nd47_share_request_revoke = _decide


def nd47_share_request_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    request = _request(data_dict)
    user = _user(context)
    if user is not None and user.sysadmin:
        return _result(True)
    orgs = access.member_org_ids(user)
    return _result(request.owner_org in orgs or request.requester_org in orgs)


def nd47_share_request_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    # the action lists only requests of the caller's agencies
    return _result(_user(context) is not None)


def nd47_share_register(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    user = _user(context)
    if user is not None and user.sysadmin:
        return _result(True)
    return _result(
        bool(access.agency_org_ids(access.member_org_ids(user))),
        tk._("The sharing register is for state-agency users"),
    )


def _resource_package(data_dict: dict[str, Any]) -> tuple[Any, Any]:
    resource = model.Resource.get(data_dict.get("id") or "")
    pkg = model.Package.get(resource.package_id) if resource else None
    return resource, pkg


@tk.chained_auth_function
def resource_show(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """CKAN's check, then: a shared dataset's files need ownership or an active grant.

    CKAN's download view calls ``resource_show``, so this closes the files too.
    """
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    resource, pkg = _resource_package(data_dict)
    if pkg is None:
        return result
    if access.FileAccess(_user(context)).may_read(pkg, resource.id):
        return result
    return _result(
        False,
        tk._(
            "The files of a shared dataset are open to agencies holding a grant: "
            "ask the owning agency for access"
        ),
    )


@tk.chained_auth_function
def resource_view_list(
    next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> AuthResult:
    """Listing a shared resource's views needs only the metadata (the action then
    lists none to who may not read the file), so the dataset page still opens."""
    resource, pkg = _resource_package(data_dict)
    if pkg is not None and access.is_shared(pkg):
        return _result(_can("package_show", context, {"id": pkg.id}))
    return next_auth(context, data_dict)
