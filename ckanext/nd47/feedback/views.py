"""Pages of feedback and data requests (blueprint ``nd47_feedback``).

They only call actions. Every POST form carries ``h.csrf_input()``; errors
come back to the form with the sender's text kept.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, make_response

from ckanext.nd47 import pages
from ckanext.nd47.feedback import terms as licence_words
from ckanext.nd47.feedback import workflow as wf

__all__ = ["nd47_feedback"]

_guard = pages.guard()

nd47_feedback = Blueprint("nd47_feedback", __name__)

SENDER_FIELDS = ("title", "body", "name", "email")
PAGE_SIZE = 20


def _action(name: str, data: dict[str, Any]) -> Any:
    return tk.get_action(name)({}, data)


def _page() -> int:
    return max(tk.h.get_page_number(tk.request.args), 1)


# --- feedback on a dataset ---------------------------------------------------------


@_guard
def dataset_feedback(id: str) -> Any:
    pkg = _action("package_show", {"id": id})
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {"kind": tk.request.args.get("kind", "error")}
    if tk.request.method == "POST":
        values = pages.form((*SENDER_FIELDS, "kind"), strip=True)
        try:
            thread = _action("nd47_feedback_create", {**values, "package_id": pkg["id"]})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Thank you: your message was sent to the agency."))
            return tk.redirect_to(
                tk.url_for("nd47_feedback.dataset_feedback", id=pkg["name"])
                + f"#feedback-{thread['id']}"
            )
    # the agency's admins see moderated threads too, to undo a moderation
    query = {"package_id": pkg["id"], "limit": 100, "include_hidden": True}
    if pkg.get("owner_org"):
        query["owner_org"] = pkg["owner_org"]
    threads = _action("nd47_feedback_list", query)
    return tk.render(
        "nd47/feedback/dataset.html",
        {
            "pkg_dict": pkg,
            "pkg": pkg,
            "threads": threads,
            "errors": errors,
            "values": values,
            "kinds": wf.FEEDBACK_KINDS,
        },
    )


# --- staff and followers act on a thread (both kinds) -------------------------------

_VERBS = {
    "answer": ("answer", ("body", "status")),
    "status": ("status_update", ("status",)),
    "moderate": ("moderate", ("visibility",)),
    "follow": ("follow", ("email",)),
}


def _thread_action(prefix: str, id: str, verb: str) -> dict[str, Any] | None:
    if verb not in _VERBS:
        tk.abort(404, tk._("Not found"))
    action, fields = _VERBS[verb]
    try:
        _action(f"{prefix}_{action}", {**pages.form(fields, strip=True), "id": id})
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(" ".join(map(str, v)) for v in error.error_dict.values()))
        return None
    tk.h.flash_success(
        tk._("You follow it now: its answers will be e-mailed to you.")
        if verb == "follow"
        else tk._("Saved.")
    )
    return None


@_guard
def feedback_post(id: str, feedback_id: str, verb: str) -> Any:
    _thread_action("nd47_feedback", feedback_id, verb)
    return tk.redirect_to(
        tk.url_for("nd47_feedback.dataset_feedback", id=id) + f"#feedback-{feedback_id}"
    )


# --- requests for new data ---------------------------------------------------------


def _agencies() -> list[dict[str, Any]]:
    return _action("organization_list", {"all_fields": True, "limit": 1000})


@_guard
def request_index() -> str:
    filters = {k: v for k in ("q", "status", "owner_org") if (v := tk.request.args.get(k))}
    page = _page()
    try:
        result = _action(
            "nd47_data_request_list",
            {**filters, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE},
        )
    except tk.ValidationError:
        result = {"count": 0, "results": []}
    last = max(1, -(-result["count"] // PAGE_SIZE))
    pager = {
        "previous": page > 1
        and tk.url_for("nd47_feedback.request_index", page=page - 1, **filters),
        "next": page < last and tk.url_for("nd47_feedback.request_index", page=page + 1, **filters),
        "page": page,
        "last": last,
    }
    return tk.render(
        "nd47/feedback/request_index.html",
        {
            "result": result,
            "filters": filters,
            "pager": pager,
            "agencies": _agencies(),
            "statuses": wf.STATUSES,
        },
    )


@_guard
def request_new() -> Any:
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {"owner_org": tk.request.args.get("owner_org", "")}
    if tk.request.method == "POST":
        values = pages.form((*SENDER_FIELDS, "owner_org"), strip=True)
        try:
            thread = _action("nd47_data_request_create", values)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Thank you: your request was sent to the agency."))
            return tk.redirect_to("nd47_feedback.request_read", id=thread["id"])
    return tk.render(
        "nd47/feedback/request_new.html",
        {"errors": errors, "values": values, "agencies": _agencies()},
    )


@_guard
def request_read(id: str) -> str:
    thread = _action("nd47_data_request_show", {"id": id})
    plans: list[dict[str, Any]] = []
    if thread["can_answer"] and thread["owner_org"] and not thread["plan_item_id"]:
        try:
            plans = _action("nd47_plan_list", {"owner_org": thread["owner_org"]})["results"]
        except (KeyError, tk.NotAuthorized):  # plans not enabled, or not allowed
            plans = []
    return tk.render("nd47/feedback/request_read.html", {"thread": thread, "plans": plans})


@_guard
def request_post(id: str, verb: str) -> Any:
    if verb == "plan-item":
        try:
            _action(
                "nd47_data_request_plan_item_create",
                {**pages.form(("plan_id", "code", "title"), strip=True), "id": id},
            )
        except tk.ValidationError as error:
            tk.h.flash_error(" ".join(" ".join(map(str, v)) for v in error.error_dict.values()))
        else:
            tk.h.flash_success(tk._("The request is now an item of the agency's plan."))
    else:
        _thread_action("nd47_data_request", id, verb)
    return tk.redirect_to("nd47_feedback.request_read", id=id)


# --- the agency's queue ------------------------------------------------------------


@_guard
def queue(id: str) -> str:
    org = _action("organization_show", {"id": id})
    tk.check_access("package_create", {"user": tk.g.user}, {"owner_org": org["id"]})
    status = tk.request.args.get("status") or None
    query = {"owner_org": org["id"], "include_hidden": True, "limit": 100}
    if status:
        query["status"] = status
    return tk.render(
        "nd47/feedback/queue.html",
        {
            "group_dict": org,
            "group_type": "organization",
            "feedback": _action("nd47_feedback_list", query),
            "requests": _action("nd47_data_request_list", query),
            "stats": _action("nd47_feedback_stats", {"owner_org": org["id"]}),
            "status": status,
            "statuses": wf.STATUSES,
        },
    )


# --- citation downloads and the terms of use ----------------------------------------

CITATION_FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bibtex"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "csl"),
}


@_guard
def citation(id: str, fmt: str) -> Response:
    if fmt not in CITATION_FORMATS:
        return tk.abort(404, tk._("Not found"))
    mimetype, key = CITATION_FORMATS[fmt]
    cite = _action("nd47_dataset_citation", {"id": id})
    body = cite[key] if fmt == "bib" else tk.h.dump_json(cite[key], ensure_ascii=False, indent=2)
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    name = tk.h.url_for("dataset.read", id=id).rstrip("/").rsplit("/", 1)[-1]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def terms() -> str:
    extra = tk.config.get("ckanext.nd47.terms_of_use.extra_text") or ""
    return tk.render(
        "nd47/feedback/terms.html",
        {
            "law_rights": [tk._(text) for text in licence_words.LAW_RIGHTS],
            "licences": licence_words.all_licence_terms(),
            "extra_paragraphs": [p.strip() for p in extra.split("\n\n") if p.strip()],
        },
    )


nd47_feedback.add_url_rule("/dataset/<id>/citation.<fmt>", view_func=citation)
nd47_feedback.add_url_rule("/terms-of-use", view_func=terms)
nd47_feedback.add_url_rule(
    "/dataset/<id>/feedback", view_func=dataset_feedback, methods=["GET", "POST"]
)
nd47_feedback.add_url_rule(
    "/dataset/<id>/feedback/<feedback_id>/<verb>", view_func=feedback_post, methods=["POST"]
)
nd47_feedback.add_url_rule("/data-request", view_func=request_index)
nd47_feedback.add_url_rule("/data-request/new", view_func=request_new, methods=["GET", "POST"])
nd47_feedback.add_url_rule("/data-request/<id>", view_func=request_read)
nd47_feedback.add_url_rule("/data-request/<id>/<verb>", view_func=request_post, methods=["POST"])
nd47_feedback.add_url_rule("/organization/feedback/<id>", view_func=queue)
