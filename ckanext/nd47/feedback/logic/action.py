"""Actions of feedback on datasets and requests for new data.

Each checks access, validates and hands over to ``threads``. Reads are
side-effect free and open to anonymous visitors; e-mail addresses appear
only for the agency's admins.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.feedback import citation
from ckanext.nd47.feedback import workflow as wf
from ckanext.nd47.feedback.logic import schema
from ckanext.nd47.feedback.logic import threads as th
from ckanext.nd47.feedback.logic.auth import can_moderate
from ckanext.nd47.feedback.model import Feedback
from ckanext.nd47.text import db_key

__all__ = [
    "nd47_dataset_citation",
    "nd47_data_request_answer",
    "nd47_data_request_create",
    "nd47_data_request_follow",
    "nd47_data_request_list",
    "nd47_data_request_moderate",
    "nd47_data_request_plan_item_create",
    "nd47_data_request_show",
    "nd47_data_request_status_update",
    "nd47_feedback_answer",
    "nd47_feedback_create",
    "nd47_feedback_follow",
    "nd47_feedback_list",
    "nd47_feedback_moderate",
    "nd47_feedback_show",
    "nd47_feedback_stats",
    "nd47_feedback_status_update",
]

Context = dict[str, Any]
DataDict = dict[str, Any]

FEEDBACK = tuple(wf.FEEDBACK_KINDS)
REQUEST = (wf.REQUEST,)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# --- feedback on a dataset -----------------------------------------------------


def nd47_feedback_create(context: Context, data_dict: DataDict) -> DataDict:
    """Send feedback on a dataset: an error report, an update request or a comment.

    Anonymous visitors give an e-mail address (never shown publicly); rate
    limits per IP address and per sender, content limits and, when the
    portal configures it, CKAN's reCAPTCHA apply.

    :param package_id: the dataset (id or name)
    :type package_id: string
    :param kind: ``error``, ``update`` or ``comment``
    :type kind: string
    :param title: a short title (optional)
    :type title: string
    :param body: the message, plain text
    :type body: string
    :param name: the sender's name, shown with the message (optional)
    :type name: string
    :param email: the sender's e-mail address, required when not signed in
    :type email: string

    :returns: the new thread
    :rtype: dictionary
    """
    tk.check_access("nd47_feedback_create", context, data_dict)
    data = th.validate(data_dict, schema.feedback_create_schema(), context)
    pkg = tk.get_action("package_show")({"user": context.get("user")}, {"id": data["package_id"]})
    data["package_id"] = pkg["id"]
    thread = th.create(context, data, data["kind"], pkg.get("owner_org"))
    return th.thread_dict(context, thread)


@tk.side_effect_free
def nd47_feedback_show(context: Context, data_dict: DataDict) -> DataDict:
    """Show a feedback thread with its public answers.

    :param id: the thread id
    :type id: string

    :returns: the thread; ``author_email`` only for the agency's admins
    :rtype: dictionary
    """
    tk.check_access("nd47_feedback_show", context, data_dict)
    return th.thread_dict(context, th.get(data_dict.get("id"), FEEDBACK, context))


def _list(context: Context, data_dict: DataDict, kinds: tuple[str, ...]) -> DataDict:
    data = th.validate(data_dict, schema.list_schema(), context)
    if data.get("kind"):
        if data["kind"] not in kinds:
            raise tk.ValidationError({"kind": [tk._("kind: not a kind of this list")]})
        kinds = (data["kind"],)
    if data.get("package_id"):
        key = db_key(data["package_id"])
        pkg = model.Package.get(key) if key else None
        data["package_id"] = pkg.id if pkg else data["package_id"]
    if data.get("owner_org"):
        key = db_key(data["owner_org"])
        org = model.Group.get(key) if key else None
        data["owner_org"] = org.id if org else data["owner_org"]
    visible_orgs: tuple[str, ...] = ()
    visibilities: tuple[str, ...] | None = (wf.PUBLIC,)
    if data.get("include_hidden"):
        if can_moderate(context, None):
            visibilities = None
        elif data.get("owner_org") and can_moderate(context, data["owner_org"]):
            visible_orgs = (data["owner_org"],)
    query = Feedback.search(
        kinds,
        readable_orgs=th.readable_orgs(context),
        package_id=data.get("package_id"),
        owner_org=data.get("owner_org"),
        status=data.get("status"),
        q=data.get("q"),
        visibilities=visibilities,
        visible_orgs=visible_orgs,
    )
    limit = min(data.get("limit") or DEFAULT_LIMIT, MAX_LIMIT)
    rows = query.order_by(Feedback.created.desc()).limit(limit).offset(data.get("offset", 0)).all()
    th.sync_plan_items(context, rows)
    return {"count": query.count(), "results": [th.thread_dict(context, t) for t in rows]}


_LIST_PARAMS = """
    :param owner_org: only threads of this agency (id or name)
    :type owner_org: string
    :param status: ``new``, ``in_progress``, ``answered`` or ``closed``
    :type status: string
    :param q: words in the title or text, with or without Vietnamese diacritics
    :type q: string
    :param include_hidden: also hidden and spam threads (the agency's admins
        with ``owner_org``, or sysadmins)
    :type include_hidden: bool
    :param limit: page size (default 20, at most 100)
    :type limit: int
    :param offset: how many to skip
    :type offset: int

    :returns: ``{"count": total, "results": [thread, ...]}``, newest first
    :rtype: dictionary
