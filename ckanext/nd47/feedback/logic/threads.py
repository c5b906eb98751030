"""What the actions do to threads (feedback and data requests), in one place.

Both kinds share the table, the statuses, answers, followers, moderation and
notifications; the actions in ``action.py`` only check access, validate and
call these. Dictization is here too: it alone decides who sees an e-mail.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.feedback import workflow as wf
from ckanext.nd47.feedback.logic import abuse, notify
from ckanext.nd47.feedback.logic.auth import can_answer, can_moderate, can_read_dataset
from ckanext.nd47.feedback.model import Answer, Feedback, Follower, search_key, utcnow
from ckanext.nd47.logic.action import commit, validate

log = logging.getLogger(__name__)

Context = dict[str, Any]
DataDict = dict[str, Any]

# The plans actions' value for a published item (their public API).
PLAN_ITEM_PUBLISHED = "published"

__all__ = [
    "answer",
    "commit",
    "create",
    "follow",
    "get",
    "moderate",
    "readable_orgs",
    "set_status",
    "sync_plan_items",
    "thread_dict",
    "thread_url",
    "validate",
]


def _user(context: Context) -> model.User | None:
    name = context.get("user")
    return model.User.get(name) if name else None


def get(reference: str | None, kinds: tuple[str, ...], context: Context) -> Feedback:
    """The thread, or NotFound: also when moderated away, or about a dataset,
    that the user may not see."""
    thread = Feedback.get(reference)
    if thread is None or thread.kind not in kinds:
        raise tk.ObjectNotFound(tk._("Message not found"))
    if thread.visibility != wf.PUBLIC and not can_moderate(context, thread.owner_org):
        raise tk.ObjectNotFound(tk._("Message not found"))
    if thread.package_id and not can_read_dataset(context, thread.package_id):
        raise tk.ObjectNotFound(tk._("Message not found"))
    return thread


def readable_orgs(context: Context) -> tuple[str, ...] | None:
    """Agencies whose private datasets' feedback the user may read (None: all)."""
    user = _user(context)
    if user is None:
        return ()
    if user.sysadmin:
        return None
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user.name}, {"id": user.id, "permission": "read"}
    )
    return tuple(org["id"] for org in orgs)


def create(context: Context, data: DataDict, kind: str, owner_org: str | None) -> Feedback:
    """Store a new thread after every anti-abuse check passed."""
    user = _user(context)
    email = data.get("email")
    if user is None:
        if not email:
            raise tk.ValidationError(
                {"email": [tk._("E-mail: required when you are not signed in, for the answer")]}
            )
        abuse.check_captcha()
    abuse.check_content(data.get("title"), data.get("body"))
    if not context.get("ignore_auth"):  # trusted internal calls (CLI, demo loader) are not counted
        abuse.check_rate(user.id if user else email)
    thread = Feedback(
        kind=kind,
        package_id=data.get("package_id"),
        owner_org=owner_org,
        title=data.get("title") or "",
        body=data["body"],
        author_user_id=user.id if user else None,
        author_name=(user.display_name if user else data.get("name")) or None,
        author_email=None if user else email,
        status=wf.NEW,
        visibility=wf.PUBLIC,
    )
    thread.search_text = search_key(thread.title, thread.body)
    model.Session.add(thread)
    commit(context)
    return thread


def thread_url(thread: Feedback) -> str:
    if thread.kind == wf.REQUEST:
        return tk.url_for(
            "nd47_feedback.request_read", id=thread.id, _external=True, locale="default"
        )
    return (
        tk.url_for(
            "nd47_feedback.dataset_feedback", id=thread.package_id, _external=True, locale="default"
        )
        + f"#feedback-{thread.id}"
    )


def answer(
    context: Context, thread: Feedback, body: str, status: str, automatic: bool = False
) -> Answer:
    """Publish an answer, move the status, mail the sender and followers."""
    _check_transition(thread, status)
    abuse.check_content(None, body)
    user = _user(context)
    reply = Answer(
        feedback_id=thread.id,
        user_id=None if automatic or user is None else user.id,
        body=body,
        status=status,
        automatic=automatic,
    )
    model.Session.add(reply)
    thread.status = status
    thread.modified = utcnow()
    commit(context)
    notify.send_answer(thread, reply, thread_url(thread))
    return reply


