"""Tables of the sharing workflow: access requests (with their grant) and the audit trail.

Created by the plugin's own alembic migrations (``ckan db upgrade -p
nd47_sharing``), never at plugin load. Datasets, agencies and users are
referenced by id as plain text: no foreign keys into core tables.

A request carries its decision: a grant is a request in status ``granted``
with its period and resources, so one row answers "who may read what, until
when". ``expired`` is never stored: it is computed from ``grant_end``
(:mod:`ckanext.nd47.sharing.logic.rules`).
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid
from sqlalchemy import Column, Date, DateTime, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

__all__ = ["ShareAudit", "ShareRequest", "utcnow"]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


class _Dictable:
    def as_dict(self) -> dict[str, Any]:
        table = self.__table__  # type: ignore[attr-defined]
        return {c.name: _iso(getattr(self, c.name)) for c in table.columns}


class ShareRequest(tk.BaseModel, _Dictable):
    """An agency's request for another agency's shared dataset, and its decision."""

    __tablename__ = "nd47_sharing_request"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    package_id: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    owner_org: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    requester_org: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    requester_user_id: Mapped[str] = Column(UnicodeText, nullable=False)
    purpose: Mapped[str] = Column(UnicodeText, nullable=False)
    legal_basis: Mapped[str] = Column(UnicodeText, nullable=False)
    period_start: Mapped[datetime.date | None] = Column(Date)
    period_end: Mapped[datetime.date | None] = Column(Date)
    contact: Mapped[str] = Column(UnicodeText, nullable=False)
    # null: every resource of the dataset
    resource_ids: Mapped[list[str] | None] = Column(JSONB)
    status: Mapped[str] = Column(UnicodeText, nullable=False, default="pending", index=True)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
    modified: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
    decided_at: Mapped[datetime.datetime | None] = Column(DateTime)
    decided_by: Mapped[str | None] = Column(UnicodeText)
    grant_start: Mapped[datetime.date | None] = Column(Date)
    grant_end: Mapped[datetime.date | None] = Column(Date)
    # null: every resource of the dataset
    granted_resource_ids: Mapped[list[str] | None] = Column(JSONB)
    refusal_reason: Mapped[str | None] = Column(UnicodeText)
    refusal_legal_basis: Mapped[str | None] = Column(UnicodeText)
    revoked_at: Mapped[datetime.datetime | None] = Column(DateTime)
    revoked_by: Mapped[str | None] = Column(UnicodeText)
    revoke_reason: Mapped[str | None] = Column(UnicodeText)


class ShareAudit(tk.BaseModel, _Dictable):
    """Append-only trail of every step of a request: who, when, from -> to, details.

    Rows are only inserted; no foreign key, so they outlive what they describe.
    """

    __tablename__ = "nd47_sharing_audit"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    timestamp: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, index=True)
    request_id: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    user_id: Mapped[str | None] = Column(UnicodeText)
    action: Mapped[str] = Column(UnicodeText, nullable=False)
    from_status: Mapped[str | None] = Column(UnicodeText)
    to_status: Mapped[str | None] = Column(UnicodeText)
    details: Mapped[dict[str, Any]] = Column(JSONB, nullable=False, default=dict)
