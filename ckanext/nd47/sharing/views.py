"""Sharing pages (blueprint ``nd47_sharing``). They only call actions.

- ``/dataset/<id>/request-access``: the request form (agency users without access);
- ``/sharing/requests``: the owner's queue (``?side=received``) and
  "my agency's requests" (``?side=made``);
- ``/sharing/requests/<id>``: one request, its trail, the owner's decision forms;
- ``/sharing/register``: the register, with CSV/XLSX/JSON exports.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response

from ckanext.nd47 import pages
from ckanext.nd47.sharing import export

__all__ = ["nd47_sharing"]

_guard = pages.guard(login_visitors=True)

nd47_sharing = Blueprint("nd47_sharing", __name__)

REQUEST_FIELDS = (
    "requester_org",
    "purpose",
    "legal_basis",
    "period_start",
    "period_end",
    "contact",
)
STEPS = {
    "grant": ("nd47_share_request_grant", ("grant_start", "grant_end")),
    "refuse": ("nd47_share_request_refuse", ("reason", "legal_basis")),
    "revoke": ("nd47_share_request_revoke", ("reason",)),
}


def _action(name: str, data: dict[str, Any]) -> Any:
    return tk.get_action(name)({}, data)


@_guard
def request_new(id: str) -> Any:
    pkg = _action("package_show", {"id": id})
    orgs = tk.h.nd47_sharing_request_orgs(pkg)
    if not orgs:
        raise tk.NotAuthorized
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = {f: tk.request.form.get(f, "") for f in REQUEST_FIELDS}
        data["resource_ids"] = tk.request.form.getlist("resource_ids")
        try:
            made = _action("nd47_share_request_create", dict(data, package_id=pkg["id"]))
        except tk.ValidationError as err:
            errors = err.error_dict
        else:
            tk.h.flash_success(tk._("Your request was sent to the owning agency."))
            return tk.redirect_to("nd47_sharing.request_read", id=made["id"])
    return tk.render(
        "nd47/sharing/request_form.html",
        {"pkg": pkg, "orgs": orgs, "data": data, "errors": errors},
    )


@_guard
def request_list() -> Any:
    side = tk.request.args.get("side") or "received"
    status = tk.request.args.get("status") or ""
    data = {"side": side, "limit": 500}
    if status:
        data["status"] = status
    result = _action("nd47_share_request_list", data)
    return tk.render(
        "nd47/sharing/request_list.html", {"result": result, "side": side, "status": status}
    )


@_guard
def request_read(id: str) -> Any:
    request = _action("nd47_share_request_show", {"id": id})
    return tk.render(
        "nd47/sharing/request_read.html",
        {"request": request, "errors": {}, "data": {}, "step": None, "can_decide": _can_decide(id)},
    )


def _can_decide(request_id: str) -> bool:
    return tk.h.check_access("nd47_share_request_grant", {"id": request_id})


@_guard
def request_step(id: str, step: str) -> Any:
    if step not in STEPS:
        raise tk.ObjectNotFound
    action, fields = STEPS[step]
    data = {f: tk.request.form.get(f, "") for f in fields}
    try:
        _action(action, dict(data, id=id))
    except tk.ValidationError as err:
        request = _action("nd47_share_request_show", {"id": id})
        return tk.render(
            "nd47/sharing/request_read.html",
            {
                "request": request,
                "errors": err.error_dict,
                "data": data,
                "step": step,
                "can_decide": _can_decide(id),
            },
        )
    tk.h.flash_success(tk._("The decision is recorded and both agencies are notified."))
    return tk.redirect_to("nd47_sharing.request_read", id=id)


@_guard
def register() -> Any:
    org = tk.request.args.get("org")
    result = _action("nd47_share_register", {"org": org} if org else {})
    return tk.render("nd47/sharing/register.html", {"register": result, "org": org})


@_guard
def register_export(fmt: str) -> Any:
    if fmt not in export.FORMATS:
        raise tk.ObjectNotFound
    org = tk.request.args.get("org")
    body, mimetype = export.render(_action("nd47_share_register", {"org": org} if org else {}), fmt)
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="sharing-register.{fmt}"'
    return response


nd47_sharing.add_url_rule(
    "/dataset/<id>/request-access", view_func=request_new, methods=["GET", "POST"]
)
nd47_sharing.add_url_rule("/sharing/requests", view_func=request_list)
nd47_sharing.add_url_rule("/sharing/requests/<id>", view_func=request_read)
nd47_sharing.add_url_rule("/sharing/requests/<id>/<step>", view_func=request_step, methods=["POST"])
nd47_sharing.add_url_rule("/sharing/register", view_func=register)
nd47_sharing.add_url_rule("/sharing/register.<fmt>", view_func=register_export)
