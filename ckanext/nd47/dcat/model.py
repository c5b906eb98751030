"""The dump's records table (``nd47_dcat_record``) and its queries.

Created by this plugin's alembic migrations (``ckan db upgrade -p
nd47_dcat``), never at plugin load. One row per dataset in the last dump:
its stamp (what the record was built from, :func:`ckanext.nd47.dcat.dump.stamp`)
and its record in each format (:mod:`ckanext.nd47.dcat.records`). Rows are a
cache: deleting them all only makes the next build a cold one.
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, LargeBinary, UnicodeText, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped

__all__ = ["Record", "forget_except", "read", "save"]


class Record(tk.BaseModel):
    """One dataset's part of the dump, in every format."""

    __tablename__ = "nd47_dcat_record"

    package_id: Mapped[str] = Column(UnicodeText, primary_key=True)
    stamp: Mapped[str] = Column(UnicodeText, nullable=False)
    ttl: Mapped[bytes] = Column(LargeBinary, nullable=False)
    nt: Mapped[bytes] = Column(LargeBinary, nullable=False)
    rdf: Mapped[bytes] = Column(LargeBinary, nullable=False)


def read(stamps: dict[str, str], formats: Iterable[str]) -> dict[str, dict[str, bytes]]:
    """The records of ``stamps`` (package id -> stamp) still built from that
    stamp, by package id: only the columns of ``formats``."""
    if not stamps:
        return {}
    names = list(formats)
    columns = [Record.package_id, Record.stamp] + [getattr(Record, n) for n in names]
    query = select(*columns).where(Record.package_id.in_(list(stamps)))
    found = {}
    for row in model.Session.execute(query):
        if stamps[row[0]] == row[1]:
            found[row[0]] = dict(zip(names, row[2:], strict=True))
    return found


def save(records: dict[str, tuple[str, dict[str, bytes]]]) -> None:
    """Insert or replace records (package id -> (stamp, record)); commits."""
    if not records:
        return
    rows = [
        {"package_id": package_id, "stamp": stamp, **parts}
        for package_id, (stamp, parts) in records.items()
    ]
    statement = insert(Record.__table__).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["package_id"],
        set_={c: statement.excluded[c] for c in ("stamp", "ttl", "nt", "rdf")},
    )
    model.Session.execute(statement)
    model.Session.commit()


def forget_except(kept: set[str]) -> int:
    """Delete the records of every dataset not in ``kept`` (deleted, private,
    no longer open); commits. Returns how many were deleted."""
    ids = [row[0] for row in model.Session.execute(select(Record.package_id))]
    gone = [package_id for package_id in ids if package_id not in kept]
    for start in range(0, len(gone), 1000):
        model.Session.execute(
            delete(Record).where(Record.package_id.in_(gone[start : start + 1000]))
        )
    model.Session.commit()
    return len(gone)
