"""Item actions (create, show, list, overdue list, update, delete, status
update, link) and the audit trail."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import func

from ckanext.nd47.plans import fields, workflow
from ckanext.nd47.plans import model as plan_model
from ckanext.nd47.plans.logic import auth, changes, schema
from ckanext.nd47.plans.logic.action import _common as common
from ckanext.nd47.plans.logic.action._common import Context, DataDict
from ckanext.nd47.plans.logic.dictization import audit_dictize
from ckanext.nd47.plans.model import Plan, PlanAudit, PlanItem, load_item, load_plan
from ckanext.nd47.text import fold

# the datasets of one agency an item may link, searched by title in Python
# (prefixes of folded words, as people type): bounded like a page of search
AUTOCOMPLETE_POOL = 1000
AUTOCOMPLETE_LIMIT = 20

ITEM_EDITABLE = fields.editable(fields.ITEM_FIELDS)

__all__ = [
    "nd47_plan_audit_list",
    "nd47_plan_item_create",
    "nd47_plan_item_dataset_autocomplete",
    "nd47_plan_item_delete",
    "nd47_plan_item_link",
    "nd47_plan_item_list",
    "nd47_plan_item_overdue_list",
    "nd47_plan_item_show",
    "nd47_plan_item_status_update",
    "nd47_plan_item_update",
]


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
    plan = load_plan(context, data_dict.get("plan_id"))
    data = common.validate(data_dict, schema.item_schema(), context)
    common.check_unique_code(plan.id, data["code"])
    common.check_dataset(context, plan, data.get("package_id"))
    item = PlanItem(plan_id=plan.id, status=workflow.PLANNED)
    diff = changes.apply(item, data, ITEM_EDITABLE)
    model.Session.add(item)
    model.Session.flush()
    changes.record(context, plan.id, "item", "create", diff, item_id=item.id)
    if data.get("package_id"):
        changes.link(context, item, data["package_id"])
    common.commit(context)
    return common.item_out(context, item)


@tk.side_effect_free
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
    return common.item_out(context, load_item(context, data_dict.get("id")))


@tk.side_effect_free
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
    data = common.validate(data_dict, schema.item_list_schema(), context)
    query = plan_model.item_query(auth.readable_org_ids(context), data)
    limit, offset = common.page(data)
    count = query.count()
    rows = (
        query.order_by(Plan.period.desc(), PlanItem.due_date.asc().nulls_last(), PlanItem.code)
        .limit(limit)
        .offset(offset)
        .all()
    )
    return {"count": count, "results": common.items_out(context, rows)}


@tk.side_effect_free
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
    for item in result["results"]:
        plan = load_plan(context, item["plan_id"])
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
    item = load_item(context, data_dict.get("id"))
    data = common.validate(data_dict, schema.item_update_schema(), context)
    if "code" in data:
        common.check_unique_code(item.plan_id, data["code"], item.id)
    diff = changes.apply(item, data, ITEM_EDITABLE)
    if diff:
        changes.record(context, item.plan_id, "item", "update", diff, item_id=item.id)
    common.commit(context)
    return common.item_out(context, item)


def nd47_plan_item_delete(context: Context, data_dict: DataDict) -> DataDict:
    """Delete an item. The audit trail keeps the record.

    :param id: the item id
    :type id: string

    :returns: ``{"id": id}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_item_delete", context, data_dict)
    item = load_item(context, data_dict.get("id"))
    changes.record(
        context,
        item.plan_id,
        "item",
        "delete",
        {"code": [item.code, None], "status": [item.status, None]},
        item_id=item.id,
    )
    model.Session.delete(item)
    common.commit(context)
    return {"id": item.id}


