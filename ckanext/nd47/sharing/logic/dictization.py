"""A request as a dict: its row, the computed status, names of the dataset and agencies."""

from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.nd47.sharing.logic import access
from ckanext.nd47.sharing.model import ShareAudit, ShareRequest

__all__ = ["audit_dicts", "request_dict"]


def _org(org_id: str) -> tuple[str, str]:
    group = model.Group.get(org_id)
    return (group.name, group.title or group.name) if group else (org_id, org_id)


def request_dict(request: ShareRequest) -> dict[str, Any]:
    out = request.as_dict()
    out["status"] = access.effective_status(request)
    out["stored_status"] = request.status
    out["active"] = access.is_active_grant(request)
    due = access.answer_due(request)
    out["answer_due"] = due.isoformat() if due else None
    out["overdue"] = access.is_overdue(request)
    pkg = model.Package.get(request.package_id)
    out["package_name"] = pkg.name if pkg else None
    out["package_title"] = (pkg.title or pkg.name) if pkg else None
    out["owner_org_name"], out["owner_org_title"] = _org(request.owner_org)
    out["requester_org_name"], out["requester_org_title"] = _org(request.requester_org)
    user = model.User.get(request.requester_user_id)
    out["requester_user_name"] = user.name if user else None
    return out


def audit_dicts(request_id: str) -> list[dict[str, Any]]:
    rows = (
        model.Session.query(ShareAudit)
        .filter(ShareAudit.request_id == request_id)
        .order_by(ShareAudit.timestamp, ShareAudit.id)
    )
    out = []
    for row in rows:
        item = row.as_dict()
        user = model.User.get(row.user_id) if row.user_id else None
        item["user_name"] = user.name if user else None
        out.append(item)
    return out
