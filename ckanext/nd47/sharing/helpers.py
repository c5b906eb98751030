"""Template helpers of the sharing pages (``h.nd47_sharing_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.sharing.logic import access

__all__ = [
    "nd47_sharing_active_grants",
    "nd47_sharing_is_agency_user",
    "nd47_sharing_request_orgs",
    "nd47_sharing_status_label",
    "nd47_sharing_step_label",
]


def nd47_sharing_status_label(status: str) -> str:
    labels = {
        access.PENDING: tk._("Pending"),
        access.GRANTED: tk._("Granted"),
        access.REFUSED: tk._("Refused"),
        access.REVOKED: tk._("Revoked"),
        access.EXPIRED: tk._("Expired"),
        "overdue": tk._("Overdue"),
    }
    return labels.get(status, status)


def nd47_sharing_step_label(action: str) -> str:
    """A step of the audit trail (the audit's ``action`` column)."""
    labels = {
        "create": tk._("Request sent"),
        "grant": tk._("Granted"),
        "refuse": tk._("Refused"),
        "revoke": tk._("Revoked"),
    }
    return labels.get(action, action)


def _user() -> Any:
    user = tk.current_user
    return None if user.is_anonymous else model.User.get(user.id)


def nd47_sharing_is_agency_user() -> bool:
    user = _user()
    return bool(user and (user.sysadmin or access.agency_org_ids(access.member_org_ids(user))))


def nd47_sharing_request_orgs(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The agencies the user may ask for ``pkg`` on behalf of; empty: no button.

    None when the dataset is not shared, the user already reads its files, or
    edits for no other agency.
    """
    user = _user()
    if user is None or not access.is_shared(pkg):
        return []
    files = access.FileAccess(user)
    if files.sysadmin or pkg.get("owner_org") in files.org_ids or files.grants(pkg):
        return []
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user.name}, {"id": user.id, "permission": "create_dataset"}
    )
    return [o for o in orgs if o["id"] != pkg.get("owner_org")]


def nd47_sharing_active_grants(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The grants through which the user reads ``pkg``'s files (reference and period)."""
    user = _user()
    if user is None or not access.is_shared(pkg):
        return []
    return [g.as_dict() for g in access.FileAccess(user).grants(pkg)]