def nd47_plan_item_status_update(context: Context, data_dict: DataDict) -> DataDict:
    """Move an item along the workflow (``ITEM_TRANSITIONS`` in workflow.py).

    An illegal move is a validation error naming the allowed next states.
    ``withdrawn`` and ``cannot_be_opened`` need a ``reason``;
    ``cannot_be_opened`` also a ``reason_category``; ``published`` needs a
    linked dataset that is public and open (normally the dataset hook does it).

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
    item = load_item(context, data_dict.get("id"))
    data = common.validate(data_dict, schema.item_status_schema(), context)
    to = data["status"]
    reason, category = data.get("reason"), data.get("reason_category")
    changes.check_transition(item, to, reason, category)
    changes.set_status(
        context, item, to, reason, category if to == workflow.CANNOT_BE_OPENED else None
    )
    common.commit(context)
    return common.item_out(context, item)


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
    item = load_item(context, data_dict.get("id"))
    data = common.validate(data_dict, schema.item_link_schema(), context)
    common.check_dataset(context, load_plan(context, item.plan_id), data.get("package_id"))
    changes.link(context, item, data.get("package_id") or "")
    common.commit(context)
    return common.item_out(context, item)


@tk.side_effect_free
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
        user_display_name, action, object_type, item_id, changes: {field: [from, to]}, reason}]}``
    :rtype: dictionary
    """
    tk.check_access("nd47_plan_audit_list", context, data_dict)
    data = common.validate(data_dict, schema.audit_list_schema(), context)
    if not data.get("plan_id") and not data.get("item_id"):
        raise tk.ValidationError({"plan_id": [tk._("Missing value")]})
    query = plan_model.audit_query(data.get("plan_id"), data.get("item_id"))
    limit, offset = common.page(data)
    count = query.order_by(None).with_entities(func.count(PlanAudit.id)).scalar()
    rows = (
        query.order_by(PlanAudit.timestamp.desc(), PlanAudit.id).limit(limit).offset(offset).all()
    )
    results = [audit_dictize(entry, name, fullname) for entry, name, fullname in rows]
    for row in results:
        if "package_id" in row["changes"]:
            row["changes"]["package_id"] = [
                _dataset_shown(context, value) for value in row["changes"]["package_id"]
            ]
    return {"count": count, "results": results}


def _dataset_shown(context: Context, package_id: str | None) -> str | None:
    """A linked dataset's id in the trail, only for users who may read that dataset."""
    pkg = model.Package.get(package_id) if package_id else None
    return package_id if pkg is not None and auth.may_read_dataset(context, pkg) else None


@tk.side_effect_free
def nd47_plan_item_dataset_autocomplete(context: Context, data_dict: DataDict) -> list[DataDict]:
    """Datasets an item of a plan may link, found by their title as it is typed.

    Only the plan's agency's datasets that the caller may read (CKAN's
    search with the caller's identity, private and draft ones included when
    the caller may see them). Every word typed must start a word of the title
    or of the URL name, without regard to case or diacritics.

    :param plan_id: the plan
    :type plan_id: string
    :param q: the title typed so far
    :type q: string
    :param limit: at most this many (default 10, at most 20)
    :type limit: int

    :returns: the datasets, by title: ``id``, ``name``, ``title``
    :rtype: list of dictionaries
    """
    tk.check_access("nd47_plan_item_dataset_autocomplete", context, data_dict)
    plan = load_plan(context, data_dict.get("plan_id"))
    try:
        limit = min(int(data_dict.get("limit") or 10), AUTOCOMPLETE_LIMIT)
    except (TypeError, ValueError) as err:
        raise tk.ValidationError({"limit": [tk._("Limit: must be a whole number.")]}) from err
    words = _words(data_dict.get("q"))
    if not words or limit < 1:
        return []
    found = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "fq": f'owner_org:"{plan.owner_org}"',
            "include_private": True,
            "include_drafts": True,
            "rows": AUTOCOMPLETE_POOL,
            "fl": ["id", "name", "title"],
            "sort": "title_string asc",
        },
    )["results"]
    matches = []
    for pkg in found:
        own = set(_words(pkg.get("title"))) | set(_words(pkg["name"].replace("-", " ")))
        if all(any(w.startswith(typed) for w in own) for typed in words):
            matches.append({"id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or ""})
    return matches[:limit]


def _words(text: str | None) -> list[str]:
    return fold(text or "").casefold().replace(",", " ").split()
