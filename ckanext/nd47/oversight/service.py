"""Writes and per-dataset reads of the oversight tables, and the background jobs.

- ``record_fact``: the dataset hooks keep ``nd47_dataset_fact`` current.
- ``check_links`` / ``score``: store a new link-check or quality result and
  move the ``latest`` mark to it (older rows stay as history).
- ``*_job``: what ``tk.enqueue_job`` runs in a worker; ``enqueue_assessment``
  is the only thing a request does (it never waits for the network).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from redis.exceptions import RedisError
from sqlalchemy import update

from ckanext.nd47.logic import freshness
from ckanext.nd47.logic.rules import is_open_public
from ckanext.nd47.oversight import linkcheck, quality
from ckanext.nd47.oversight.model import DatasetFact, LinkCheck, QualityScore, utcnow
from ckanext.nd47.text import db_key

__all__ = [
    "assess_dataset_job",
    "check_links",
    "drop_dataset",
    "enqueue_assessment",
    "forget_dataset",
    "latest_links",
    "latest_score",
    "package_id_of",
    "record_fact",
    "score",
    "score_history",
    "store_link_results",
]

log = logging.getLogger(__name__)


def _show(package_id: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return None


# --- dataset facts -----------------------------------------------------------------
def record_fact(package_id: str) -> DatasetFact | None:
    """Write what the dashboards count about a dataset (from the model, no search index)."""
    pkg = model.Package.get(package_id)
    if pkg is None or pkg.type != "dataset":
        return None
    extras = dict(pkg.extras or {})
    resources = [res for res in pkg.resources if res.state == "active"]
    resource_dates = []
    for res in resources:
        resource_dates += [res.last_modified, (res.extras or {}).get("modified")]
    last_change = freshness.data_last_change(
        extras.get("modified"), resource_dates, extras.get("issued") or pkg.metadata_created
    )
    fact = model.Session.get(DatasetFact, pkg.id) or DatasetFact(package_id=pkg.id)
    fact.owner_org = pkg.owner_org
    fact.name = pkg.name
    fact.title = pkg.title or pkg.name
    fact.active = pkg.state == "active"
    fact.public_open = fact.active and is_open_public(
        {"private": pkg.private, "state": pkg.state, "sharing_class": extras.get("sharing_class")}
    )
    fact.frequency = extras.get("frequency") or None
    fact.data_modified = last_change
    fact.stale_after = freshness.stale_after(last_change, fact.frequency)
    fact.metadata_created = pkg.metadata_created
    fact.updated = utcnow()
    model.Session.add(fact)
    return fact


def forget_dataset(package_id: str) -> None:
    """A deleted dataset leaves the figures (its score and link history stay)."""
    fact = model.Session.get(DatasetFact, package_id)
    if fact is not None:
        fact.active = False
        fact.public_open = False


def package_id_of(id_or_name: str | None) -> str | None:
    key = db_key(id_or_name)
    pkg = model.Package.get(key) if key else None
    return pkg.id if pkg else None


def drop_dataset(package_id: str) -> None:
    """A purged dataset: its facts, scores and link checks go with it."""
    for table in (DatasetFact, QualityScore, LinkCheck):
        model.Session.query(table).filter(table.package_id == package_id).delete()
    model.Session.commit()


# --- link checks and scores --------------------------------------------------------
def latest_links(package_id: str) -> list[LinkCheck]:
    return (
        model.Session.query(LinkCheck)
        .filter(LinkCheck.package_id == package_id, LinkCheck.latest.is_(True))
        .order_by(LinkCheck.field, LinkCheck.url)
        .all()
    )


def latest_score(package_id: str) -> QualityScore | None:
    return (
        model.Session.query(QualityScore)
        .filter(QualityScore.package_id == package_id, QualityScore.latest.is_(True))
        .first()
    )


def score_history(package_id: str, limit: int = 24) -> list[dict[str, Any]]:
    rows = (
        model.Session.query(QualityScore.computed_at, QualityScore.score)
        .filter(QualityScore.package_id == package_id)
        .order_by(QualityScore.computed_at.desc())
        .limit(limit)
    )
    return [{"computed_at": when.isoformat(), "score": value} for when, value in rows]


def _retire_latest(table: type[LinkCheck] | type[QualityScore], package_id: str) -> None:
    # the rows stay as history; only the "latest" mark moves to the new ones
    model.Session.execute(
        update(table)
        .where(table.package_id == package_id, table.latest.is_(True))
        .values(latest=False)
    )


def check_links(package_id: str) -> list[LinkCheck]:
    """Check every URL of the dataset now and store the results (history kept)."""
    pkg = _show(package_id)
    if pkg is None:
        return []
    results = [
        (resource_id, field, linkcheck.check_url(url))
        for resource_id, field, url in linkcheck.resource_links(pkg)
    ]
    return store_link_results(pkg, results)


def store_link_results(
    pkg: dict[str, Any],
    results: list[tuple[str, str, linkcheck.Result]],
    checked_at: Any = None,
) -> list[LinkCheck]:
    """Store one round of checks of a dataset's URLs: (resource id, field, result)."""
    rows = [
        LinkCheck(
            package_id=pkg["id"],
            resource_id=resource_id,
            owner_org=pkg.get("owner_org"),
            field=field,
            url=result.url,
            host=linkcheck.host_of(result.url),
            status_code=result.status_code,
            ok=result.ok,
            outcome=result.outcome,
            error=result.error,
            method=result.method,
            attempts=result.attempts,
            duration_ms=result.duration_ms,
            checked_at=checked_at or utcnow(),
            latest=True,
        )
        for resource_id, field, result in results
    ]
    _retire_latest(LinkCheck, pkg["id"])
    model.Session.add_all(rows)
    model.Session.commit()
    return rows


def score(package_id: str) -> QualityScore | None:
    """Compute and store the dataset's quality score from its DCAT output."""
    pkg = _show(package_id)
    if pkg is None:
        return None
    ok_urls = {row.url for row in latest_links(pkg["id"]) if row.ok}
    graph, ref = quality.dataset_graph(pkg)
    result = quality.assess(graph, ref, link_ok=lambda url: url in ok_urls)
    _retire_latest(QualityScore, pkg["id"])
    row = QualityScore(
        package_id=pkg["id"],
        owner_org=pkg.get("owner_org"),
        score=result.score,
        band=result.band,
        dimensions=result.dimensions,
        indicators=result.indicators,
        conformance_method=result.conformance_method,
        computed_at=utcnow(),
        latest=True,
    )
    model.Session.add(row)
    model.Session.commit()
    return row


# --- jobs --------------------------------------------------------------------------
def assess_dataset_job(package_id: str, links: bool = True) -> None:
    """Background job: check the dataset's links (optional), then score it."""
    if links:
        check_links(package_id)
    score(package_id)


def enqueue_assessment(package_id: str, links: bool = True, quiet: bool = False) -> None:
    """Queue the dataset's link check and scoring; returns at once.

    ``quiet``: a Redis outage is logged, not raised (a dataset hook must
    never make publishing fail for the sake of a later check).
    """
    try:
        tk.enqueue_job(
            assess_dataset_job,
            [package_id],
            {"links": links},
            title=f"nd47 oversight: assess {package_id}",
            rq_kwargs={"timeout": int(tk.config.get("ckanext.nd47.oversight.job_timeout"))},
        )
    except RedisError:
        if not quiet:
            raise
        log.exception("could not queue the assessment of dataset %s", package_id)
