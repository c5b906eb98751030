"""Tables of the open-data plan tracker and the queries over them.

The tables are created by the ``nd47_plans`` plugin's alembic migrations
(``ckan db upgrade -p nd47_plans``), never at plugin load. Agencies, datasets
and users are referenced by id as plain text: no foreign keys into core
tables. The rules that select rows (visible plans, overdue items, progress)
are SQL expressions here, so the lists, the counts and the flags of one item
all come from the same definition.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid
from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    UnicodeText,
    UniqueConstraint,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

from ckanext.nd47.logic import freshness
from ckanext.nd47.plans import workflow
from ckanext.nd47.text import db_key

__all__ = [
    "Plan",
    "PlanAudit",
    "PlanItem",
    "audit_query",
    "change_mark",
    "code_taken",
    "figures_query",
    "item_query",
    "items_linked_to",
    "items_of",
    "load_item",
    "load_plan",
    "next_review_due",
    "overdue_clause",
    "overdue_items_query",
    "period_taken",
    "plan_of_deleted",
    "plan_query",
    "progress",
    "today",
    "update_overdue_clause",
    "utcnow",
]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


class Plan(tk.BaseModel):
    """One agency's open-data plan for one period (a year)."""

    __tablename__ = "nd47_plan"
    __table_args__ = (UniqueConstraint("owner_org", "period", name="nd47_plan_org_period_key"),)

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    owner_org: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    period: Mapped[int] = Column(Integer, nullable=False)
    title: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    status: Mapped[str] = Column(UnicodeText, nullable=False, default=workflow.DRAFT)
    version: Mapped[int] = Column(Integer, nullable=False, default=1)
    decision_number: Mapped[str | None] = Column(UnicodeText)
    decision_date: Mapped[datetime.date | None] = Column(Date)
    decision_signer: Mapped[str | None] = Column(UnicodeText)
    decision_url: Mapped[str | None] = Column(UnicodeText)
    last_review: Mapped[datetime.date | None] = Column(Date)
    next_review_due: Mapped[datetime.date | None] = Column(Date)
    approved_by: Mapped[str | None] = Column(UnicodeText)
    approved_at: Mapped[datetime.datetime | None] = Column(DateTime)
    creator_user_id: Mapped[str | None] = Column(UnicodeText)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
    modified: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)


class PlanItem(tk.BaseModel):
    """One dataset an agency plans to open."""

    __tablename__ = "nd47_plan_item"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="nd47_plan_item_plan_code_key"),)

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    plan_id: Mapped[str] = Column(
        UnicodeText, ForeignKey("nd47_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = Column(UnicodeText, nullable=False)
    title: Mapped[str] = Column(UnicodeText, nullable=False)
    theme: Mapped[str | None] = Column(UnicodeText, index=True)
    description: Mapped[str | None] = Column(UnicodeText)
    source_database: Mapped[str | None] = Column(UnicodeText)
    formats: Mapped[str | None] = Column(UnicodeText)
    access_mode: Mapped[str | None] = Column(UnicodeText)
    update_cadence: Mapped[str | None] = Column(UnicodeText)
    due_date: Mapped[datetime.date | None] = Column(Date)
    priority: Mapped[str | None] = Column(UnicodeText)
    lead_agency: Mapped[str | None] = Column(UnicodeText)
    cooperating_agencies: Mapped[str | None] = Column(UnicodeText)
    package_id: Mapped[str | None] = Column(UnicodeText, index=True)
    # the linked dataset's last data change (logic.freshness), written at sync
    data_modified: Mapped[datetime.datetime | None] = Column(DateTime)
    status: Mapped[str] = Column(UnicodeText, nullable=False, default=workflow.PLANNED)
    status_reason: Mapped[str | None] = Column(UnicodeText)
    reason_category: Mapped[str | None] = Column(UnicodeText)
    status_changed: Mapped[datetime.datetime | None] = Column(DateTime)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
    modified: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)


class PlanAudit(tk.BaseModel):
    """Append-only trail: who changed what on a plan or item, when, from -> to.

    Rows are only ever inserted; no action updates or deletes them, and they
    outlive the plan or item they describe (no foreign key on purpose).
    """

    __tablename__ = "nd47_plan_audit"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    timestamp: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, index=True)
    user_id: Mapped[str | None] = Column(UnicodeText)
    plan_id: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    item_id: Mapped[str | None] = Column(UnicodeText, index=True)
    object_type: Mapped[str] = Column(UnicodeText, nullable=False)
    action: Mapped[str] = Column(UnicodeText, nullable=False)
    # {field: [from, to]}
    changes: Mapped[dict[str, Any]] = Column(JSONB, nullable=False, default=dict)
    reason: Mapped[str | None] = Column(UnicodeText)


# --- loading one object (cached in the action's context) ---------------------------
# The auth function loads the plan or item it decides on; the action then
# finds it in the context instead of loading it again (as CKAN core keeps
# context["package"]).
_PLAN_KEY = "nd47_plan"
_ITEM_KEY = "nd47_plan_item"


