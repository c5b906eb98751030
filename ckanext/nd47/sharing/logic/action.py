"""Actions of the sharing workflow: requests, decisions, the register.

Request statuses: ``pending`` → ``granted`` | ``refused``; ``granted`` →
``revoked``, or ``expired`` once its end date has passed (computed, never
stored). Every step writes an audit row and mails both agencies.
"""

from __future__ import annotations

import datetime
import statistics
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import or_

from ckanext.nd47.logic.action import validate as _validate
from ckanext.nd47.sharing.logic import access, notify
from ckanext.nd47.sharing.logic import schema as schemas
from ckanext.nd47.sharing.logic.activity import activity_actions
from ckanext.nd47.sharing.logic.dictization import audit_dicts, request_dict
from ckanext.nd47.sharing.model import ShareAudit, ShareRequest, utcnow

__all__ = [
    "nd47_share_register",
    "nd47_share_request_create",
    "nd47_share_request_grant",
    "nd47_share_request_list",
    "nd47_share_request_refuse",
    "nd47_share_request_revoke",
    "nd47_share_request_show",
    "resource_view_list",
]

Context = dict[str, Any]
DataDict = dict[str, Any]


def _user_id(context: Context) -> str | None:
    user = model.User.get(context.get("user") or "")
    return user.id if user else None


