"""API actions of the open-data plan tracker (``nd47_plan*``).

Each action checks access with the auth function of the same name, validates
against a schema from ``schema.py``, applies the rules of ``service.py``,
commits and returns plain dicts.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import func

from ckanext.nd47.plans import workflow as wf
from ckanext.nd47.plans.logic import schema as s
from ckanext.nd47.plans.logic import service as svc
from ckanext.nd47.plans.model import Plan, PlanAudit, PlanItem, utcnow

__all__ = [
    "nd47_plan_approve",
    "nd47_plan_audit_list",
    "nd47_plan_create",
    "nd47_plan_delete",
    "nd47_plan_import",
    "nd47_plan_item_create",
    "nd47_plan_item_delete",
    "nd47_plan_item_link",
    "nd47_plan_item_list",
    "nd47_plan_item_overdue_list",
    "nd47_plan_item_show",
    "nd47_plan_item_status_update",
    "nd47_plan_item_update",
    "nd47_plan_list",
    "nd47_plan_reopen",
    "nd47_plan_show",
    "nd47_plan_update",
]

Context = dict[str, Any]
DataDict = dict[str, Any]


def _validate(data_dict: DataDict, schema: dict, context: Context) -> DataDict:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


def _check_unique_period(owner_org: str, period: int, plan_id: str | None = None) -> None:
    query = model.Session.query(Plan.id).filter(Plan.owner_org == owner_org, Plan.period == period)
    if plan_id:
        query = query.filter(Plan.id != plan_id)
    if query.first():
        raise tk.ValidationError(
            {"period": [tk._("This agency already has a plan for this period")]}
        )


def _check_unique_code(plan_id: str, code: str, item_id: str | None = None) -> None:
    query = model.Session.query(PlanItem.id).filter(
        PlanItem.plan_id == plan_id, PlanItem.code == code
    )
    if item_id:
        query = query.filter(PlanItem.id != item_id)
    if query.first():
        raise tk.ValidationError({"code": [tk._("Another item of this plan has this code")]})


def _item_out(item: PlanItem) -> DataDict:
    pkg = model.Package.get(item.package_id) if item.package_id else None
    return svc.item_dict(item, pkg.metadata_modified if pkg else None, pkg.name if pkg else None)


# --- plans --------------------------------------------------------------------
def nd47_plan_create(context: Context, data_dict: DataDict) -> DataDict:
    """Create an agency's open-data plan for one period (a year), as a draft.

    :param owner_org: the agency (organization id or name)
    :type owner_org: string
    :param period: the year the plan covers, e.g. 2026
    :type period: int
    :param title: title (default "Kế hoạch mở dữ liệu <period>")
    :type title: string
    :param version: version of the plan (default 1)
    :type version: int
    :param decision_number: number of the approving decision, e.g. "123/QĐ-UBND"
    :type decision_number: string
    :param decision_date: date of the decision (YYYY-MM-DD or DD/MM/YYYY)
    :type decision_date: string
    :param decision_signer: who signed the decision
    :type decision_signer: string
    :param decision_url: link to the attached decision file
    :type decision_url: string
    :param last_review: date of the last review
    :type last_review: string
    :param next_review_due: next review deadline (default: last review, or the
        decision date, plus ``ckanext.nd47.plans.review_interval_months``)
    :type next_review_due: string

    :returns: the new plan
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_create", context, data_dict)
    data = _validate(data_dict, s.plan_schema(), context)
    _check_unique_period(data["owner_org"], data["period"])
    plan = Plan(status=wf.DRAFT, creator_user_id=svc.user_id(context))
    values = {"title": tk._("Open-data plan %(period)s") % {"period": data["period"]}, **data}
    changes = svc.apply(plan, values, svc.PLAN_FIELDS)
    model.Session.add(plan)
    model.Session.flush()
    svc.record(context, plan.id, "plan", "create", changes)
    _commit(context)
    return svc.plan_dict(plan)