def _check_transition(thread: Feedback, status: str) -> None:
    if status not in wf.TRANSITIONS[thread.status]:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("Status: cannot go from {old} to {new}").format(
                        old=wf.label("status", thread.status), new=wf.label("status", status)
                    )
                ]
            }
        )


def set_status(context: Context, thread: Feedback, status: str) -> None:
    if status == thread.status:
        return
    _check_transition(thread, status)
    thread.status = status
    thread.modified = utcnow()
    commit(context)


def moderate(context: Context, thread: Feedback, visibility: str) -> None:
    thread.visibility = visibility
    thread.modified = utcnow()
    commit(context)


def follow(context: Context, thread: Feedback, email: str | None) -> bool:
    """Add a follower (the user, or an e-mail address); False if already there."""
    user = _user(context)
    if user is None and not email:
        raise tk.ValidationError({"email": [tk._("E-mail: required when you are not signed in")]})
    query = model.Session.query(Follower).filter(Follower.feedback_id == thread.id)
    if user is not None:
        query = query.filter(Follower.user_id == user.id)
    else:
        query = query.filter(Follower.email == email.lower())
    if query.first():
        return False
    if user is None:
        abuse.check_rate(email)
    model.Session.add(
        Follower(
            feedback_id=thread.id,
            user_id=user.id if user else None,
            email=None if user else email.lower(),
        )
    )
    commit(context)
    return True


def _person(user_id: str | None) -> str:
    user = model.User.get(user_id) if user_id else None
    return user.display_name if user else ""


def _agency(owner_org: str | None) -> dict[str, Any] | None:
    group = model.Group.get(owner_org) if owner_org else None
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.display_name}


def thread_dict(context: Context, thread: Feedback) -> DataDict:
    """The public form of a thread; e-mail and user ids for moderators only."""
    moderator = can_moderate(context, thread.owner_org)
    user = _user(context)
    followers = thread.followers()
    pkg = model.Package.get(thread.package_id) if thread.package_id else None
    data: DataDict = {
        "id": thread.id,
        "kind": thread.kind,
        "kind_label": wf.label("kind", thread.kind),
        "package_id": thread.package_id,
        "package_name": pkg.name if pkg else None,
        "package_title": pkg.title if pkg else None,
        "owner_org": thread.owner_org,
        "agency": _agency(thread.owner_org),
        "title": thread.title,
        "body": thread.body,
        "author_name": thread.author_name or tk._("A visitor"),
        "status": thread.status,
        "status_label": wf.label("status", thread.status),
        "allowed_transitions": list(wf.TRANSITIONS[thread.status]),
        "visibility": thread.visibility,
        "plan_item_id": thread.plan_item_id,
        "created": thread.created.isoformat(),
        "modified": thread.modified.isoformat(),
        "follower_count": len(followers),
        "following": bool(user and any(f.user_id == user.id for f in followers)),
        "can_answer": can_answer(context, thread),
        "can_moderate": moderator,
        "answers": [
            {
                "id": reply.id,
                "body": reply.body,
                "status": reply.status,
                "status_label": wf.label("status", reply.status),
                "automatic": reply.automatic,
                "author": _person(reply.user_id) if moderator else None,
                "created": reply.created.isoformat(),
            }
            for reply in thread.answers()
        ],
    }
    if moderator:
        data["author_email"] = thread.author_email
        data["author_user_id"] = thread.author_user_id
    return data


def sync_plan_items(context: Context, threads: list[Feedback]) -> int:
    """Answer requests whose plan item was published, with a link to the dataset.

    Polled when requests are read (shown or listed); reads items through the
    plans actions only.
    """
    answered = 0
    site = {"ignore_auth": True, "user": ""}
    for thread in threads:
        if not thread.plan_item_id or thread.status not in wf.OPEN:
            continue
        try:
            item = tk.get_action("nd47_plan_item_show")(dict(site), {"id": thread.plan_item_id})
        except (tk.ObjectNotFound, KeyError):
            continue
        if item.get("status") != PLAN_ITEM_PUBLISHED or not item.get("package_id"):
            continue
        url = tk.url_for(
            "dataset.read",
            id=item.get("dataset_name") or item["package_id"],
            _external=True,
            locale="default",
        )
        text = tk._("The data you asked for is now published: {url}").format(url=url)
        answer({**context, "user": ""}, thread, text, wf.ANSWERED, automatic=True)
        log.info("nd47_feedback: request %s answered by plan item %s", thread.id, item["id"])
        answered += 1
    return answered