def _audit(
    request: ShareRequest, context: Context, action: str, before: str | None, **details: Any
):
    model.Session.add(
        ShareAudit(
            request_id=request.id,
            user_id=_user_id(context),
            action=action,
            from_status=before,
            to_status=request.status,
            details={k: _plain(v) for k, v in details.items()},
        )
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _finish(request: ShareRequest, context: Context, event: str) -> DataDict:
    if not context.get("defer_commit"):
        model.repo.commit()
    out = request_dict(request)
    notify.send(request, event, out)
    return out


def _org_id(value: str) -> str:
    group = model.Group.get(value)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({"requester_org": [tk._("Agency not found")]})
    return group.id


def _check_resources(pkg: DataDict, ids: list[str] | None, field: str) -> None:
    known = {r["id"] for r in pkg.get("resources") or []}
    unknown = [i for i in ids or [] if i not in known]
    if unknown:
        raise tk.ValidationError(
            {
                field: [
                    tk._("Resources: not resources of this dataset: {ids}").format(
                        ids=", ".join(unknown)
                    )
                ]
            }
        )


def _period_error(start: Any, end: Any, field: str) -> None:
    if start and end and end < start:
        raise tk.ValidationError({field: [tk._("End date: must not be before the start date")]})


def nd47_share_request_create(context: Context, data_dict: DataDict) -> DataDict:
    """Ask, on behalf of an agency, for access to another agency's shared dataset.

    :param package_id: the shared dataset (id or name)
    :type package_id: string
    :param requester_org: the asking agency (id or name); the user edits for it
    :type requester_org: string
    :param purpose: what the data is for
    :type purpose: string
    :param legal_basis: the legal document number the request rests on, e.g. 47/2020/NĐ-CP
    :type legal_basis: string
    :param period_start: first day access is wanted (YYYY-MM-DD, optional)
    :type period_start: string
    :param period_end: last day access is wanted (YYYY-MM-DD, optional)
    :type period_end: string
    :param contact: who to contact at the asking agency
    :type contact: string
    :param resource_ids: resources wanted; empty = all
    :type resource_ids: list of strings
    :returns: the request
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_create", context, data_dict)
    data = _validate(data_dict, schemas.request_create_schema(), context)
    pkg = tk.get_action("package_show")({"user": context.get("user")}, {"id": data["package_id"]})
    if not access.is_shared(pkg):
        raise tk.ValidationError(
            {"package_id": [tk._("Dataset: only shared datasets take access requests")]}
        )
    requester_org = _org_id(data["requester_org"])
    if requester_org == pkg["owner_org"]:
        raise tk.ValidationError(
            {"requester_org": [tk._("Agency: an agency does not ask for its own dataset")]}
        )
    _check_resources(pkg, data.get("resource_ids"), "resource_ids")
    _period_error(data.get("period_start"), data.get("period_end"), "period_end")
    pending = model.Session.query(ShareRequest.id).filter(
        ShareRequest.package_id == pkg["id"],
        ShareRequest.requester_org == requester_org,
        ShareRequest.status == access.PENDING,
    )
    if pending.first():
        raise tk.ValidationError(
            {"package_id": [tk._("Dataset: your agency already has a pending request for it")]}
        )
    request = ShareRequest(
        package_id=pkg["id"],
        owner_org=pkg["owner_org"],
        requester_org=requester_org,
        requester_user_id=_user_id(context),
        purpose=data["purpose"],
        legal_basis=data["legal_basis"],
        period_start=data.get("period_start"),
        period_end=data.get("period_end"),
        contact=data["contact"],
        resource_ids=data.get("resource_ids"),
        status=access.PENDING,
    )
    model.Session.add(request)
    model.Session.flush()
    _audit(request, context, "create", None, purpose=request.purpose)
    return _finish(request, context, "create")


def _load(data_dict: DataDict) -> ShareRequest:
    request = model.Session.get(ShareRequest, data_dict.get("id") or "")
    if request is None:
        raise tk.ObjectNotFound(tk._("Access request not found"))
    return request


def _transition_error(request: ShareRequest, allowed: str) -> tk.ValidationError:
    return tk.ValidationError(
        {
            "status": [
                tk._(
                    "Status: only a {allowed} request can take this step; this one is {status}"
                ).format(allowed=tk._(allowed), status=tk._(access.effective_status(request)))
            ]
        }
    )


def nd47_share_request_grant(context: Context, data_dict: DataDict) -> DataDict:
    """Grant a pending request (admins of the owning agency).

    :param id: the request id
    :type id: string
    :param grant_start: first day of access (YYYY-MM-DD; default today)
    :type grant_start: string
    :param grant_end: last day of access (YYYY-MM-DD)
    :type grant_end: string
    :param resource_ids: resources granted; empty = all
    :type resource_ids: list of strings
    :returns: the request
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_grant", context, data_dict)
    data = _validate(data_dict, schemas.grant_schema(), context)
    request = _load(data)
    if request.status != access.PENDING:
        raise _transition_error(request, access.PENDING)
    start = data.get("grant_start") or access.today()
    _period_error(start, data["grant_end"], "grant_end")
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": request.package_id})
    _check_resources(pkg, data.get("resource_ids"), "resource_ids")
    before = request.status
    request.status = access.GRANTED
    request.grant_start, request.grant_end = start, data["grant_end"]
    request.granted_resource_ids = data.get("resource_ids")
    request.decided_at = request.modified = utcnow()
    request.decided_by = _user_id(context)
    _audit(
        request,
        context,
        "grant",
        before,
        grant_start=start,
        grant_end=data["grant_end"],
        resource_ids=request.granted_resource_ids,
    )
    return _finish(request, context, "grant")


def nd47_share_request_refuse(context: Context, data_dict: DataDict) -> DataDict:
    """Refuse a pending request in writing, with its reason and legal basis.

    Decree 194/2025/NĐ-CP Art. 16(2): both are required.

    :param id: the request id
    :type id: string
    :param reason: why the request is refused
    :type reason: string
    :param legal_basis: the legal document number the refusal rests on
    :type legal_basis: string
    :returns: the request
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_refuse", context, data_dict)
    data = _validate(data_dict, schemas.refuse_schema(), context)
    request = _load(data)
    if request.status != access.PENDING:
        raise _transition_error(request, access.PENDING)
    before = request.status
    request.status = access.REFUSED
    request.refusal_reason, request.refusal_legal_basis = data["reason"], data["legal_basis"]
    request.decided_at = request.modified = utcnow()
    request.decided_by = _user_id(context)
    _audit(
        request, context, "refuse", before, reason=data["reason"], legal_basis=data["legal_basis"]
    )
    return _finish(request, context, "refuse")


def nd47_share_request_revoke(context: Context, data_dict: DataDict) -> DataDict:
    """Revoke a grant before its end date, with a reason; access ends at once.

    :param id: the request id
    :type id: string
    :param reason: why the grant is revoked
    :type reason: string
    :returns: the request
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_revoke", context, data_dict)
    data = _validate(data_dict, schemas.revoke_schema(), context)
    request = _load(data)
    if access.effective_status(request) != access.GRANTED:
        raise _transition_error(request, access.GRANTED)
    before = request.status
    request.status = access.REVOKED
    request.revoke_reason = data["reason"]
    request.revoked_at = request.modified = utcnow()
    request.revoked_by = _user_id(context)
    _audit(request, context, "revoke", before, reason=data["reason"])
    return _finish(request, context, "revoke")


@tk.side_effect_free
def nd47_share_request_show(context: Context, data_dict: DataDict) -> DataDict:
    """One request with its audit trail (members of either agency).

    :param id: the request id
    :type id: string
    :returns: the request, with ``audit`` (list of steps)
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_show", context, data_dict)
    request = _load(data_dict)
    out = request_dict(request)
    out["audit"] = audit_dicts(request.id)
    return out


@tk.side_effect_free
def nd47_share_request_list(context: Context, data_dict: DataDict) -> DataDict:
    """Requests of the caller's agencies, newest first.

    :param side: ``received`` (requests for the agency's datasets), ``made``
        (requests the agency sent) or empty (both)
    :type side: string
    :param org: one of the caller's agencies (id or name); default all of them
    :type org: string
    :param package_id: only requests for this dataset
    :type package_id: string
    :param status: ``pending``, ``granted``, ``refused``, ``revoked``, ``expired``
        or ``overdue``
    :type status: string
    :param limit: page size (default 50)
    :type limit: int
    :param offset: rows skipped
    :type offset: int
    :returns: ``{"count": n, "results": [...]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_share_request_list", context, data_dict)
    data = _validate(data_dict, schemas.list_schema(), context)
    user = model.User.get(context.get("user") or "")
    query = model.Session.query(ShareRequest)
    if data.get("org"):
        group = model.Group.get(data["org"])
        org_ids = {group.id} if group else set()
        if not (user and user.sysadmin) and not org_ids <= access.member_org_ids(user):
            raise tk.NotAuthorized(tk._("Not a member of this agency"))
    elif user and user.sysadmin:
        org_ids = None
    else:
        org_ids = access.member_org_ids(user)
    side = data.get("side")
    if org_ids is not None:
        received = ShareRequest.owner_org.in_(org_ids)
        made = ShareRequest.requester_org.in_(org_ids)
        query = query.filter(
            received if side == "received" else made if side == "made" else or_(received, made)
        )
    if data.get("package_id"):
        pkg = model.Package.get(data["package_id"])
        query = query.filter(ShareRequest.package_id == (pkg.id if pkg else data["package_id"]))
    rows = [request_dict(r) for r in query.order_by(ShareRequest.created.desc())]
    status = data.get("status")
    if status == "overdue":
        rows = [r for r in rows if r["overdue"]]
    elif status:
        rows = [r for r in rows if r["status"] == status]
    offset, limit = data.get("offset", 0), data.get("limit", 50)
    return {"count": len(rows), "results": rows[offset : offset + limit]}


def _shared_counts() -> dict[str, int]:
    """Shared datasets per agency id, from the search index (facet on owner_org)."""
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {
            "fq": f"sharing_class:{access.SHARED_CLASS}",
            "include_private": True,
            "rows": 0,
            "facet": "true",
            "facet.field": ["owner_org"],
            "facet.limit": -1,
        },
    )
    facet = result.get("facets", {}).get("owner_org", {})
    return {org_id: int(count) for org_id, count in facet.items()}


def _figures(rows: list[ShareRequest]) -> dict[str, Any]:
    statuses = [access.effective_status(r) for r in rows]
    days = [
        (r.decided_at - r.created).total_seconds() / 86400
        for r in rows
        if r.decided_at and r.created
    ]
    return {
        "pending": statuses.count(access.PENDING),
        "granted": statuses.count(access.GRANTED),
        "refused": statuses.count(access.REFUSED),
        "revoked": statuses.count(access.REVOKED),
        "expired": statuses.count(access.EXPIRED),
        "overdue": sum(1 for r in rows if access.is_overdue(r)),
        "median_days_to_decide": round(statistics.median(days), 1) if days else None,
    }


REGISTER_COLUMNS = (
    "agency",
    "agency_title",
    "shared_datasets",
    "requests_received",
    "requests_made",
    "pending",
    "granted",
    "refused",
    "revoked",
    "expired",
    "overdue",
    "median_days_to_decide",
)


@tk.side_effect_free
def nd47_share_register(context: Context, data_dict: DataDict) -> DataDict:
    """The sharing register: per agency and national figures, refusals with their grounds.

    Figures of requests *received* (status counts, overdue, median days to
    decide) are the owning agency's; ``requests_made`` counts what it asked.

    :param org: one agency (id or name); default every agency
    :type org: string
    :returns: ``{"columns": [...], "agencies": [...], "national": {...},
        "refusals": [...]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_share_register", context, data_dict)
    shared = _shared_counts()
    requests = model.Session.query(ShareRequest).all()
    org_ids = set(shared) | {r.owner_org for r in requests} | {r.requester_org for r in requests}
    only = None
    if data_dict.get("org"):
        group = model.Group.get(data_dict["org"])
        if group is None:
            raise tk.ObjectNotFound(tk._("Agency not found"))
        only = group.id
    agencies = []
    for org_id in org_ids:
        if only and org_id != only:
            continue
        group = model.Group.get(org_id)
        if group is None or group.state != "active":
            continue
        received = [r for r in requests if r.owner_org == org_id]
        row = {
            "agency": group.name,
            "agency_title": group.title or group.name,
            "shared_datasets": shared.get(org_id, 0),
            "requests_received": len(received),
            "requests_made": sum(1 for r in requests if r.requester_org == org_id),
            **_figures(received),
        }
        agencies.append(row)
    agencies.sort(key=lambda row: row["agency_title"])
    scope = [r for r in requests if not only or only in (r.owner_org, r.requester_org)]
    national = {
        "shared_datasets": sum(row["shared_datasets"] for row in agencies),
        "requests": len(scope),
        **_figures(scope),
    }
    refusals = [
        {
            key: out[key]
            for key in (
                "id",
                "package_name",
                "package_title",
                "owner_org_title",
                "requester_org_title",
                "decided_at",
                "refusal_reason",
                "refusal_legal_basis",
            )
        }
        for out in (request_dict(r) for r in scope if r.status == access.REFUSED)
    ]
    return {
        "columns": list(REGISTER_COLUMNS),
        "agencies": agencies,
        "national": national,
        "refusals": refusals,
    }


@tk.chained_action
@tk.side_effect_free
def resource_view_list(original_action: Any, context: Context, data_dict: DataDict) -> Any:
    """No previews of a shared dataset's files for who may not read them.

    CKAN checks ``resource_show`` here, and the dataset page lists every
    resource's views: an agency user without a grant gets an empty list, so
    the page still shows the metadata.
    """
    resource = model.Resource.get(data_dict.get("id") or "")
    pkg = model.Package.get(resource.package_id) if resource else None
    if pkg is not None and access.is_shared(pkg) and not context.get("ignore_auth"):
        user = model.User.get(context.get("user") or "")
        if not access.FileAccess(user).may_read(pkg, resource.id):
            tk.check_access("resource_view_list", context, data_dict)
            return []
    return original_action(context, data_dict)


def get_actions() -> dict[str, Any]:
    """What the plugin registers: the actions above, and the chained activity
    actions when CKAN's ``activity`` plugin is enabled (logic/activity.py)."""
    return {**{name: globals()[name] for name in __all__}, **activity_actions()}