def nd47_plan_show(context: Context, data_dict: DataDict) -> DataDict:
    """Show a plan with its progress and, optionally, its items.

    Approved plans are public; drafts are visible only inside the agency.

    :param id: the plan id
    :type id: string
    :param include_items: include the plan's items (default False)
    :type include_items: bool

    :returns: the plan, with ``progress`` (counts by status, overdue, percent
        published) and ``items`` when asked
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_show", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    result = svc.plan_dict(plan)
    result["progress"] = svc.progress(plan.id)
    if tk.asbool(data_dict.get("include_items")):
        rows = (
            svc.item_query({**context, "ignore_auth": True}, {"plan_id": plan.id})
            .order_by(PlanItem.code)
            .all()
        )
        result["items"] = [svc.item_dict(i, mod, name) for i, mod, name in rows]
    return result


def nd47_plan_list(context: Context, data_dict: DataDict) -> DataDict:
    """List the plans the user may see, newest period first.

    :param owner_org: only this agency's plans (id or name)
    :type owner_org: string
    :param period: only this year
    :type period: int
    :param status: ``draft`` or ``approved``
    :type status: string
    :param q: text in the title or decision number
    :type q: string
    :param limit: page size (default ``ckanext.nd47.plans.list_limit``)
    :type limit: int
    :param offset: how many to skip
    :type offset: int

    :returns: ``{"count": total, "results": [plan, ...]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_list", context, data_dict)
    data = _validate(data_dict, s.plan_list_schema(), context)
    query = model.Session.query(Plan)
    visible = svc.visible_plans_clause(context)
    if visible is not None:
        query = query.filter(visible)
    if data.get("owner_org"):
        query = query.filter(Plan.owner_org == data["owner_org"])
    if data.get("period"):
        query = query.filter(Plan.period == data["period"])
    if data.get("status"):
        query = query.filter(Plan.status == data["status"])
    if data.get("q"):
        like = f"%{data['q']}%"
        query = query.filter(Plan.title.ilike(like) | Plan.decision_number.ilike(like))
    limit, offset = svc.page(data)
    count = query.count()
    plans = query.order_by(Plan.period.desc(), Plan.title).limit(limit).offset(offset).all()
    results = []
    for plan in plans:
        row = svc.plan_dict(plan)
        row["progress"] = svc.progress(plan.id)
        results.append(row)
    return {"count": count, "results": results}


def nd47_plan_update(context: Context, data_dict: DataDict) -> DataDict:
    """Change a plan's header. Only the given fields change (patch semantics).

    :param id: the plan id
    :type id: string

    Other parameters as in :py:func:`nd47_plan_create`.

    :returns: the updated plan
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_update", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    data = _validate(data_dict, s.plan_update_schema(), context)
    if "owner_org" in data and data["owner_org"] != plan.owner_org:
        tk.check_access("nd47_plan_create", context, {"owner_org": data["owner_org"]})
    _check_unique_period(
        data.get("owner_org", plan.owner_org), data.get("period", plan.period), plan.id
    )
    changes = svc.apply(plan, data, svc.PLAN_FIELDS)
    if changes:
        svc.record(context, plan.id, "plan", "update", changes)
    _commit(context)
    return svc.plan_dict(plan)


def nd47_plan_delete(context: Context, data_dict: DataDict) -> DataDict:
    """Delete a plan and its items. The audit trail keeps the record.

    :param id: the plan id
    :type id: string

    :returns: ``{"id": id}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_delete", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    svc.record(
        context,
        plan.id,
        "plan",
        "delete",
        {"owner_org": [plan.owner_org, None], "period": [plan.period, None]},
    )
    model.Session.query(PlanItem).filter(PlanItem.plan_id == plan.id).delete()
    model.Session.delete(plan)
    _commit(context)
    return {"id": plan.id}


def _plan_transition(context: Context, plan: Plan, to: str) -> None:
    if to not in wf.PLAN_TRANSITIONS[plan.status]:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("Cannot move from %(from)s to %(to)s. Allowed next states: %(allowed)s")
                    % {
                        "from": plan.status,
                        "to": to,
                        "allowed": ", ".join(wf.PLAN_TRANSITIONS[plan.status]),
                    }
                ]
            }
        )


