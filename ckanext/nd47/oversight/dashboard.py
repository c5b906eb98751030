"""Dashboard figures, national and per agency, in a fixed number of SQL queries.

Who sees what:
- national figures count public open datasets only, whoever asks;
- an agency's figures add its private datasets for viewers who may read
  them (``organization_list_for_user`` with the "read" permission);
- plan figures count approved plans (those are public); they come from the
  plans plugin's ``nd47_plan_figures`` action when ``nd47_plans`` is enabled;
- sharing-request figures come from the sharing plugin's register
  (``nd47_share_register``) when ``nd47_sharing`` is enabled, and only for
  viewers its auth lets in; they are read per viewer, outside the cache.
Datasets by theme, sharing class and province come from ``package_search``
with the viewer's own context, so the search index applies CKAN's own
visibility rules.

Every other figure is one grouped SQL query over the oversight tables (and
the plan figures one per kind), whatever the number of agencies (a test holds this). Figures
are cached in Redis under a key holding the filters, the viewer's scope, the
day and the change marks of every table they read, so any change to a
dataset, plan item, score or link check gives a new key at once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.nd47 import vocab
from ckanext.nd47.oversight import quality
from ckanext.nd47.oversight.model import DatasetFact, LinkCheck, QualityScore, utcnow
from ckanext.nd47.text import ui_lang

__all__ = ["Scope", "figures"]

LIST_LIMIT = 20
_CACHE_PREFIX = "nd47:oversight:dashboard"


class Scope:
    """The filters and the viewer's reach of one dashboard."""

    def __init__(
        self,
        context: dict[str, Any],
        agency: dict[str, Any] | None = None,
        period: int | None = None,
        province: str | None = None,
        level: str | None = None,
    ) -> None:
        self.agency = agency
        self.period = period
        self.province = province or None
        self.level = level or None
        self.private = bool(agency) and _can_read(context, agency["id"])

    def key(self) -> dict[str, Any]:
        return {
            "agency": self.agency["id"] if self.agency else None,
            "period": self.period,
            "province": self.province,
            "level": self.level,
            "private": self.private,
        }


def _can_read(context: dict[str, Any], org_id: str) -> bool:
    user = context.get("user")
    if not user:
        return False
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user, "ignore_auth": True}, {"permission": "read"}
    )
    return any(org["id"] == org_id for org in orgs)


# --- SQL building blocks -----------------------------------------------------------
def _org_extra(key: str) -> Any:
    """An agency's extra field as a column expression (CKAN 2.12 JSONB, 2.11 table)."""
    group = model.group_table
    if "extras" in group.c:
        return group.c.extras[key].astext
    extra = model.group_extra_table
    return (
        sa.select(extra.c.value)
        .where(extra.c.group_id == group.c.id, extra.c.key == key, extra.c.state == "active")
        .scalar_subquery()
    )


def _agencies_query(scope: Scope) -> Any:
    group = model.group_table
    province, level = _org_extra("province_code"), _org_extra("agency_level")
    query = sa.select(
        group.c.id,
        group.c.name,
        group.c.title,
        province.label("province_code"),
        level.label("agency_level"),
    ).where(group.c.is_organization.is_(True), group.c.state == "active")
    if scope.agency:
        query = query.where(group.c.id == scope.agency["id"])
    if scope.province:
        query = query.where(province == scope.province)
    if scope.level:
        query = query.where(level == scope.level)
    return query.order_by(group.c.title)


def _visible(scope: Scope) -> Any:
    """Datasets counted: active, and public open unless the viewer reads the agency."""
    fact = DatasetFact
    clause = fact.active.is_(True)
    if scope.private:
        return sa.and_(clause, fact.owner_org == scope.agency["id"])
    return sa.and_(clause, fact.public_open.is_(True))


def _in_orgs(column: Any, org_ids: list[str]) -> Any:
    return column.in_(org_ids) if org_ids else sa.false()


