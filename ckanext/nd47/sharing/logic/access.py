"""Who may see and read what: the sharing rules every other module asks.

- A shared dataset ("dùng chung", Law on Data 2024 Art. 13) is private in CKAN
  terms (``ckanext.nd47.force_private_unless_open``), so every public output
  (DCAT, dump, open-data list, anonymous search) stays closed. It carries one
  more permission label, :data:`AGENCY_LABEL`, which every state-agency user
  holds: its metadata is then visible to them.
- Its files and resource URLs are for the owning agency, sysadmins and
  agencies holding an active grant (Decree 194/2025/NĐ-CP Art. 16(2)).
- ``expired`` is computed from the grant's end date on every read: the end of
  a grant ends access at once, no job is needed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import or_

from ckanext.nd47.sharing.model import ShareRequest, utcnow

__all__ = [
    "AGENCY_LABEL",
    "DECIDED",
    "EXPIRED",
    "GRANTED",
    "PENDING",
    "REFUSED",
    "REVOKED",
    "SHARED_CLASS",
    "STATUSES",
    "FileAccess",
    "agency_org_ids",
    "answer_due",
    "covers",
    "effective_status",
    "is_active_grant",
    "is_overdue",
    "is_shared",
    "member_org_ids",
    "today",
]

# Law on Data 2024, Art. 13: the class whose metadata other agencies see.
SHARED_CLASS = "dung-chung"
# The permission label of shared datasets, held by every state-agency user.
AGENCY_LABEL = "nd47-agency-users"

PENDING = "pending"
GRANTED = "granted"
REFUSED = "refused"
REVOKED = "revoked"
EXPIRED = "expired"  # computed from grant_end, never stored
STATUSES = (PENDING, GRANTED, REFUSED, REVOKED, EXPIRED)
DECIDED = (GRANTED, REFUSED, REVOKED, EXPIRED)


def today() -> datetime.date:
    return datetime.date.today()


def is_shared(pkg: Any) -> bool:
    """A ``model.Package`` or package dict in the shared class, active and private."""
    if isinstance(pkg, dict):
        sharing_class, private, state = (
            pkg.get("sharing_class"),
            pkg.get("private"),
            pkg.get("state"),
        )
    else:
        sharing_class = (pkg.extras or {}).get("sharing_class")
        private, state = pkg.private, pkg.state
    return sharing_class == SHARED_CLASS and bool(private) and (state or "active") == "active"


def member_org_ids(user_obj: Any) -> set[str]:
    """Ids of the organizations the user is a member of (any capacity)."""
    if not user_obj or getattr(user_obj, "is_anonymous", True):
        return set()
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user_obj.name, "ignore_auth": True}, {"id": user_obj.id, "permission": "read"}
    )
    return {org["id"] for org in orgs}


def agency_org_ids(org_ids: Iterable[str]) -> set[str]:
    """The organizations among ``org_ids`` that count as state agencies.

    ``ckanext.nd47.sharing.agency_users = identified`` keeps only agencies with
    an electronic identifier (``agency_identifier``); ``any`` keeps them all.
    """
    ids = set(org_ids)
    if not ids or tk.config.get("ckanext.nd47.sharing.agency_users") != "identified":
        return ids
    groups = model.Session.query(model.Group).filter(
        model.Group.id.in_(ids), model.Group.state == "active"
    )
    return {g.id for g in groups if (g.extras or {}).get("agency_identifier")}


def effective_status(request: ShareRequest, on: datetime.date | None = None) -> str:
    """The stored status, with ``granted`` read as ``expired`` after its end date."""
    on = on or today()
    if request.status == GRANTED and request.grant_end and request.grant_end < on:
        return EXPIRED
    return request.status


def is_active_grant(request: ShareRequest, on: datetime.date | None = None) -> bool:
    on = on or today()
    return (
        request.status == GRANTED
        and request.grant_start is not None
        and request.grant_end is not None
        and request.grant_start <= on <= request.grant_end
    )


def covers(request: ShareRequest, resource_id: str | None) -> bool:
    """A grant covers every resource (null list) or the ones it names."""
    granted = request.granted_resource_ids
    return granted is None or resource_id is None or resource_id in granted


def answer_due(request: ShareRequest) -> datetime.datetime | None:
    """When the owner should answer (``ckanext.nd47.sharing.answer_days``); None when unset."""
    days = tk.config.get("ckanext.nd47.sharing.answer_days")
    if not days or not request.created:
        return None
    return request.created + datetime.timedelta(days=int(days))


def is_overdue(request: ShareRequest, now: datetime.datetime | None = None) -> bool:
    due = answer_due(request)
    if due is None:
        return False
    if request.status == PENDING:
        return (now or utcnow()) > due
    # decided late: stays counted as overdue in the register
    return bool(request.decided_at and request.decided_at > due)


class FileAccess:
    """Which files of shared datasets one user may read; built once per call.

    Owners' members and sysadmins read every file; members of an agency
    holding an active grant read the resources it covers; nobody else does.
    """

    def __init__(self, user_obj: Any) -> None:
        self.sysadmin = bool(user_obj and getattr(user_obj, "sysadmin", False))
        self.org_ids = set() if self.sysadmin else member_org_ids(user_obj)
        self._grants: dict[str, list[ShareRequest]] = {}

    def _active_grants(self, package_id: str) -> list[ShareRequest]:
        if package_id not in self._grants:
            found: list[ShareRequest] = []
            if self.org_ids:
                on = today()
                rows = model.Session.query(ShareRequest).filter(
                    ShareRequest.package_id == package_id,
                    ShareRequest.requester_org.in_(self.org_ids),
                    ShareRequest.status == GRANTED,
                    ShareRequest.grant_start <= on,
                    or_(ShareRequest.grant_end.is_(None), ShareRequest.grant_end >= on),
                )
                found = [r for r in rows if is_active_grant(r, on)]
            self._grants[package_id] = found
        return self._grants[package_id]

    def may_read(self, pkg: Any, resource_id: str | None) -> bool:
        """True unless the dataset is shared and the user neither owns it nor holds a grant."""
        if self.sysadmin or not is_shared(pkg):
            return True
        owner_org = pkg.get("owner_org") if isinstance(pkg, dict) else pkg.owner_org
        if owner_org in self.org_ids:
            return True
        return any(covers(g, resource_id) for g in self._active_grants(pkg_id(pkg)))

    def grants(self, pkg: Any) -> list[ShareRequest]:
        """The active grants through which the user reads ``pkg``'s files."""
        return [] if self.sysadmin else self._active_grants(pkg_id(pkg))


def pkg_id(pkg: Any) -> str:
    return pkg["id"] if isinstance(pkg, dict) else pkg.id
