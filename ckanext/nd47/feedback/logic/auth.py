"""Auth functions of the feedback and data-request actions (same names).

Who may do what defers to CKAN's own permissions: answering a thread needs
``package_update`` on the dataset it is about, or ``package_create`` in the
agency a request is addressed to (its editors and admins); moderating and
reading senders' e-mail addresses need ``organization_update`` (the agency's
admins) or sysadmin. Anyone, signed in or not, may send, read and follow.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.feedback.model import Feedback

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

AuthResult = dict[str, Any]


def _allowed(context: dict[str, Any], action: str, data_dict: dict[str, Any]) -> bool:
    try:
        tk.check_access(action, {"user": context.get("user"), "auth_user_obj": None}, data_dict)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def can_answer(context: dict[str, Any], thread: Feedback | None) -> bool:
    """The agency's staff: those who may change the dataset, or add one to the agency."""
    if thread is None:
        return False
    if thread.package_id:
        return _allowed(context, "package_update", {"id": thread.package_id})
    if thread.owner_org:
        return _allowed(context, "package_create", {"owner_org": thread.owner_org})
    return _allowed(context, "sysadmin", {})


def can_read_dataset(context: dict[str, Any], package_id: str) -> bool:
    """Feedback on a dataset is as visible as the dataset (``package_show``)."""
    return _allowed(context, "package_show", {"id": package_id})


def can_moderate(context: dict[str, Any], owner_org: str | None) -> bool:
    """The agency's admins (and sysadmins)."""
    if owner_org and _allowed(context, "organization_update", {"id": owner_org}):
        return True
    return _allowed(context, "sysadmin", {})


def _result(allowed: bool, message: str) -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": message}


def _answer(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    thread = Feedback.get(data_dict.get("id"))
    return _result(
        can_answer(context, thread), tk._("Only the agency's staff may answer or change this")
    )


def _moderate(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    thread = Feedback.get(data_dict.get("id"))
    allowed = thread is not None and can_moderate(context, thread.owner_org)
    return _result(allowed, tk._("Only the agency's admins may moderate this"))


@tk.auth_allow_anonymous_access
def _anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return {"success": True}


nd47_feedback_create = _anyone
nd47_feedback_show = _anyone
nd47_feedback_list = _anyone
nd47_feedback_follow = _anyone
nd47_feedback_stats = _anyone
nd47_feedback_answer = _answer
nd47_feedback_status_update = _answer
nd47_feedback_moderate = _moderate

nd47_data_request_create = _anyone
nd47_data_request_show = _anyone
nd47_data_request_list = _anyone
nd47_data_request_follow = _anyone
nd47_data_request_answer = _answer
nd47_data_request_status_update = _answer
nd47_data_request_moderate = _moderate
# The plan item itself is created through nd47_plan_item_create, with its own auth.
nd47_data_request_plan_item_create = _answer


@tk.auth_allow_anonymous_access
def nd47_dataset_citation(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return _result(
        _allowed(context, "package_show", {"id": data_dict.get("id")}),
        tk._("Not authorized to see this dataset"),
    )