def nd47_plan_approve(context: Context, data_dict: DataDict) -> DataDict:
    """Approve a draft plan (agency admins and sysadmins only). It becomes public.

    :param id: the plan id
    :type id: string

    :returns: the approved plan
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_approve", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    _plan_transition(context, plan, wf.APPROVED)
    svc.record(context, plan.id, "plan", "approve", {"status": [plan.status, wf.APPROVED]})
    plan.status = wf.APPROVED
    plan.approved_by = svc.user_id(context)
    plan.approved_at = plan.modified = utcnow()
    _commit(context)
    return svc.plan_dict(plan)


def nd47_plan_reopen(context: Context, data_dict: DataDict) -> DataDict:
    """Reopen an approved plan for revision: back to draft, version + 1.

    Agency admins and sysadmins only; the plan is hidden from the public until
    approved again.

    :param id: the plan id
    :type id: string
    :param reason: why the plan is revised
    :type reason: string

    :returns: the plan
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_reopen", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    _plan_transition(context, plan, wf.DRAFT)
    svc.record(
        context,
        plan.id,
        "plan",
        "reopen",
        {"status": [plan.status, wf.DRAFT], "version": [plan.version, plan.version + 1]},
        reason=data_dict.get("reason") or None,
    )
    plan.status = wf.DRAFT
    plan.version += 1
    plan.modified = utcnow()
    _commit(context)
    return svc.plan_dict(plan)


# --- items -----------------------------------------------------------------------
def nd47_plan_item_create(context: Context, data_dict: DataDict) -> DataDict:
    """Add an item (a dataset to open) to a plan, with status "planned".

    :param plan_id: the plan id
    :type plan_id: string
    :param code: the item's code, unique in the plan (matches rows on import)
    :type code: string
    :param title: title of the dataset to open
    :type title: string
    :param theme: theme code (``themes`` vocabulary, e.g. ``y-te``)
    :type theme: string
    :param description: description
    :type description: string
    :param source_database: the database the data comes from
    :type source_database: string
    :param formats: file-type codes, e.g. ``"CSV,XLSX"`` or a list
    :type formats: string or list
    :param access_mode: ``download``, ``api`` or ``download_api``
    :type access_mode: string
    :param update_cadence: EU frequency code, e.g. ``ANNUAL``, ``QUARTERLY``
    :type update_cadence: string
    :param due_date: publication deadline
    :type due_date: string
    :param priority: ``high``, ``medium`` or ``low``
    :type priority: string
    :param lead_agency: lead agency
    :type lead_agency: string
    :param cooperating_agencies: co-operating agencies
    :type cooperating_agencies: string
    :param package_id: linked dataset (id or name), see :py:func:`nd47_plan_item_link`
    :type package_id: string

    :returns: the new item, with computed ``overdue`` / ``update_overdue``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_create", context, data_dict)
    plan = svc.get_plan(data_dict.get("plan_id"))
    data = _validate(data_dict, s.item_schema(), context)
    _check_unique_code(plan.id, data["code"])
    item = PlanItem(plan_id=plan.id, status=wf.PLANNED)
    changes = svc.apply(item, data, svc.ITEM_FIELDS)
    model.Session.add(item)
    model.Session.flush()
    svc.record(context, plan.id, "item", "create", changes, item_id=item.id)
    if data.get("package_id"):
        svc.link(context, item, data["package_id"])
    _commit(context)
    return _item_out(item)


def nd47_plan_item_show(context: Context, data_dict: DataDict) -> DataDict:
    """Show a plan item with its computed flags and allowed next states.

    :param id: the item id
    :type id: string

    :returns: the item; ``overdue`` (due date passed, not published),
        ``update_overdue`` (published, dataset older than its cadence plus
        ``ckanext.nd47.plans.update_grace_months``), ``allowed_transitions``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_show", context, data_dict)
    return _item_out(svc.get_item(data_dict.get("id")))