def _change_marks(context: dict[str, Any]) -> list[Any]:
    """One row that changes whenever anything the figures read changes."""
    row = model.Session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(DatasetFact).scalar_subquery(),
            sa.select(sa.func.max(DatasetFact.updated)).scalar_subquery(),
            sa.select(sa.func.max(QualityScore.computed_at)).scalar_subquery(),
            sa.select(sa.func.max(LinkCheck.checked_at)).scalar_subquery(),
            sa.select(sa.func.max(model.group_table.c.created)).scalar_subquery(),
        )
    ).one()
    marks = [str(value) for value in row]
    if p.plugin_loaded("nd47_plans"):
        plans = tk.get_action("nd47_plan_figures")(
            {"user": context.get("user") or ""}, {"change_mark_only": True}
        )
        marks += plans["change_mark"]
    return marks


def _plan_figures(
    context: dict[str, Any], scope: Scope, org_ids: list[str], today: datetime.date
) -> dict[str, Any]:
    """Figures of approved plans from the plans plugin; none when it is not enabled."""
    if not p.plugin_loaded("nd47_plans"):
        return {"agencies": {}, "overdue_items": []}
    data: dict[str, Any] = {"org_ids": org_ids, "today": today.isoformat(), "limit": LIST_LIMIT}
    if scope.period:
        data["period"] = scope.period
    return tk.get_action("nd47_plan_figures")({"user": context.get("user") or ""}, data)


# --- the figures -------------------------------------------------------------------
def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _facets(context: dict[str, Any], scope: Scope, org_ids: list[str]) -> dict[str, Any]:
    fq = ["+dataset_type:dataset"]
    if not scope.private:
        fq += ["+capacity:public", "+sharing_class:mo"]
    if scope.agency:
        fq.append(f'+owner_org:"{scope.agency["id"]}"')
    elif scope.province or scope.level:
        orgs = " OR ".join(f'"{org}"' for org in org_ids) or '"-"'
        fq.append(f"+owner_org:({orgs})")
    fields = {"vocab_nd47_theme": "themes", "sharing_class": "sharing_class"}
    fields["vocab_nd47_province"] = "admin_unit"
    result = tk.get_action("package_search")(
        {"user": context.get("user") or ""},
        {
            "q": "",
            "fq": " ".join(fq),
            "rows": 0,
            "facet.field": list(fields),
            "facet.limit": 100,
            "include_private": scope.private,
        },
    )
    lang = ui_lang()
    out: dict[str, Any] = {"total": result["count"]}
    for field, vocabulary in fields.items():
        counts = result["search_facets"].get(field, {}).get("items", [])
        rows = [
            {
                "code": row["name"],
                "label": vocab.label(vocabulary, row["name"], lang),
                "count": row["count"],
            }
            for row in counts
        ]
        out[vocabulary] = sorted(rows, key=lambda row: (-row["count"], row["label"]))
    # every national theme, with zero where nothing is published yet
    seen = {row["code"] for row in out["themes"]}
    out["themes"] += [
        {"code": term.code, "label": term.label(lang), "count": 0}
        for term in vocab.get("themes")
        if term.code not in seen
    ]
    return out


