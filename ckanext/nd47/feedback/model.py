"""Tables of feedback and data requests: the threads, their answers, followers.

Created by this plugin's alembic migrations (``ckan db upgrade -p
nd47_feedback``), never at plugin load. Datasets, agencies, users and plan
items are referenced by id as plain text: no foreign keys into other tables
but our own. Queries live here, beside the models.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    UnicodeText,
    UniqueConstraint,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped

from ckanext.nd47.feedback import workflow as wf
from ckanext.nd47.text import db_key, fold

__all__ = ["Answer", "Feedback", "Follower", "search_key", "utcnow"]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def search_key(*texts: str | None) -> str:
    """What the diacritic-insensitive search compares: folded, lower case."""
    return fold(" ".join(t for t in texts if t)).lower()


class Feedback(tk.BaseModel):
    """One thread: feedback on a dataset (``package_id`` set) or a request
    for new data addressed to an agency (``kind`` = ``request``)."""

    __tablename__ = "nd47_feedback"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    kind: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    package_id: Mapped[str | None] = Column(UnicodeText, index=True)
    owner_org: Mapped[str | None] = Column(UnicodeText, index=True)
    title: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    body: Mapped[str] = Column(UnicodeText, nullable=False)
    author_user_id: Mapped[str | None] = Column(UnicodeText)
    author_name: Mapped[str | None] = Column(UnicodeText)
    # Private: never shown publicly, only to the agency's admins.
    author_email: Mapped[str | None] = Column(UnicodeText)
    status: Mapped[str] = Column(UnicodeText, nullable=False, default=wf.NEW, index=True)
    visibility: Mapped[str] = Column(UnicodeText, nullable=False, default=wf.PUBLIC)
    plan_item_id: Mapped[str | None] = Column(UnicodeText, index=True)
    search_text: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow, index=True)
    modified: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)

    @classmethod
    def get(cls, reference: str | None) -> Feedback | None:
        key = db_key(reference)
        return model.Session.get(cls, key) if key else None

    def answers(self) -> list[Answer]:
        return (
            model.Session.query(Answer)
            .filter(Answer.feedback_id == self.id)
            .order_by(Answer.created)
            .all()
        )

    def followers(self) -> list[Follower]:
        return model.Session.query(Follower).filter(Follower.feedback_id == self.id).all()

    @classmethod
    def search(
        cls,
        kinds: tuple[str, ...],
        package_id: str | None = None,
        owner_org: str | None = None,
        status: str | None = None,
        q: str | None = None,
        visibilities: tuple[str, ...] | None = (wf.PUBLIC,),
        visible_orgs: tuple[str, ...] = (),
        readable_orgs: tuple[str, ...] | None = (),
    ) -> Any:
        """The query of a list: ``visibilities`` applies except for threads of
        ``visible_orgs`` (agencies whose moderators are asking); feedback on a
        dataset shows only while the dataset is active and public, or belongs
        to one of ``readable_orgs`` (None: every dataset, for sysadmins)."""
        query = model.Session.query(cls).filter(cls.kind.in_(kinds))
        if readable_orgs is not None:
            public = select(model.Package.id).where(
                model.Package.state == "active", model.Package.private.is_(False)
            )
            readable = or_(cls.package_id.is_(None), cls.package_id.in_(public))
            if readable_orgs:
                readable = or_(readable, cls.owner_org.in_(readable_orgs))
            query = query.filter(readable)
        if package_id:
            query = query.filter(cls.package_id == package_id)
        if owner_org:
            query = query.filter(cls.owner_org == owner_org)
        if status:
            query = query.filter(cls.status == status)
        if visibilities is not None:
            shown = cls.visibility.in_(visibilities)
            if visible_orgs:
                shown = or_(shown, cls.owner_org.in_(visible_orgs))
            query = query.filter(shown)
        for word in search_key(q).split():
            query = query.filter(cls.search_text.contains(word, autoescape=True))
        return query

    @classmethod
    def counts(cls, owner_org: str | None = None) -> list[tuple[str, str, int]]:
        """(kind, status, count) rows of the public and moderated threads."""
        query = model.Session.query(cls.kind, cls.status, func.count(cls.id))
        if owner_org:
            query = query.filter(cls.owner_org == owner_org)
        return query.group_by(cls.kind, cls.status).all()


class Answer(tk.BaseModel):
    """A public answer of the agency (or of the portal, when automatic)."""

    __tablename__ = "nd47_feedback_answer"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    feedback_id: Mapped[str] = Column(
        UnicodeText, ForeignKey("nd47_feedback.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[str | None] = Column(UnicodeText)
    body: Mapped[str] = Column(UnicodeText, nullable=False)
    status: Mapped[str] = Column(UnicodeText, nullable=False)
    automatic: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)


class Follower(tk.BaseModel):
    """Someone told of each answer: a user, or a visitor by e-mail."""

    __tablename__ = "nd47_feedback_follower"
    __table_args__ = (
        UniqueConstraint("feedback_id", "user_id", name="nd47_feedback_follower_user_key"),
        UniqueConstraint("feedback_id", "email", name="nd47_feedback_follower_email_key"),
    )

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    feedback_id: Mapped[str] = Column(
        UnicodeText, ForeignKey("nd47_feedback.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[str | None] = Column(UnicodeText)
    email: Mapped[str | None] = Column(UnicodeText)
    created: Mapped[datetime.datetime] = Column(DateTime, default=utcnow)