"""


@tk.side_effect_free
def nd47_feedback_list(context: Context, data_dict: DataDict) -> DataDict:
    tk.check_access("nd47_feedback_list", context, data_dict)
    return _list(context, data_dict, FEEDBACK)


nd47_feedback_list.__doc__ = (
    """List feedback threads on datasets.

    :param package_id: only feedback on this dataset (id or name)
    :type package_id: string
    :param kind: ``error``, ``update`` or ``comment``
    :type kind: string"""
    + _LIST_PARAMS
)


def nd47_feedback_answer(context: Context, data_dict: DataDict) -> DataDict:
    """Answer a feedback thread publicly; the sender and followers are e-mailed.

    :param id: the thread id
    :type id: string
    :param body: the answer, plain text
    :type body: string
    :param status: the status the answer leaves (default ``answered``;
        ``in_progress`` or ``closed`` are possible)
    :type status: string

    :returns: the thread with the new answer
    :rtype: dictionary
    """
    return _answer(context, data_dict, FEEDBACK, "nd47_feedback_answer")


def _answer(context: Context, data_dict: DataDict, kinds: tuple[str, ...], name: str) -> DataDict:
    tk.check_access(name, context, data_dict)
    data = th.validate(data_dict, schema.answer_schema(), context)
    thread = th.get(data["id"], kinds, context)
    th.answer(context, thread, data["body"], data.get("status") or wf.ANSWERED)
    return th.thread_dict(context, thread)


def nd47_feedback_status_update(context: Context, data_dict: DataDict) -> DataDict:
    """Move a feedback thread: new → in_progress → answered → closed
    (closed may be reopened to in_progress).

    :param id: the thread id
    :type id: string
    :param status: the new status
    :type status: string

    :returns: the thread
    :rtype: dictionary
    """
    return _status(context, data_dict, FEEDBACK, "nd47_feedback_status_update")


def _status(context: Context, data_dict: DataDict, kinds: tuple[str, ...], name: str) -> DataDict:
    tk.check_access(name, context, data_dict)
    data = th.validate(data_dict, schema.status_schema(), context)
    thread = th.get(data["id"], kinds, context)
    th.set_status(context, thread, data["status"])
    return th.thread_dict(context, thread)


def nd47_feedback_moderate(context: Context, data_dict: DataDict) -> DataDict:
    """Hide a feedback thread, mark it as spam, or make it public again
    (the agency's admins).

    :param id: the thread id
    :type id: string
    :param visibility: ``public``, ``hidden`` or ``spam``
    :type visibility: string

    :returns: the thread
    :rtype: dictionary
    """
    return _moderate(context, data_dict, FEEDBACK, "nd47_feedback_moderate")


def _moderate(context: Context, data_dict: DataDict, kinds: tuple[str, ...], name: str) -> DataDict:
    tk.check_access(name, context, data_dict)
    data = th.validate(data_dict, schema.moderate_schema(), context)
    thread = th.get(data["id"], kinds, context)
    th.moderate(context, thread, data["visibility"])
    return th.thread_dict(context, thread)


def nd47_feedback_follow(context: Context, data_dict: DataDict) -> DataDict:
    """Follow a feedback thread: be e-mailed its answers.

    :param id: the thread id
    :type id: string
    :param email: the follower's address, required when not signed in
    :type email: string

    :returns: ``{"following": true, "added": false when already following}``
    :rtype: dictionary
    """
    return _follow(context, data_dict, FEEDBACK, "nd47_feedback_follow")


def _follow(context: Context, data_dict: DataDict, kinds: tuple[str, ...], name: str) -> DataDict:
    tk.check_access(name, context, data_dict)
    data = th.validate(data_dict, schema.follow_schema(), context)
    thread = th.get(data["id"], kinds, context)
    added = th.follow(context, thread, data.get("email"))
    return {"following": True, "added": added}


@tk.side_effect_free
def nd47_feedback_stats(context: Context, data_dict: DataDict) -> DataDict:
    """Counts of feedback and data requests by kind and status, for dashboards.

    :param owner_org: only this agency's threads (id or name)
    :type owner_org: string

    :returns: ``{"feedback": {status: n, "total": n}, "request": {...},
        "by_kind": {kind: {status: n}}, "open": n}``; hidden and spam threads
        are counted as well (they are messages received)
    :rtype: dictionary
    """
    tk.check_access("nd47_feedback_stats", context, data_dict)
    owner_org = data_dict.get("owner_org")
    if owner_org:
        key = db_key(owner_org)
        org = model.Group.get(key) if key else None
        if org is None:
            raise tk.ObjectNotFound(tk._("Agency not found"))
        owner_org = org.id
    empty = {**dict.fromkeys(wf.STATUSES, 0), "total": 0}
    result: DataDict = {
        "feedback": dict(empty),
        "request": dict(empty),
        "by_kind": {kind: dict(empty) for kind in wf.KINDS},
        "open": 0,
    }
    for kind, status, count in Feedback.counts(owner_org):
        group = result["request" if kind == wf.REQUEST else "feedback"]
        for bucket in (group, result["by_kind"].setdefault(kind, dict(empty))):
            bucket[status] = bucket.get(status, 0) + count
            bucket["total"] += count
        if status in wf.OPEN:
            result["open"] += count
    return result


# --- requests for new data --------------------------------------------------------


def nd47_data_request_create(context: Context, data_dict: DataDict) -> DataDict:
    """Ask for data that is not published yet, optionally of one agency.

    Same anti-abuse rules as :py:func:`nd47_feedback_create`.

    :param title: what data is wanted
    :type title: string
    :param body: why, and in what form
    :type body: string
    :param owner_org: the agency asked (id or name; optional)
    :type owner_org: string
    :param name: the sender's name, shown with the request (optional)
    :type name: string
    :param email: the sender's e-mail address, required when not signed in
    :type email: string

    :returns: the new request
    :rtype: dictionary
    """
    tk.check_access("nd47_data_request_create", context, data_dict)
    data = th.validate(data_dict, schema.request_create_schema(), context)
    owner_org = None
    if data.get("owner_org"):
        key = db_key(data["owner_org"])
        org = model.Group.get(key) if key else None
        if org is None or not org.is_organization or org.state != "active":
            raise tk.ValidationError({"owner_org": [tk._("Agency: not found")]})
        owner_org = org.id
    thread = th.create(context, data, wf.REQUEST, owner_org)
    return th.thread_dict(context, thread)


@tk.side_effect_free
def nd47_data_request_show(context: Context, data_dict: DataDict) -> DataDict:
    """Show a data request with its public answers. A request turned into a
    plan item is answered here automatically once the item is published.

    :param id: the request id
    :type id: string

    :returns: the request; ``author_email`` only for the agency's admins
    :rtype: dictionary
    """
    tk.check_access("nd47_data_request_show", context, data_dict)
    thread = th.get(data_dict.get("id"), REQUEST, context)
    th.sync_plan_items(context, [thread])
    return th.thread_dict(context, thread)


@tk.side_effect_free
def nd47_data_request_list(context: Context, data_dict: DataDict) -> DataDict:
    tk.check_access("nd47_data_request_list", context, data_dict)
    return _list(context, data_dict, REQUEST)


nd47_data_request_list.__doc__ = "List requests for new data." + _LIST_PARAMS


def nd47_data_request_answer(context: Context, data_dict: DataDict) -> DataDict:
    """Answer a data request publicly (staff of the agency asked; sysadmins
    for requests to no agency); the sender and followers are e-mailed.

    :param id: the request id
    :type id: string
    :param body: the answer, plain text
    :type body: string
    :param status: the status the answer leaves (default ``answered``)
    :type status: string

    :returns: the request with the new answer
    :rtype: dictionary
    """
    return _answer(context, data_dict, REQUEST, "nd47_data_request_answer")


def nd47_data_request_status_update(context: Context, data_dict: DataDict) -> DataDict:
    """Move a data request: new → in_progress → answered → closed.

    :param id: the request id
    :type id: string
    :param status: the new status
    :type status: string

    :returns: the request
    :rtype: dictionary
    """
    return _status(context, data_dict, REQUEST, "nd47_data_request_status_update")


def nd47_data_request_moderate(context: Context, data_dict: DataDict) -> DataDict:
    """Hide a data request, mark it as spam, or make it public again.

    :param id: the request id
    :type id: string
    :param visibility: ``public``, ``hidden`` or ``spam``
    :type visibility: string

    :returns: the request
    :rtype: dictionary
    """
    return _moderate(context, data_dict, REQUEST, "nd47_data_request_moderate")


def nd47_data_request_follow(context: Context, data_dict: DataDict) -> DataDict:
    """Follow a data request: be e-mailed its answers.

    :param id: the request id
    :type id: string
    :param email: the follower's address, required when not signed in
    :type email: string

    :returns: ``{"following": true, "added": false when already following}``
    :rtype: dictionary
    """
    return _follow(context, data_dict, REQUEST, "nd47_data_request_follow")


def nd47_data_request_plan_item_create(context: Context, data_dict: DataDict) -> DataDict:
    """Turn a data request into an item of its agency's open-data plan.

    The item is created through ``nd47_plan_item_create`` (its auth applies);
    its description names the request, the request keeps the item id and
    moves to ``in_progress``. When the item is published, the request is
    answered with a link to the dataset.

    :param id: the request id
    :type id: string
    :param plan_id: the plan of the request's agency
    :type plan_id: string
    :param code: the item's code in the plan
    :type code: string
    :param title: the item's title (default: the request's title)
    :type title: string

    :returns: the request, with ``plan_item_id``
    :rtype: dictionary
    """
    tk.check_access("nd47_data_request_plan_item_create", context, data_dict)
    data = th.validate(data_dict, schema.request_plan_item_schema(), context)
    thread = th.get(data["id"], REQUEST, context)
    if thread.plan_item_id:
        raise tk.ValidationError({"id": [tk._("This request is already a plan item")]})
    plan = tk.get_action("nd47_plan_show")({"user": context.get("user")}, {"id": data["plan_id"]})
    if plan["owner_org"] != thread.owner_org:
        raise tk.ValidationError({"plan_id": [tk._("Plan: must be a plan of the agency asked")]})
    description = tk._("Requested by a citizen: {title}\n{url}").format(
        title=thread.title, url=th.thread_url(thread)
    )
    item = tk.get_action("nd47_plan_item_create")(
        {"user": context.get("user")},
        {
            "plan_id": plan["id"],
            "code": data["code"],
            "title": data.get("title") or thread.title,
            "description": description,
        },
    )
    thread.plan_item_id = item["id"]
    if wf.IN_PROGRESS in wf.TRANSITIONS[thread.status]:
        thread.status = wf.IN_PROGRESS
    th.commit(context)
    return th.thread_dict(context, thread)


# --- how to cite a dataset -------------------------------------------------------


@tk.side_effect_free
def nd47_dataset_citation(context: Context, data_dict: DataDict) -> DataDict:
    """How to cite a dataset: the citation in Vietnamese and English, BibTeX
    and CSL-JSON. Whoever may see the dataset may cite it.

    :param id: the dataset (id or name)
    :type id: string

    :returns: ``{"vi": text, "en": text, "bibtex": text, "csl": [item],
        "url": the dataset page, "year", "agency", "title", ...}``
    :rtype: dictionary
    """
    tk.check_access("nd47_dataset_citation", context, data_dict)
    pkg = tk.get_action("package_show")({"user": context.get("user")}, {"id": data_dict.get("id")})
    return {
        **citation.citation(pkg),
        "bibtex": citation.bibtex(pkg),
        "csl": citation.csl(pkg),
    }
