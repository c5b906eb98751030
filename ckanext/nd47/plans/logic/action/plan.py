"""Plan actions: create, show, list, update, delete, approve, reopen, import."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.plans import fields, workflow
from ckanext.nd47.plans import model as plan_model
from ckanext.nd47.plans.logic import auth, changes, schema
from ckanext.nd47.plans.logic.action import _common as common
from ckanext.nd47.plans.logic.action._common import Context, DataDict
from ckanext.nd47.plans.logic.dictization import plan_dictize
from ckanext.nd47.plans.model import Plan, PlanItem, load_plan, utcnow

PLAN_EDITABLE = fields.editable(fields.PLAN_FIELDS)

__all__ = [
    "nd47_plan_approve",
    "nd47_plan_create",
    "nd47_plan_delete",
    "nd47_plan_import",
    "nd47_plan_list",
    "nd47_plan_reopen",
    "nd47_plan_show",
    "nd47_plan_update",
]


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
    data = common.validate(data_dict, schema.plan_schema(), context)
    common.check_unique_period(data["owner_org"], data["period"])
    plan = Plan(status=workflow.DRAFT, creator_user_id=changes.user_id(context))
    # the stored default title is Vietnamese, whatever the creator's language
    default_title = workflow.vi(workflow.N_("Open-data plan %(period)s")) % {
        "period": data["period"]
    }
    values = {"title": default_title, **data}
    diff = changes.apply(plan, values, PLAN_EDITABLE)
    model.Session.add(plan)
    model.Session.flush()
    changes.record(context, plan.id, "plan", "create", diff)
    common.commit(context)
    return plan_dictize(plan)


@tk.side_effect_free
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
    plan = load_plan(context, data_dict.get("id"))
    result = plan_dictize(plan, plan_model.progress(plan.id))
    if tk.asbool(data_dict.get("include_items")):
        rows = plan_model.item_query(None, {"plan_id": plan.id}).order_by(PlanItem.code).all()
        result["items"] = common.items_out(context, rows)
    return result


@tk.side_effect_free
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
    data = common.validate(data_dict, schema.plan_list_schema(), context)
    query = plan_model.plan_query(auth.readable_org_ids(context), data)
    limit, offset = common.page(data)
    count = query.count()
    plans = query.order_by(Plan.period.desc(), Plan.title).limit(limit).offset(offset).all()
    results = [plan_dictize(plan, plan_model.progress(plan.id)) for plan in plans]
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
    plan = load_plan(context, data_dict.get("id"))
    data = common.validate(data_dict, schema.plan_update_schema(), context)
    if "owner_org" in data and data["owner_org"] != plan.owner_org:
        tk.check_access("nd47_plan_create", context, {"owner_org": data["owner_org"]})
    common.check_unique_period(
        data.get("owner_org", plan.owner_org), data.get("period", plan.period), plan.id
    )
    diff = changes.apply(plan, data, PLAN_EDITABLE)
    if diff:
        changes.record(context, plan.id, "plan", "update", diff)
    common.commit(context)
    return plan_dictize(plan)


def nd47_plan_delete(context: Context, data_dict: DataDict) -> DataDict:
    """Delete a plan and its items. The audit trail keeps the record.

    :param id: the plan id
    :type id: string

    :returns: ``{"id": id}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_delete", context, data_dict)
    plan = load_plan(context, data_dict.get("id"))
    changes.record(
        context,
        plan.id,
        "plan",
        "delete",
        {"owner_org": [plan.owner_org, None], "period": [plan.period, None]},
    )
    model.Session.query(PlanItem).filter(PlanItem.plan_id == plan.id).delete()
    model.Session.delete(plan)
    common.commit(context)
    return {"id": plan.id}


def _plan_transition(plan: Plan, to: str) -> None:
    allowed = workflow.PLAN_TRANSITIONS[plan.status]
    if to not in allowed:
        raise changes.transition_error(plan.status, to, allowed, "plan_status")


def nd47_plan_approve(context: Context, data_dict: DataDict) -> DataDict:
    """Approve a draft plan (agency admins and sysadmins only). It becomes public.

    :param id: the plan id
    :type id: string

    :returns: the approved plan
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_approve", context, data_dict)
    plan = load_plan(context, data_dict.get("id"))
    _plan_transition(plan, workflow.APPROVED)
    changes.record(
        context, plan.id, "plan", "approve", {"status": [plan.status, workflow.APPROVED]}
    )
    plan.status = workflow.APPROVED
    plan.approved_by = changes.user_id(context)
    plan.approved_at = plan.modified = utcnow()
    common.commit(context)
    return plan_dictize(plan)


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
    plan = load_plan(context, data_dict.get("id"))
    _plan_transition(plan, workflow.DRAFT)
    changes.record(
        context,
        plan.id,
        "plan",
        "reopen",
        {"status": [plan.status, workflow.DRAFT], "version": [plan.version, plan.version + 1]},
        reason=data_dict.get("reason") or None,
    )
    plan.status = workflow.DRAFT
    plan.version += 1
    plan.modified = utcnow()
    common.commit(context)
    return plan_dictize(plan)


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
    from ckanext.nd47 import sheets
    from ckanext.nd47.plans import spreadsheet

    tk.check_access("nd47_plan_import", context, data_dict)
    plan = load_plan(context, data_dict.get("id"))
    data, fmt = sheets.read_upload(data_dict, tk.config.get("ckanext.nd47.plans.import_max_mb"))
    summary = spreadsheet.import_plan(context, plan, data, fmt)
    common.commit(context)
    summary["plan"] = plan_dictize(plan)
    return summary
