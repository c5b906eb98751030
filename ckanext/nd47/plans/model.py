"""Tables of the open-data plan tracker: plans, plan items, the audit trail.

The tables are created by the ``nd47_plans`` plugin's alembic migrations
(``ckan db upgrade -p nd47_plans``), never at plugin load. Agencies, datasets and
users are referenced by id as plain text: no foreign keys into core tables.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    UnicodeText,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

__all__ = ["Plan", "PlanAudit", "PlanItem", "utcnow"]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


class _Dictable:
    def as_dict(self) -> dict[str, Any]:
        table = self.__table__  # type: ignore[attr-defined]
        return {c.name: _iso(getattr(self, c.name)) for c in table.columns}


class Plan(tk.BaseModel, _Dictable):
    """One agency's open-data plan for one period (a year)."""

    __tablename__ = "nd47_plan"
    __table_args__ = (UniqueConstraint("owner_org", "period", name="nd47_plan_org_period_key"),)

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    owner_org: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    period: Mapped[int] = Column(Integer, nullable=False)
    title: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    status: Mapped[str] = Column(UnicodeText, nullable=False, default="draft")
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


class PlanItem(tk.BaseModel, _Dictable):
    """One dataset an agency plans to open (DESIGN.md §5)."""

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
    status: Mapped[str] = Column(UnicodeText, nullable=False, default="planned")
    status_reason: Mapped[str | None] = Column(UnicodeText)
    reason_category: Mapped[str | None] = Column(UnicodeText)
    status_changed: Mapped[datetime.datetime | None] = Column(DateTime)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
    modified: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)


class PlanAudit(tk.BaseModel, _Dictable):
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
