"""Plan pages (blueprint ``nd47_plans`` under /plan). They only call actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, make_response

from ckanext.nd47 import pages
from ckanext.nd47.plans import fields, opendata_list, spreadsheet, workflow
from ckanext.nd47.plans.logic.validators import PAGE_BOUND
from ckanext.nd47.text import fold

__all__ = ["nd47_plans"]

_guard = pages.guard(not_found=lambda: tk._("Plan not found"))

nd47_plans = Blueprint("nd47_plans", __name__, url_prefix="/plan")

# the forms edit exactly the fields the actions accept
PLAN_FORM_FIELDS = fields.editable(fields.PLAN_FIELDS)
ITEM_FORM_FIELDS = fields.editable(fields.ITEM_FIELDS)


def _action(name: str, data: dict[str, Any]) -> Any:
    return tk.get_action(name)({}, data)


def _can(name: str, data: dict[str, Any]) -> bool:
    return tk.h.check_access(name, data)


def _page_args() -> tuple[int, int]:
    page = max(tk.h.get_page_number(tk.request.args), 1)
    limit = tk.config.get("ckanext.nd47.plans.list_limit")
    if (page - 1) * limit > PAGE_BOUND:
        tk.abort(400, tk._("No such page"))
    return page, limit


# --- plan lists -----------------------------------------------------------------
@_guard
def index() -> str:
    page, limit = _page_args()
    filters = {
        k: v for k in ("owner_org", "period", "status", "q") if (v := tk.request.args.get(k))
    }
    try:
        result = _action(
            "nd47_plan_list", {**filters, "limit": limit, "offset": (page - 1) * limit}
        )
    except tk.ValidationError as err:
        result = {"count": 0, "results": []}
        tk.h.flash_error(" ".join(str(v) for v in err.error_dict.values()))
    orgs = tk.get_action("organization_list")({}, {"all_fields": True})
    return tk.render(
        "nd47/plans/index.html",
        {
            "plans": result["results"],
            "count": result["count"],
            "filters": filters,
            "page": page,
            "limit": limit,
            "organizations": orgs,
            "overdue": _action("nd47_plan_item_overdue_list", {"limit": 1})["count"],
        },
    )


@_guard
def agency(org_id: str) -> str:
    org = tk.get_action("organization_show")({}, {"id": org_id})
    result = _action("nd47_plan_list", {"owner_org": org["id"], "limit": 100})
    return tk.render(
        "nd47/plans/agency.html",
        {
            "organization": org,
            "group_dict": org,
            "group_type": "organization",
            "plans": result["results"],
            "can_create": _can("nd47_plan_create", {"owner_org": org["id"]}),
        },
    )


# --- a plan ---------------------------------------------------------------------
@_guard
def new() -> Any:
    data = {"owner_org": tk.request.args.get("owner_org", "")}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = pages.form(PLAN_FORM_FIELDS)
        try:
            plan = _action("nd47_plan_create", data)
            tk.h.flash_success(tk._("Plan created"))
            return tk.redirect_to("nd47_plans.read", plan_id=plan["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    orgs = tk.get_action("organization_list_for_user")({}, {"permission": "create_dataset"})
    return tk.render(
        "nd47/plans/plan_form.html",
        {"data": data, "errors": errors, "organizations": orgs, "plan": None},
    )


@_guard
def read(plan_id: str) -> str:
    plan = _action("nd47_plan_show", {"id": plan_id})
    filters = {k: v for k in ("status", "theme", "overdue", "q") if (v := tk.request.args.get(k))}
    items = _action("nd47_plan_item_list", {"plan_id": plan["id"], "limit": 1000, **filters})
    draft = plan["status"] != workflow.APPROVED
    return tk.render(
        "nd47/plans/read.html",
        {
            "plan": plan,
            "items": items["results"],
            "filters": filters,
            # an approved plan is changed by reopening it first: no edit offers
            "can_manage": draft and _can("nd47_plan_update", {"id": plan["id"]}),
            "can_import": draft and _can("nd47_plan_import", {"id": plan["id"]}),
            "can_add": draft and _can("nd47_plan_item_create", {"plan_id": plan["id"]}),
            "can_approve": _can("nd47_plan_approve", {"id": plan["id"]}),
        },
    )


@_guard
def edit(plan_id: str) -> Any:
    plan = _action("nd47_plan_show", {"id": plan_id})
    tk.check_access("nd47_plan_update", {}, {"id": plan["id"]})
    data, errors = dict(plan), {}
    if plan["next_review_due_set"] is False:
        data["next_review_due"] = ""
    if tk.request.method == "POST":
        data = pages.form(PLAN_FORM_FIELDS)
        try:
            _action("nd47_plan_update", {"id": plan["id"], **data})
            tk.h.flash_success(tk._("Plan saved"))
            return tk.redirect_to("nd47_plans.read", plan_id=plan["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    return tk.render(
        "nd47/plans/plan_form.html",
        {"data": data, "errors": errors, "organizations": [], "plan": plan},
    )


def _post_and_back(action: str, data: dict[str, Any], ok: str, endpoint: str, **kw: Any) -> Any:
    try:
        _action(action, data)
        tk.h.flash_success(ok)
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(" ".join(v) for v in err.error_dict.values()))
    return tk.redirect_to(endpoint, **kw)


@_guard
def delete(plan_id: str) -> Any:
    plan = _action("nd47_plan_show", {"id": plan_id})
    _action("nd47_plan_delete", {"id": plan["id"]})
    tk.h.flash_success(tk._("Plan deleted"))
    return tk.redirect_to("nd47_plans.agency", org_id=plan["organization"].get("name"))


@_guard
def approve(plan_id: str) -> Any:
    return _post_and_back(
        "nd47_plan_approve",
        {"id": plan_id},
        tk._("Plan approved"),
        "nd47_plans.read",
        plan_id=plan_id,
    )


@_guard
def reopen(plan_id: str) -> Any:
    data = {"id": plan_id, "reason": tk.request.form.get("reason", "")}
    return _post_and_back(
        "nd47_plan_reopen",
        data,
        tk._("Plan reopened for revision"),
        "nd47_plans.read",
        plan_id=plan_id,
    )


@_guard
def history(plan_id: str) -> str:
    plan = _action("nd47_plan_show", {"id": plan_id, "include_items": True})
    trail = _action("nd47_plan_audit_list", {"plan_id": plan["id"], "limit": 1000})
    return tk.render(
        "nd47/plans/history.html",
        {
            "plan": plan,
            "entries": trail["results"],
            "codes": {i["id"]: i["code"] for i in plan["items"]},
        },
    )


def _file(data: bytes, fmt: str, name: str) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = spreadsheet.MIMETYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@_guard
def export(plan_id: str, fmt: str) -> Any:
    if fmt not in spreadsheet.FORMATS:
        return tk.abort(404)
    plan = _action("nd47_plan_show", {"id": plan_id, "include_items": True})
    name = f"ke-hoach-mo-du-lieu-{plan['organization'].get('name', '')}-{plan['period']}"
    return _file(spreadsheet.export_plan(plan, fmt), fmt, name)


def template(fmt: str) -> Any:
    if fmt not in spreadsheet.FORMATS:
        return tk.abort(404)
    return _file(spreadsheet.template(fmt), fmt, "mau-ke-hoach-mo-du-lieu")


@_guard
def import_(plan_id: str) -> Any:
    plan = _action("nd47_plan_show", {"id": plan_id})
    tk.check_access("nd47_plan_import", {}, {"id": plan["id"]})
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        upload = tk.request.files.get("upload")
        try:
            result = _action("nd47_plan_import", {"id": plan["id"], "upload": upload})
            tk.h.flash_success(
                tk._("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
                % result
            )
            return tk.redirect_to("nd47_plans.read", plan_id=plan["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    return tk.render("nd47/plans/import.html", {"plan": plan, "errors": errors})


# --- items -------------------------------------------------------------------------
@_guard
def item_new(plan_id: str) -> Any:
    plan = _action("nd47_plan_show", {"id": plan_id})
    tk.check_access("nd47_plan_item_create", {}, {"plan_id": plan["id"]})
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = pages.form(ITEM_FORM_FIELDS)
        try:
            item = _action("nd47_plan_item_create", {"plan_id": plan["id"], **data})
            tk.h.flash_success(tk._("Item added"))
            return tk.redirect_to("nd47_plans.item_read", item_id=item["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    return _item_form(plan, None, data, errors)


@_guard
def item_read(item_id: str) -> str:
    item = _action("nd47_plan_item_show", {"id": item_id})
    plan = _action("nd47_plan_show", {"id": item["plan_id"]})
    trail = _action("nd47_plan_audit_list", {"item_id": item["id"], "limit": 1000})
    return tk.render(
        "nd47/plans/item_read.html",
        {
            "plan": plan,
            "item": item,
            "entries": trail["results"],
            # editing or deleting an approved plan's item waits for a reopening;
            # moving and linking it is carrying the plan out
            "can_edit": plan["status"] != workflow.APPROVED
            and _can("nd47_plan_item_update", {"id": item["id"]}),
            "can_manage": _can("nd47_plan_item_status_update", {"id": item["id"]}),
        },
    )


@_guard
def item_edit(item_id: str) -> Any:
    item = _action("nd47_plan_item_show", {"id": item_id})
    plan = _action("nd47_plan_show", {"id": item["plan_id"]})
    tk.check_access("nd47_plan_item_update", {}, {"id": item["id"]})
    data = {**item, "formats": ", ".join(item["formats"])}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = pages.form(ITEM_FORM_FIELDS)
        try:
            _action("nd47_plan_item_update", {"id": item["id"], **data})
            tk.h.flash_success(tk._("Item saved"))
            return tk.redirect_to("nd47_plans.item_read", item_id=item["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    return _item_form(plan, item, data, errors)


def _item_form(
    plan: dict[str, Any], item: dict[str, Any] | None, data: dict[str, Any], errors: Any
) -> str:
    # other agencies' datasets like the item's title (the script updates the
    # list while the title is typed)
    similar = []
    if (data.get("title") or "").strip():
        similar = _action(
            "nd47_similar_datasets", {"title": data["title"], "owner_org": plan["owner_org"]}
        )
    return tk.render(
        "nd47/plans/item_form.html",
        {"plan": plan, "item": item, "data": data, "errors": errors, "similar": similar},
    )


@_guard
def item_status(item_id: str) -> Any:
    data = {
        "id": item_id,
        "status": tk.request.form.get("status", ""),
        "reason": tk.request.form.get("reason", ""),
        "reason_category": tk.request.form.get("reason_category", ""),
    }
    return _post_and_back(
        "nd47_plan_item_status_update",
        data,
        tk._("Status changed"),
        "nd47_plans.item_read",
        item_id=item_id,
    )


def _picked_dataset(plan_id: str, typed: str, picked: str) -> str:
    """The dataset the link form names: the one picked from the suggestions
    (``picked``) while its title is still what was typed, else the only one
    whose title or URL name is ``typed``; otherwise ``typed`` itself (an id or
    a name, which the action checks). Empty: unlink."""
    if not typed:
        return ""
    found = _action(
        "nd47_plan_item_dataset_autocomplete", {"plan_id": plan_id, "q": typed, "limit": 20}
    )
    for dataset in found:
        if picked and picked in (dataset["id"], dataset["name"]):
            return dataset["name"]
    wanted = fold(typed).casefold()
    exact = [d for d in found if wanted in (fold(d["title"]).casefold(), d["name"])]
    if len(exact) == 1:
        return exact[0]["name"]
    return found[0]["name"] if len(found) == 1 else typed


@_guard
def item_link(item_id: str) -> Any:
    item = _action("nd47_plan_item_show", {"id": item_id})
    form = tk.request.form
    if "dataset" in form:
        package_id = _picked_dataset(
            item["plan_id"], form["dataset"].strip(), form.get("package_id", "").strip()
        )
    else:
        package_id = form.get("package_id", "").strip()
    data = {"id": item["id"], "package_id": package_id}
    return _post_and_back(
        "nd47_plan_item_link",
        data,
        tk._("Dataset link saved"),
        "nd47_plans.item_read",
        item_id=item_id,
    )


@_guard
def item_delete(item_id: str) -> Any:
    item = _action("nd47_plan_item_show", {"id": item_id})
    _action("nd47_plan_item_delete", {"id": item["id"]})
    tk.h.flash_success(tk._("Item deleted"))
    return tk.redirect_to("nd47_plans.read", plan_id=item["plan_id"])


# --- the open-data list -------------------------------------------------------------
def _list(org_id: str | None) -> dict[str, Any]:
    return _action("nd47_opendata_list_show", {"owner_org": org_id} if org_id else {})


@_guard
def opendata_list_page(org_id: str | None = None) -> str:
    shown = _list(org_id)
    return tk.render("nd47/plans/list.html", {"list": shown, "formats": opendata_list.FORMATS})


@_guard
def opendata_list_file(fmt: str, org_id: str | None = None) -> Response:
    if fmt not in opendata_list.FORMATS:
        return tk.abort(404, tk._("Unknown file format"))
    shown = _list(org_id)
    name = shown["agency"]["name"] if shown["agency"] else "quoc-gia"
    title = "Danh mục dữ liệu mở - " + (shown["agency"]["title"] if shown["agency"] else "Quốc gia")
    response = make_response(opendata_list.render(shown["rows"], fmt, title))
    response.headers["Content-Type"] = opendata_list.MIMETYPES[fmt]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="danh-muc-du-lieu-mo-{name}.{fmt}"'
    )
    return response


nd47_plans.add_url_rule("/list", "opendata_list", opendata_list_page, methods=["GET"])
nd47_plans.add_url_rule("/list/<org_id>", "opendata_list", opendata_list_page, methods=["GET"])
nd47_plans.add_url_rule("/list.<fmt>", "opendata_list_file", opendata_list_file, methods=["GET"])
nd47_plans.add_url_rule(
    "/list/<org_id>.<fmt>", "opendata_list_file", opendata_list_file, methods=["GET"]
)

_GET, _POST, _BOTH = ["GET"], ["POST"], ["GET", "POST"]
for rule, view, methods in (
    ("/", index, _GET),
    ("/agency/<org_id>", agency, _GET),
    ("/new", new, _BOTH),
    ("/template.<fmt>", template, _GET),
    ("/<plan_id>", read, _GET),
    ("/<plan_id>/edit", edit, _BOTH),
    ("/<plan_id>/delete", delete, _POST),
    ("/<plan_id>/approve", approve, _POST),
    ("/<plan_id>/reopen", reopen, _POST),
    ("/<plan_id>/history", history, _GET),
    ("/<plan_id>/export.<fmt>", export, _GET),
    ("/<plan_id>/import", import_, _BOTH),
    ("/<plan_id>/item/new", item_new, _BOTH),
    ("/item/<item_id>", item_read, _GET),
    ("/item/<item_id>/edit", item_edit, _BOTH),
    ("/item/<item_id>/status", item_status, _POST),
    ("/item/<item_id>/link", item_link, _POST),
    ("/item/<item_id>/delete", item_delete, _POST),
):
    nd47_plans.add_url_rule(rule, view_func=view, methods=methods)