def nd47_plan_item_list(context: Context, data_dict: DataDict) -> DataDict:
    """List plan items the user may see.

    :param plan_id: only this plan's items
    :type plan_id: string
    :param owner_org: only items of this agency's plans
    :type owner_org: string
    :param period: only items of plans for this year
    :type period: int
    :param status: only this status
    :type status: string
    :param theme: only this theme code
    :type theme: string
    :param overdue: true: only overdue items; false: no overdue items
    :type overdue: bool
    :param update_overdue: true: only published items whose update is overdue
        (with ``overdue=true`` too: either kind)
    :type update_overdue: bool
    :param package_id: only items linked to this dataset id
    :type package_id: string
    :param q: text in the title or code
    :type q: string
    :param limit: page size
    :type limit: int
    :param offset: how many to skip
    :type offset: int

    :returns: ``{"count": total, "results": [item, ...]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_list", context, data_dict)
    data = _validate(data_dict, s.item_list_schema(), context)
    query = svc.item_query(context, data)
    limit, offset = svc.page(data)
    count = query.count()
    rows = (
        query.order_by(Plan.period.desc(), PlanItem.due_date.asc().nulls_last(), PlanItem.code)
        .limit(limit)
        .offset(offset)
        .all()
    )
    return {"count": count, "results": [svc.item_dict(i, mod, name) for i, mod, name in rows]}


def nd47_plan_item_overdue_list(context: Context, data_dict: DataDict) -> DataDict:
    """List overdue items: due date passed and not published, or published
    items whose update is overdue. Computed from dates, never stored.

    :param owner_org: only this agency's items
    :type owner_org: string
    :param kind: ``overdue``, ``update_overdue`` or ``all`` (default)
    :type kind: string
    :param limit: page size
    :type limit: int
    :param offset: how many to skip
    :type offset: int

    :returns: ``{"count": total, "results": [item, ...]}``, each item with
        ``plan`` (id, period, owner_org)
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_overdue_list", context, data_dict)
    kind = data_dict.get("kind") or "all"
    if kind not in ("overdue", "update_overdue", "all"):
        raise tk.ValidationError({"kind": [tk._("Use overdue, update_overdue or all")]})
    query = {k: data_dict[k] for k in ("owner_org", "limit", "offset") if k in data_dict}
    query["overdue"] = kind in ("overdue", "all")
    query["update_overdue"] = kind in ("update_overdue", "all")
    if kind == "update_overdue":
        query.pop("overdue")
    result = nd47_plan_item_list(context, query)
    plans: dict[str, Plan] = {}
    for item in result["results"]:
        plan = plans.get(item["plan_id"]) or svc.get_plan(item["plan_id"])
        plans[plan.id] = plan
        item["plan"] = {"id": plan.id, "period": plan.period, "owner_org": plan.owner_org}
    return result


def nd47_plan_item_update(context: Context, data_dict: DataDict) -> DataDict:
    """Change an item's fields (patch semantics). The status changes only
    through :py:func:`nd47_plan_item_status_update`, the linked dataset only
    through :py:func:`nd47_plan_item_link`.

    :param id: the item id
    :type id: string

    Other parameters as in :py:func:`nd47_plan_item_create`.

    :returns: the updated item
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_update", context, data_dict)
    item = svc.get_item(data_dict.get("id"))
    data = _validate(data_dict, s.item_update_schema(), context)
    if "code" in data:
        _check_unique_code(item.plan_id, data["code"], item.id)
    changes = svc.apply(item, data, svc.ITEM_FIELDS)
    if changes:
        svc.record(context, item.plan_id, "item", "update", changes, item_id=item.id)
    _commit(context)
    return _item_out(item)


def nd47_plan_item_delete(context: Context, data_dict: DataDict) -> DataDict:
    """Delete an item. The audit trail keeps the record.

    :param id: the item id
    :type id: string

    :returns: ``{"id": id}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_delete", context, data_dict)
    item = svc.get_item(data_dict.get("id"))
    svc.record(
        context,
        item.plan_id,
        "item",
        "delete",
        {"code": [item.code, None], "status": [item.status, None]},
        item_id=item.id,
    )
    model.Session.delete(item)
    _commit(context)
    return {"id": item.id}