def _load(context: dict[str, Any], cls: Any, key: str, obj_id: str | None, missing: str) -> Any:
    cached = context.get(key)
    if cached is not None and obj_id and cached.id == obj_id:
        return cached
    lookup = db_key(obj_id)
    obj = model.Session.get(cls, lookup) if lookup else None
    if obj is None:
        raise tk.ObjectNotFound(missing)
    context[key] = obj
    return obj


def load_plan(context: dict[str, Any], plan_id: str | None) -> Plan:
    return _load(context, Plan, _PLAN_KEY, plan_id, tk._("Plan not found"))


def load_item(context: dict[str, Any], item_id: str | None) -> PlanItem:
    return _load(context, PlanItem, _ITEM_KEY, item_id, tk._("Plan item not found"))


# --- dates -----------------------------------------------------------------------
def next_review_due(plan: Plan) -> datetime.date | None:
    """The deadline set by hand, else the last review (or decision) plus the interval."""
    if plan.next_review_due:
        return plan.next_review_due
    base = plan.last_review or plan.decision_date
    months = tk.config.get("ckanext.nd47.plans.review_interval_months")
    return base + relativedelta(months=months) if base else None


def _update_cutoff(cadence: str, on: datetime.date) -> datetime.datetime:
    """Data of a published item last changed before this is "update overdue".

    One period of the cadence (``freshness.MAX_AGE``, the same table that
    makes a dataset stale) plus the plans' grace months.
    """
    grace = relativedelta(months=tk.config.get("ckanext.nd47.plans.update_grace_months"))
    start = datetime.datetime.combine(on, datetime.time())
    return start - grace - freshness.MAX_AGE[cadence]


# --- the overdue rules (the only definition) ----------------------------------------
def overdue_clause(on: datetime.date) -> Any:
    """Due date passed and not published yet (nor left by a side exit)."""
    # "is not null" first, so that the negation is true for items without a date
    return and_(
        PlanItem.due_date.isnot(None),
        PlanItem.due_date < on,
        PlanItem.status.in_(workflow.ACTIVE),
    )


def update_overdue_clause(on: datetime.date) -> Any:
    """Published, and the linked data is older than its cadence plus the grace months.

    The data's last change is stored at each sync (``logic.freshness``), never
    the dataset's ``metadata_modified``: fixing a typo does not make stale data
    look fresh. Cadences without a period never make an item update overdue.
    """
    parts = [
        and_(
            PlanItem.update_cadence == code,
            PlanItem.data_modified < _update_cutoff(code, on),
        )
        for code in freshness.MAX_AGE
    ]
    return and_(PlanItem.status == workflow.PUBLISHED, or_(*parts) if parts else false())


def _flag(clause: Any) -> Any:
    return case((clause, True), else_=False)


# --- queries ---------------------------------------------------------------------------
def _visible(query: Any, readable_orgs: set[str] | None) -> Any:
    """Approved plans, and drafts of ``readable_orgs`` (None: every plan)."""
    if readable_orgs is None:
        return query
    clause = Plan.status == workflow.APPROVED
    return query.filter(or_(clause, Plan.owner_org.in_(readable_orgs)) if readable_orgs else clause)


def plan_query(readable_orgs: set[str] | None, filters: dict[str, Any]) -> Any:
    query = _visible(model.Session.query(Plan), readable_orgs)
    for field in ("owner_org", "period", "status"):
        if filters.get(field):
            query = query.filter(getattr(Plan, field) == filters[field])
    if filters.get("q"):
        like = f"%{filters['q']}%"
        query = query.filter(Plan.title.ilike(like) | Plan.decision_number.ilike(like))
    return query


def item_query(readable_orgs: set[str] | None, filters: dict[str, Any]) -> Any:
    """Rows (PlanItem, Plan, linked Package or None, overdue, update_overdue)."""
    on = today()
    query = (
        model.Session.query(
            PlanItem,
            Plan,
            model.Package,
            _flag(overdue_clause(on)).label("overdue"),
            _flag(update_overdue_clause(on)).label("update_overdue"),
        )
        .join(Plan, Plan.id == PlanItem.plan_id)
        .outerjoin(model.Package, model.Package.id == PlanItem.package_id)
    )
    query = _visible(query, readable_orgs)
    if filters.get("id"):
        query = query.filter(PlanItem.id == filters["id"])
    if filters.get("plan_id"):
        query = query.filter(PlanItem.plan_id == filters["plan_id"])
    if filters.get("owner_org"):
        query = query.filter(Plan.owner_org == filters["owner_org"])
    if filters.get("period"):
        query = query.filter(Plan.period == filters["period"])
    for field in ("status", "theme", "package_id"):
        if filters.get(field):
            query = query.filter(getattr(PlanItem, field) == filters[field])
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