def _compute(context: dict[str, Any], scope: Scope, today: datetime.date) -> dict[str, Any]:
    session = model.Session
    now = datetime.datetime.combine(today, datetime.time())
    agencies = [dict(row._mapping) for row in session.execute(_agencies_query(scope))]
    org_ids = [row["id"] for row in agencies]
    visible = sa.and_(_visible(scope), _in_orgs(DatasetFact.owner_org, org_ids))
    fact, score, link = DatasetFact, QualityScore, LinkCheck

    datasets = session.execute(
        sa.select(
            fact.owner_org,
            sa.func.count().label("datasets"),
            sa.func.count().filter(fact.stale_after < now).label("stale"),
        )
        .where(visible)
        .group_by(fact.owner_org)
    ).all()
    scores = session.execute(
        sa.select(
            fact.owner_org,
            sa.func.count().label("scored"),
            sa.func.avg(score.score).label("quality"),
        )
        .join(score, sa.and_(score.package_id == fact.package_id, score.latest.is_(True)))
        .where(visible)
        .group_by(fact.owner_org)
    ).all()
    bands = dict(
        session.execute(
            sa.select(score.band, sa.func.count())
            .join(fact, fact.package_id == score.package_id)
            .where(visible, score.latest.is_(True))
            .group_by(score.band)
        ).all()
    )
    month = sa.func.date_trunc("month", score.computed_at)
    trend = session.execute(
        sa.select(month.label("month"), sa.func.avg(score.score), sa.func.count())
        .join(fact, fact.package_id == score.package_id)
        .where(visible, score.computed_at >= now - datetime.timedelta(days=366))
        .group_by(month)
        .order_by(month)
    ).all()
    broken = session.execute(
        sa.select(fact.owner_org, sa.func.count(sa.distinct(link.url)))
        .join(link, sa.and_(link.package_id == fact.package_id, link.latest.is_(True)))
        .where(visible, link.outcome == "broken")
        .group_by(fact.owner_org)
    ).all()
    checked = session.execute(
        sa.select(sa.func.count(sa.distinct(link.url)))
        .join(fact, fact.package_id == link.package_id)
        .where(visible, link.latest.is_(True), link.outcome != "skipped")
    ).scalar()
    plans = _plan_figures(context, scope, org_ids, today)
    stale_list = session.execute(
        sa.select(
            fact.package_id,
            fact.name,
            fact.title,
            fact.owner_org,
            fact.frequency,
            fact.data_modified,
            fact.stale_after,
        )
        .where(visible, fact.stale_after < now)
        .order_by(fact.stale_after, fact.name)
        .limit(LIST_LIMIT)
    ).all()
    broken_list = session.execute(
        sa.select(
            fact.name,
            fact.title,
            fact.owner_org,
            link.url,
            link.status_code,
            link.error,
            link.checked_at,
        )
        .join(link, sa.and_(link.package_id == fact.package_id, link.latest.is_(True)))
        .where(visible, link.outcome == "broken")
        .order_by(link.checked_at.desc(), link.url)
        .limit(LIST_LIMIT)
    ).all()
    lowest = session.execute(
        sa.select(fact.name, fact.title, fact.owner_org, score.score, score.band)
        .join(score, sa.and_(score.package_id == fact.package_id, score.latest.is_(True)))
        .where(visible)
        .order_by(score.score, fact.name)
        .limit(LIST_LIMIT)
    ).all()

    per_org: dict[str, dict[str, Any]] = {
        row["id"]: {
            **row,
            "datasets": 0,
            "stale": 0,
            "scored": 0,
            "quality": None,
            "broken_links": 0,
            "planned": 0,
            "published": 0,
            "closed": 0,
            "overdue": 0,
            "published_due": 0,
            "on_time": 0,
        }
        for row in agencies
    }
    for org, count, stale in datasets:
        per_org[org].update(datasets=count, stale=stale)
    for org, scored, avg in scores:
        per_org[org].update(scored=scored, quality=round(float(avg), 1))
    for org, count in broken:
        per_org[org]["broken_links"] = count
    for org, counts in plans["agencies"].items():
        per_org[org].update(counts)
    titles = {row["id"]: row["title"] for row in agencies}
    ranked = []
    for row in per_org.values():
        row["completion_rate"] = _rate(row["published"], row["planned"] - row["closed"])
        row["on_time_rate"] = _rate(row["on_time"], row["published_due"])
        ranked.append(row)
    ranked.sort(
        key=lambda row: (
            -(row["completion_rate"] or 0),
            -(row["quality"] or 0),
            row["overdue"],
            row["title"] or "",
        )
    )
    for position, row in enumerate(ranked, 1):
        row["rank"] = position

    def total(key: str) -> int:
        return sum(row[key] for row in ranked)

    scored = total("scored")
    quality_sum = sum((row["quality"] or 0) * row["scored"] for row in ranked)
    return {
        "generated": utcnow().isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "scope": scope.key(),
        "agency_count": len(ranked),
        "datasets": {"count": total("datasets"), **_facets(context, scope, org_ids)},
        "plans": {
            "planned": total("planned"),
            "published": total("published"),
            "closed": total("closed"),
            # items still owed: not withdrawn, not "cannot be opened"
            "owed": total("planned") - total("closed"),
            "overdue": total("overdue"),
            "completion_rate": _rate(total("published"), total("planned") - total("closed")),
            "on_time_rate": _rate(total("on_time"), total("published_due")),
            "overdue_items": [
                {**row, "agency": titles.get(row["owner_org"], "")}
                for row in plans["overdue_items"]
            ],
        },
        "quality": {
            "scored": scored,
            "average": round(quality_sum / scored, 1) if scored else None,
            "max": quality.MAX_SCORE,
            "bands": [
                {"band": name, "count": int(bands.get(name, 0))} for name, _low in quality.BANDS
            ],
            "trend": [
                {"month": when.date().isoformat()[:7], "average": round(float(avg), 1), "count": n}
                for when, avg, n in trend
            ],
            "lowest": [{**row._mapping, "agency": titles.get(row.owner_org, "")} for row in lowest],
        },
        "stale": {
            "count": total("stale"),
            "datasets": [
                {
                    **row._mapping,
                    "data_modified": row.data_modified.isoformat() if row.data_modified else None,
                    "stale_after": row.stale_after.isoformat(),
                    "agency": titles.get(row.owner_org, ""),
                }
                for row in stale_list
            ],
        },
        "links": {
            "checked": int(checked or 0),
            "broken": total("broken_links"),
            "broken_items": [
                {
                    **row._mapping,
                    "checked_at": row.checked_at.isoformat(),
                    "agency": titles.get(row.owner_org, ""),
                }
                for row in broken_list
            ],
        },
        "agencies": ranked,
    }