def nd47_plan_item_status_update(context: Context, data_dict: DataDict) -> DataDict:
    """Move an item along the workflow (``ITEM_TRANSITIONS`` in workflow.py).

    An illegal move is a validation error naming the allowed next states.
    ``withdrawn`` and ``cannot_be_opened`` need a ``reason``;
    ``cannot_be_opened`` also a ``reason_category``; ``published`` needs a
    linked dataset that is public and open (normally the dataset signal does it).

    :param id: the item id
    :type id: string
    :param status: the new status
    :type status: string
    :param reason: why
    :type reason: string
    :param reason_category: ``personal_data``, ``state_secret``, ``security``
        or ``core_important``
    :type reason_category: string

    :returns: the item
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_status_update", context, data_dict)
    item = svc.get_item(data_dict.get("id"))
    data = _validate(data_dict, s.item_status_schema(), context)
    to = data["status"]
    reason, category = data.get("reason"), data.get("reason_category")
    svc.check_transition(item, to, reason, category)
    svc.set_status(context, item, to, reason, category if to == wf.CANNOT_BE_OPENED else None)
    _commit(context)
    return _item_out(item)


def nd47_plan_item_link(context: Context, data_dict: DataDict) -> DataDict:
    """Link an item to the dataset that fulfils it (or unlink it).

    If the dataset is already public and open, the item moves to "published"
    at once; from then on the dataset's changes move the item.

    :param id: the item id
    :type id: string
    :param package_id: the dataset id or name; empty to unlink
    :type package_id: string

    :returns: the item
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_link", context, data_dict)
    item = svc.get_item(data_dict.get("id"))
    data = _validate(data_dict, s.item_link_schema(), context)
    svc.link(context, item, data.get("package_id") or "")
    _commit(context)
    return _item_out(item)


def nd47_plan_audit_list(context: Context, data_dict: DataDict) -> DataDict:
    """The audit trail of a plan or an item, newest first.

    :param plan_id: the plan id (everything on the plan and its items)
    :type plan_id: string
    :param item_id: the item id (only that item)
    :type item_id: string
    :param limit: page size
    :type limit: int
    :param offset: how many to skip
    :type offset: int

    :returns: ``{"count": total, "results": [{timestamp, user_id, user_name,
        action, object_type, item_id, changes: {field: [from, to]}, reason}]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_audit_list", context, data_dict)
    data = _validate(data_dict, s.audit_list_schema(), context)
    if not data.get("plan_id") and not data.get("item_id"):
        raise tk.ValidationError({"plan_id": [tk._("Missing value")]})
    query = model.Session.query(PlanAudit, model.User.name).outerjoin(
        model.User, model.User.id == PlanAudit.user_id
    )
    if data.get("plan_id"):
        query = query.filter(PlanAudit.plan_id == data["plan_id"])
    if data.get("item_id"):
        query = query.filter(PlanAudit.item_id == data["item_id"])
    limit, offset = svc.page(data)
    count = query.order_by(None).with_entities(func.count(PlanAudit.id)).scalar()
    rows = (
        query.order_by(PlanAudit.timestamp.desc(), PlanAudit.id).limit(limit).offset(offset).all()
    )
    results = []
    for entry, user_name in rows:
        row = entry.as_dict()
        row["user_name"] = user_name
        if row["reason"] in wf.SYSTEM_REASONS:
            row["reason_label"] = wf.label("system_reason", row["reason"])
        results.append(row)
    return {"count": count, "results": results}


def nd47_plan_import(context: Context, data_dict: DataDict) -> DataDict:
    """Import a plan's items (and, from Excel, its header) from .xlsx or .csv.

    Every row is validated first; if any row has an error nothing is written
    and the error lists them all. Items are matched by ``code``, so importing
    the same file again changes nothing. Items missing from the file are kept.

    :param id: the plan id
    :type id: string
    :param upload: the file (multipart upload)
    :type upload: file
    :param format: ``xlsx`` or ``csv`` (default: from the file name)
    :type format: string

    :returns: ``{"created": n, "updated": n, "unchanged": n, "plan": plan}``
    :rtype: dictionary
    :raises ValidationError: ``{"rows": [{"row", "column", "message"}, ...]}``
    """
    from ckanext.nd47.plans import io

    tk.check_access("nd47_plan_import", context, data_dict)
    plan = svc.get_plan(data_dict.get("id"))
    upload = data_dict.get("upload")
    if upload is None or not hasattr(upload, "read"):
        raise tk.ValidationError({"upload": [tk._("Choose an .xlsx or .csv file")]})
    fmt = (data_dict.get("format") or "").lower() or io.format_of(
        getattr(upload, "filename", "") or ""
    )
    if fmt not in io.FORMATS:
        raise tk.ValidationError({"upload": [tk._("Choose an .xlsx or .csv file")]})
    summary = io.import_plan(context, plan, upload.read(), fmt)
    _commit(context)
    summary["plan"] = svc.plan_dict(plan)
    return summary