def progress(plan_id: str) -> dict[str, Any]:
    """Counts by status, overdue items and the share published.

    Items that left by a side exit (withdrawn, cannot be opened) do not count
    towards the percentage.
    """
    rows = (
        model.Session.query(
            PlanItem.status,
            func.count(PlanItem.id),
            func.count(PlanItem.id).filter(overdue_clause(today())),
        )
        .filter(PlanItem.plan_id == plan_id)
        .group_by(PlanItem.status)
        .all()
    )
    by_status = dict.fromkeys(workflow.ITEM_STATUSES, 0)
    by_status.update({status: count for status, count, _late in rows})
    total = sum(count for _status, count, _late in rows)
    counted = total - by_status[workflow.WITHDRAWN] - by_status[workflow.CANNOT_BE_OPENED]
    done = by_status[workflow.PUBLISHED]
    return {
        "total": total,
        "by_status": by_status,
        "overdue": sum(late for _status, _count, late in rows),
        "published": done,
        "percent": round(100 * done / counted) if counted else 0,
    }


def period_taken(owner_org: str, period: int, plan_id: str | None = None) -> bool:
    query = model.Session.query(Plan.id).filter(Plan.owner_org == owner_org, Plan.period == period)
    if plan_id:
        query = query.filter(Plan.id != plan_id)
    return query.first() is not None


def code_taken(plan_id: str, code: str, item_id: str | None = None) -> bool:
    query = model.Session.query(PlanItem.id).filter(
        PlanItem.plan_id == plan_id, PlanItem.code == code
    )
    if item_id:
        query = query.filter(PlanItem.id != item_id)
    return query.first() is not None


def items_of(plan_id: str) -> list[PlanItem]:
    return model.Session.query(PlanItem).filter(PlanItem.plan_id == plan_id).all()


def items_linked_to(package_id: str) -> Any:
    return model.Session.query(PlanItem).filter(PlanItem.package_id == package_id)


def audit_query(plan_id: str | None, item_id: str | None) -> Any:
    """Rows (PlanAudit, user name, user full name) of a plan or an item."""
    query = model.Session.query(PlanAudit, model.User.name, model.User.fullname).outerjoin(
        model.User, model.User.id == PlanAudit.user_id
    )
    if plan_id:
        query = query.filter(PlanAudit.plan_id == plan_id)
    if item_id:
        query = query.filter(PlanAudit.item_id == item_id)
    return query


def plan_of_deleted(plan_id: str) -> str | None:
    """The agency of a deleted plan, from its audit trail (None if never seen)."""
    row = (
        model.Session.query(PlanAudit.changes)
        .filter(PlanAudit.plan_id == plan_id, PlanAudit.object_type == "plan")
        .filter(PlanAudit.action.in_(("create", "delete")))
        .order_by(PlanAudit.timestamp.desc())
        .first()
    )
    if row is None:
        return None
    owner = (row[0] or {}).get("owner_org") or [None, None]
    return owner[0] or owner[1]


# --- figures of approved plans, per agency (the dashboards' plan figures) ----------
def _approved_in(org_ids: list[str], period: int | None) -> list[Any]:
    clauses = [
        Plan.status == workflow.APPROVED,
        Plan.owner_org.in_(org_ids) if org_ids else false(),
    ]
    if period:
        clauses.append(Plan.period == period)
    return clauses


def figures_query(org_ids: list[str], period: int | None, on: datetime.date) -> Any:
    """Per agency: items of approved plans, published, closed, overdue, on time.

    One grouped query whatever the number of agencies; drafts never count.
    """
    published = PlanItem.status == workflow.PUBLISHED
    closed = PlanItem.status.in_((workflow.WITHDRAWN, workflow.CANNOT_BE_OPENED))
    published_due = and_(published, PlanItem.due_date.isnot(None))
    on_time = and_(published_due, cast(PlanItem.status_changed, Date) <= PlanItem.due_date)
    count = func.count(PlanItem.id)
    return (
        select(
            Plan.owner_org,
            count.label("planned"),
            count.filter(published).label("published"),
            count.filter(closed).label("closed"),
            count.filter(overdue_clause(on)).label("overdue"),
            count.filter(published_due).label("published_due"),
            count.filter(on_time).label("on_time"),
        )
        .join(Plan, Plan.id == PlanItem.plan_id)
        .where(*_approved_in(org_ids, period))
        .group_by(Plan.owner_org)
    )


def overdue_items_query(
    org_ids: list[str], period: int | None, on: datetime.date, limit: int
) -> Any:
    """The overdue items of approved plans, the longest overdue first."""
    return (
        select(
            PlanItem.id,
            PlanItem.code,
            PlanItem.title,
            PlanItem.status,
            PlanItem.due_date,
            Plan.owner_org,
        )
        .join(Plan, Plan.id == PlanItem.plan_id)
        .where(*_approved_in(org_ids, period), overdue_clause(on))
        .order_by(PlanItem.due_date, PlanItem.code)
        .limit(limit)
    )


def change_mark() -> list[str]:
    """One row that changes whenever a plan or an item is added, changed or deleted."""
    row = model.Session.execute(
        select(
            select(func.count()).select_from(PlanItem).scalar_subquery(),
            select(func.max(PlanItem.modified)).scalar_subquery(),
            select(func.count()).select_from(Plan).scalar_subquery(),
            select(func.max(Plan.modified)).scalar_subquery(),
        )
    ).one()
    return [str(value) for value in row]