def _cache() -> Any:
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def figures(
    context: dict[str, Any],
    scope: Scope,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """The dashboard's figures for ``scope`` (cached in Redis until anything changes)."""
    today = today or datetime.date.today()
    seconds = int(tk.config.get("ckanext.nd47.oversight.dashboard.cache_seconds"))
    key = None
    if seconds > 0:
        marks = [scope.key(), today.isoformat(), ui_lang(), _change_marks(context)]
        material = json.dumps(marks, default=str)
        digest = hashlib.sha256(material.encode()).hexdigest()
        key = f"{_CACHE_PREFIX}:{tk.config.get('ckan.site_id')}:{digest}"
        cached = _cache().get(key)
        if cached:
            data = json.loads(cached)
            return _extended(context, scope, data)
    data = _compute(context, scope, today)
    data = json.loads(json.dumps(data, default=str))
    if key:
        _cache().set(key, json.dumps(data), ex=seconds)
    return _extended(context, scope, data)


def _extended(context: dict[str, Any], scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    # per viewer, so outside the shared cache
    data["sharing"] = _sharing_figures(context, scope)
    return data


def _sharing_figures(context: dict[str, Any], scope: Scope) -> dict[str, Any] | None:
    """Sharing-request figures from the sharing plugin's register, as the viewer may see them.

    None when ``nd47_sharing`` is not enabled or its register refuses the
    viewer (it is for state-agency users and sysadmins).
    """
    if not p.plugin_loaded("nd47_sharing"):
        return None
    data = {"org": scope.agency["id"]} if scope.agency else {}
    try:
        register = tk.get_action("nd47_share_register")({"user": context.get("user") or ""}, data)
    except tk.NotAuthorized:
        return None
    return {"national": register["national"], "agencies": register["agencies"]}
