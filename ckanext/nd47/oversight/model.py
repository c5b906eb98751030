"""Tables of the ``nd47_oversight`` plugin: dataset facts, quality scores, link checks.

Created by this plugin's migrations (``ckan db upgrade -p nd47_oversight``),
never at plugin load. Datasets and agencies are referenced by id as plain
text: no foreign keys into core tables.

- ``nd47_dataset_fact``: one row per dataset with what the dashboards count
  (agency, public-and-open flag, declared frequency, the data's last change
  and the moment it turns stale). Written by the plugin's dataset hooks, so
  the dashboards read one narrow table the same way on CKAN 2.11 and 2.12.
- ``nd47_quality_score``: every score ever computed (history); the newest of
  a dataset carries ``latest``.
- ``nd47_link_check``: every link check (history); the newest per dataset
  and URL carries ``latest``.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid
from sqlalchemy import Boolean, Column, DateTime, Index, Integer, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

__all__ = ["DatasetFact", "LinkCheck", "QualityScore", "utcnow"]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


class _Dictable:
    def as_dict(self) -> dict[str, Any]:
        table = self.__table__  # type: ignore[attr-defined]
        return {c.name: _plain(getattr(self, c.name)) for c in table.columns}


class DatasetFact(tk.BaseModel, _Dictable):
    """What the dashboards count about one dataset, kept current by the dataset hooks."""

    __tablename__ = "nd47_dataset_fact"

    package_id: Mapped[str] = Column(UnicodeText, primary_key=True)
    owner_org: Mapped[str | None] = Column(UnicodeText, index=True)
    name: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    title: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    # active, not private, sharing class "mở": counted in public figures
    public_open: Mapped[bool] = Column(Boolean, nullable=False, default=False, index=True)
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    frequency: Mapped[str | None] = Column(UnicodeText)
    data_modified: Mapped[datetime.datetime | None] = Column(DateTime)
    # freshness.stale_after(data_modified, frequency); None: never stale
    stale_after: Mapped[datetime.datetime | None] = Column(DateTime, index=True)
    metadata_created: Mapped[datetime.datetime | None] = Column(DateTime)
    updated: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, onupdate=utcnow)


class QualityScore(tk.BaseModel, _Dictable):
    """One metadata-quality assessment of a dataset (405-point MQA method)."""

    __tablename__ = "nd47_quality_score"
    __table_args__ = (Index("nd47_quality_score_latest_idx", "package_id", "latest"),)

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    package_id: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    owner_org: Mapped[str | None] = Column(UnicodeText, index=True)
    score: Mapped[int] = Column(Integer, nullable=False)
    band: Mapped[str] = Column(UnicodeText, nullable=False)
    # {dimension: points}
    dimensions: Mapped[dict[str, Any]] = Column(JSONB, nullable=False, default=dict)
    # {indicator: points}
    indicators: Mapped[dict[str, Any]] = Column(JSONB, nullable=False, default=dict)
    # "shacl" or "required-properties": how the DCAT-AP conformance points were decided
    conformance_method: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    computed_at: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, index=True)
    latest: Mapped[bool] = Column(Boolean, nullable=False, default=True)


class LinkCheck(tk.BaseModel, _Dictable):
    """One check of one URL of one resource."""

    __tablename__ = "nd47_link_check"
    __table_args__ = (Index("nd47_link_check_latest_idx", "package_id", "latest"),)

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    package_id: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    resource_id: Mapped[str | None] = Column(UnicodeText)
    owner_org: Mapped[str | None] = Column(UnicodeText, index=True)
    # the resource field the URL came from: url, access_url or download_url
    field: Mapped[str] = Column(UnicodeText, nullable=False)
    url: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    host: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    status_code: Mapped[int | None] = Column(Integer)
    ok: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    # "skipped" results (deny list) are neither ok nor broken
    outcome: Mapped[str] = Column(UnicodeText, nullable=False, default="broken")
    error: Mapped[str | None] = Column(UnicodeText)
    method: Mapped[str | None] = Column(UnicodeText)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=1)
    duration_ms: Mapped[int | None] = Column(Integer)
    checked_at: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, index=True)
    latest: Mapped[bool] = Column(Boolean, nullable=False, default=True)
