"""The plan tracker's rules: visibility, computed flags, transitions, audit.

Actions, the dataset signals, the importer and the CLI all go through these
functions, so each rule lives once. Nothing here commits: the caller does.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, false, or_

from ckanext.nd47.logic.rules import OPEN_SHARING_CLASS, is_open_public
from ckanext.nd47.plans import workflow as wf
from ckanext.nd47.plans.model import Plan, PlanAudit, PlanItem, utcnow

log = logging.getLogger(__name__)

# Fields a person edits (everything else is set by the workflow).
PLAN_FIELDS = (
    "owner_org",
    "period",
    "title",
    "version",
    "decision_number",
    "decision_date",
    "decision_signer",
    "decision_url",
    "last_review",
    "next_review_due",
)
ITEM_FIELDS = (
    "code",
    "title",
    "theme",
    "description",
    "source_database",
    "formats",
    "access_mode",
    "update_cadence",
    "due_date",
    "priority",
    "lead_agency",
    "cooperating_agencies",
)


# --- time and configuration ---------------------------------------------------
def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def review_interval_months() -> int:
    return tk.config.get("ckanext.nd47.plans.review_interval_months")


def grace_months() -> int:
    return tk.config.get("ckanext.nd47.plans.update_grace_months")


def page(data_dict: dict[str, Any]) -> tuple[int, int]:
    limit = data_dict.get("limit") or tk.config.get("ckanext.nd47.plans.list_limit")
    limit = min(limit, tk.config.get("ckanext.nd47.plans.list_max_limit"))
    return limit, data_dict.get("offset") or 0


# --- lookups -----------------------------------------------------------------
def get_plan(plan_id: str | None) -> Plan:
    plan = model.Session.get(Plan, plan_id) if plan_id else None
    if plan is None:
        raise tk.ObjectNotFound(tk._("Plan not found"))
    return plan


def get_item(item_id: str | None) -> PlanItem:
    item = model.Session.get(PlanItem, item_id) if item_id else None
    if item is None:
        raise tk.ObjectNotFound(tk._("Plan item not found"))
    return item


def user_id(context: dict[str, Any]) -> str | None:
    obj = context.get("auth_user_obj")
    if obj is not None and getattr(obj, "id", None):
        return obj.id
    name = context.get("user")
    user = model.User.get(name) if name else None
    return user.id if user else None


# --- visibility ----------------------------------------------------------------
def can(user: str | None, org_id: str, permission: str) -> bool:
    """``read`` = any member, ``create_dataset`` = editor or admin, ``admin`` = admin."""
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    return authz.has_user_permission_for_group_or_org(org_id, user, permission)


def readable_org_ids(context: dict[str, Any]) -> set[str] | None:
    """Agencies whose draft plans the user may read; None means all.

    All for sysadmins and for internal calls made with ``ignore_auth``.
    """
    if context.get("ignore_auth"):
        return None
    user = context.get("user")
    if not user:
        return set()
    if authz.is_sysadmin(user):
        return None
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user, "ignore_auth": True}, {"permission": "read"}
    )
    return {o["id"] for o in orgs}


def visible_plans_clause(context: dict[str, Any]) -> Any:
    orgs = readable_org_ids(context)
    if orgs is None:
        return None
    clause = Plan.status == wf.APPROVED
    return or_(clause, Plan.owner_org.in_(orgs)) if orgs else clause


def plan_readable(user: str | None, plan: Plan) -> bool:
    return plan.status == wf.APPROVED or can(user, plan.owner_org, "read")


# --- computed values -------------------------------------------------------------
def next_review_due(plan: Plan) -> datetime.date | None:
    if plan.next_review_due:
        return plan.next_review_due
    base = plan.last_review or plan.decision_date
    return base + relativedelta(months=review_interval_months()) if base else None


def update_cutoff(cadence: str | None, on: datetime.date) -> datetime.datetime | None:
    """A published dataset last modified before this is "update overdue"."""
    months = wf.CADENCE_MONTHS.get(cadence or "")
    if months is None:
        return None
    day = on - relativedelta(months=months + grace_months())
    return datetime.datetime.combine(day, datetime.time())


def is_overdue(item: PlanItem, on: datetime.date) -> bool:
    return bool(item.due_date and item.due_date < on and item.status in wf.ACTIVE)


def is_update_overdue(
    item: PlanItem, dataset_modified: datetime.datetime | None, on: datetime.date
) -> bool:
    cutoff = update_cutoff(item.update_cadence, on)
    return bool(
        item.status == wf.PUBLISHED and cutoff and dataset_modified and dataset_modified < cutoff
    )


def overdue_clause(on: datetime.date) -> Any:
    # "is not null" first, so that the negation is true for items without a date
    return and_(
        PlanItem.due_date.isnot(None), PlanItem.due_date < on, PlanItem.status.in_(wf.ACTIVE)
    )


def update_overdue_clause(on: datetime.date) -> Any:
    parts = [
        and_(PlanItem.update_cadence == code, model.Package.metadata_modified < cutoff)
        for code in wf.CADENCE_MONTHS
        if (cutoff := update_cutoff(code, on)) is not None
    ]
    return and_(PlanItem.status == wf.PUBLISHED, or_(*parts) if parts else false())


# --- dictization ---------------------------------------------------------------
def plan_dict(plan: Plan) -> dict[str, Any]:
    data = plan.as_dict()
    due = next_review_due(plan)
    data["next_review_due"] = due.isoformat() if due else None
    data["next_review_due_set"] = plan.next_review_due is not None
    data["review_overdue"] = bool(due and due < today())
    data["status_label"] = wf.label("plan_status", plan.status)
    org = model.Group.get(plan.owner_org)
    data["organization"] = (
        {"id": org.id, "name": org.name, "title": org.title} if org else {"id": plan.owner_org}
    )
    return data


def item_dict(
    item: PlanItem,
    dataset_modified: datetime.datetime | None = None,
    dataset_name: str | None = None,
) -> dict[str, Any]:
    on = today()
    data = item.as_dict()
    data["formats"] = item.formats.split(",") if item.formats else []
    data["status_label"] = wf.label("item_status", item.status)
    data["allowed_transitions"] = list(wf.ITEM_TRANSITIONS[item.status])
    data["overdue"] = is_overdue(item, on)
    data["update_overdue"] = is_update_overdue(item, dataset_modified, on)
    data["dataset_name"] = dataset_name
    data["dataset_modified"] = dataset_modified.isoformat() if dataset_modified else None
    return data


def progress(plan_id: str) -> dict[str, Any]:
    rows = (
        model.Session.query(PlanItem.status, PlanItem.due_date)
        .filter(PlanItem.plan_id == plan_id)
        .all()
    )
    on = today()
    by_status = dict.fromkeys(wf.ITEM_STATUSES, 0)
    overdue = 0
    for status, due in rows:
        by_status[status] = by_status.get(status, 0) + 1
        if due and due < on and status in wf.ACTIVE:
            overdue += 1
    counted = len(rows) - by_status[wf.WITHDRAWN] - by_status[wf.CANNOT_BE_OPENED]
    done = by_status[wf.PUBLISHED]
    return {
        "total": len(rows),
        "by_status": by_status,
        "overdue": overdue,
        "published": done,
        "percent": round(100 * done / counted) if counted else 0,
    }


# --- queries --------------------------------------------------------------------
def item_query(context: dict[str, Any], filters: dict[str, Any]) -> Any:
    """(PlanItem, Package.metadata_modified, Package.name) rows the user may read."""
    query = (
        model.Session.query(PlanItem, model.Package.metadata_modified, model.Package.name)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .outerjoin(model.Package, model.Package.id == PlanItem.package_id)
    )
    visible = visible_plans_clause(context)
    if visible is not None:
        query = query.filter(visible)
    on = today()
    if filters.get("plan_id"):
        query = query.filter(PlanItem.plan_id == filters["plan_id"])
    if filters.get("owner_org"):
        query = query.filter(Plan.owner_org == filters["owner_org"])
    if filters.get("period"):
        query = query.filter(Plan.period == filters["period"])
    if filters.get("status"):
        query = query.filter(PlanItem.status == filters["status"])
    if filters.get("theme"):
        query = query.filter(PlanItem.theme == filters["theme"])
    if filters.get("package_id"):
        query = query.filter(PlanItem.package_id == filters["package_id"])
    if filters.get("q"):
        like = f"%{filters['q']}%"
        query = query.filter(or_(PlanItem.title.ilike(like), PlanItem.code.ilike(like)))
    flags = []
    if filters.get("overdue"):
        flags.append(overdue_clause(on))
    if filters.get("update_overdue"):
        flags.append(update_overdue_clause(on))
    if flags:
        query = query.filter(or_(*flags))
    if filters.get("overdue") is False:
        query = query.filter(~overdue_clause(on))
    return query


# --- audit and changes -------------------------------------------------------------
def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def record(
    context: dict[str, Any],
    plan_id: str,
    object_type: str,
    action: str,
    changes: dict[str, Any] | None = None,
    item_id: str | None = None,
    reason: str | None = None,
) -> None:
    model.Session.add(
        PlanAudit(
            user_id=user_id(context),
            plan_id=plan_id,
            item_id=item_id,
            object_type=object_type,
            action=action,
            changes=changes or {},
            reason=reason,
            timestamp=utcnow(),
        )
    )


def apply(obj: Plan | PlanItem, values: dict[str, Any], fields: tuple[str, ...]) -> dict:
    """Set the given fields; return {field: [from, to]} of what really changed."""
    changes: dict[str, Any] = {}
    for field in fields:
        if field not in values:
            continue
        new = values[field]
        if new == "":
            new = None
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    if changes:
        obj.modified = utcnow()
    return changes


# --- workflow -------------------------------------------------------------------------
def transition_error(item: PlanItem, to: str) -> tk.ValidationError:
    allowed = wf.ITEM_TRANSITIONS[item.status]
    return tk.ValidationError(
        {
            "status": [
                tk._("Cannot move from %(from)s to %(to)s. Allowed next states: %(allowed)s")
                % {
                    "from": item.status,
                    "to": to,
                    "allowed": ", ".join(allowed) or "-",
                }
            ]
        }
    )


def set_status(
    context: dict[str, Any],
    item: PlanItem,
    to: str,
    reason: str | None = None,
    category: str | None = None,
    action: str = "status",
) -> None:
    """Move an item and write the audit row (no checks: callers check)."""
    changes = {"status": [item.status, to]}
    if (item.reason_category or None) != (category or None):
        changes["reason_category"] = [item.reason_category, category]
    item.status = to
    item.status_reason = reason
    item.reason_category = category
    item.status_changed = item.modified = utcnow()
    record(context, item.plan_id, "item", action, changes, item_id=item.id, reason=reason)


def check_transition(item: PlanItem, to: str, reason: str | None, category: str | None) -> None:
    """Raise ValidationError unless a person may move ``item`` to ``to``."""
    if to not in wf.ITEM_TRANSITIONS[item.status]:
        raise transition_error(item, to)
    errors: dict[str, list[str]] = {}
    if to in wf.REASON_REQUIRED and not reason:
        errors["reason"] = [tk._("A reason is required for this status")]
    if to == wf.CANNOT_BE_OPENED and not category:
        errors["reason_category"] = [
            tk._("Choose why the data cannot be opened: %(allowed)s")
            % {"allowed": ", ".join(wf.REASON_CATEGORIES)}
        ]
    if to == wf.PUBLISHED and not dataset_is_open(item.package_id):
        errors["package_id"] = [
            tk._("An item is published when its linked dataset is public and open")
        ]
    if errors:
        raise tk.ValidationError(errors)


# --- linked datasets -------------------------------------------------------------------
def dataset_field(pkg_dict: dict[str, Any], key: str) -> Any:
    """The ONE place that reads a custom field of a dataset dict.

    The final scheming schema puts fields such as ``sharing_class`` and
    ``plan_item`` at the top level; CKAN's default schema keeps them among the
    extras. Either works.
    """
    if key in pkg_dict:
        return pkg_dict[key]
    for extra in pkg_dict.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def open_public(pkg_dict: dict[str, Any]) -> bool:
    """Public and open, by the shared rule (``rules.is_open_public``)."""
    return is_open_public({**pkg_dict, "sharing_class": dataset_field(pkg_dict, "sharing_class")})


def dataset_dict(package_id: str | None) -> dict[str, Any] | None:
    if not package_id:
        return None
    try:
        return tk.get_action("package_show")(
            {"ignore_auth": True, "use_cache": False}, {"id": package_id}
        )
    except tk.ObjectNotFound:
        return None


def dataset_is_open(package_id: str | None) -> bool:
    pkg = dataset_dict(package_id)
    return bool(pkg and open_public(pkg))


def _unpublish_reason(pkg: dict[str, Any] | None) -> str:
    # The cause, not its consequence: leaving the open class also makes the
    # dataset private (schema rule), so the class is checked first.
    if not pkg or pkg.get("state") == "deleted":
        return "dataset_deleted"
    if dataset_field(pkg, "sharing_class") != OPEN_SHARING_CLASS:
        return "dataset_not_open"
    if pkg.get("private"):
        return "dataset_private"
    return "dataset_not_open"


def sync_item(context: dict[str, Any], item: PlanItem, pkg: dict[str, Any] | None) -> bool:
    """Follow the linked dataset: public and open -> published; otherwise back to review.

    An item leaves "published" for "in review" (not its state before) because
    the dataset has to pass the personal-data and security review again
    before it is republished. Side exits are never changed automatically.
    """
    if pkg is not None and open_public(pkg):
        if item.status in wf.ACTIVE:
            set_status(context, item, wf.PUBLISHED, reason="dataset_published", action="auto")
            return True
    elif item.status == wf.PUBLISHED:
        set_status(context, item, wf.IN_REVIEW, reason=_unpublish_reason(pkg), action="auto")
        return True
    return False


def _claimed_item(context: dict[str, Any], pkg: dict[str, Any]) -> None:
    """Link the item a dataset names in its ``plan_item`` field (DESIGN.md §4).

    Only an item of the dataset's own agency is linked; anything else is
    ignored (and logged), so a publisher cannot move another agency's plan.
    """
    item_id = dataset_field(pkg, "plan_item")
    if not item_id:
        return
    item = model.Session.get(PlanItem, item_id)
    if item is None or item.package_id == pkg["id"]:
        return
    plan = model.Session.get(Plan, item.plan_id)
    if plan is None or plan.owner_org != pkg.get("owner_org"):
        log.warning("nd47_plans: dataset %s names item %s of another agency", pkg["id"], item_id)
        return
    link(context, item, pkg["id"])


def sync_dataset(
    context: dict[str, Any],
    package_id: str,
    deleted: bool = False,
    changed: dict[str, Any] | None = None,
) -> int:
    """Called on dataset create/update/delete: move the items linked to it.

    ``deleted``: CKAN calls ``after_dataset_delete`` before it marks the
    dataset deleted, so the caller says so. ``changed``: the dict the hook
    received; when no item is linked and it names no ``plan_item``, nothing
    else is read, so unrelated dataset updates stay cheap.
    """
    pkg_obj = model.Package.get(package_id)
    real_id = pkg_obj.id if pkg_obj else package_id
    claimed = None if deleted else dataset_field(changed or {}, "plan_item")
    query = model.Session.query(PlanItem).filter(PlanItem.package_id == real_id)
    if not claimed and not query.first():
        return 0
    pkg = dataset_dict(real_id)
    if deleted and pkg is not None:
        pkg = {**pkg, "state": "deleted"}
    if claimed and pkg is not None:
        _claimed_item(context, pkg)
    moved = sum(sync_item(context, item, pkg) for item in query.all())
    if moved:
        log.info("nd47_plans: %s item(s) follow dataset %s", moved, real_id)
    return moved


def link(context: dict[str, Any], item: PlanItem, package_id: str) -> None:
    """Link ``item`` to a dataset id ("" unlinks) and let the dataset move it."""
    old = item.package_id
    if (old or "") == (package_id or ""):
        return
    item.package_id = package_id or None
    item.modified = utcnow()
    record(context, item.plan_id, "item", "link", {"package_id": [old, item.package_id]}, item.id)
    if item.package_id:
        sync_item(context, item, dataset_dict(item.package_id))
    elif item.status == wf.PUBLISHED:
        set_status(context, item, wf.IN_REVIEW, reason="dataset_unlinked", action="auto")
