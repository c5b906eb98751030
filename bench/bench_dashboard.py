"""Benchmark: server time of the national oversight dashboard on a large portal.

Run (not part of ``make test``; it WIPES the database and Solr core it points at)::

    CKAN_SQLALCHEMY_URL=postgresql://ckan_nd47:ckan_nd47@127.0.0.1:5433/ckan_nd47_bench \\
    CKAN_SOLR_URL=http://127.0.0.1:8983/solr/ckan_bench \\
    .venv/bin/python bench/bench_dashboard.py          # --quick: a tiny portal

Size (default): 64 agencies, 10,000 plan items, 20,000 public open datasets,
each dataset with its facts row, three quality scores (history) and two
link checks. The rows are bulk-inserted with SQLAlchemy Core and the search
documents posted to Solr in batches, because creating 20,000 datasets through
``package_create`` would take an hour on a shared 2-core machine; the
dashboard reads exactly these tables and the search index, so the figures it
computes are those of a real portal of that size.

What it prints: the time of ``GET /oversight/`` through a WSGI test client
on CKAN's whole middleware stack (the server's time, no network), median and
p90 of ``--rounds`` requests, twice: with the Redis cache warm, and with the
cache off (every request computes every figure).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

import requests
from werkzeug.test import Client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests.ini import write_ini  # noqa: E402 - the repository root first

DB_URL = os.environ.get(
    "CKAN_SQLALCHEMY_URL", "postgresql://ckan_nd47:ckan_nd47@127.0.0.1:5433/ckan_nd47_bench"
)
SOLR_URL = os.environ.get("CKAN_SOLR_URL", "http://127.0.0.1:8983/solr/ckan_bench")
REDIS_URL = os.environ.get("CKAN_REDIS_URL", "redis://127.0.0.1:6380/1")
SITE_ID = "nd47_bench"
THEMES = [
    "y-te", "lao-dong", "cong-nghe", "nong-nghiep", "kinh-te-thuong-mai", "co-so-ha-tang",
    "tai-chinh", "nang-luong", "giao-duc-dao-tao", "xa-hoi", "moi-truong", "dia-phuong",
]  # fmt: skip
PROVINCES = ["01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33"]
LEVELS = ["bo", "tinh", "so-nganh", "xa", "don-vi-su-nghiep"]
FREQUENCIES = ["MONTHLY", "QUARTERLY", "ANNUAL", "IRREG", "DAILY"]
STATUSES = ["planned", "preparing", "in_review", "published", "withdrawn", "cannot_be_opened"]
BANDS = [(351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad")]


def _ckan(ini: str, *args: str) -> None:
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", ini, *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _band(score: int) -> str:
    return next(name for low, name in BANDS if score >= low)


def populate(agencies: int, items: int, datasets: int) -> None:
    """Bulk-insert agencies, plans and items, dataset facts, scores, link checks."""
    from ckan import model

    from ckanext.nd47.logic import freshness
    from ckanext.nd47.oversight.model import DatasetFact, LinkCheck, QualityScore
    from ckanext.nd47.plans.model import Plan, PlanItem

    rng = random.Random(47)
    now = datetime.datetime.utcnow()
    today = now.date()
    orgs = []
    for n in range(agencies):
        orgs.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"co-quan-{n:03d}",
                "title": f"Cơ quan số {n:03d}",
                "type": "organization",
                "is_organization": True,
                "state": "active",
                "approval_status": "approved",
                "created": now,
                "extras": {
                    "province_code": rng.choice(PROVINCES),
                    "agency_level": rng.choice(LEVELS),
                },
            }
        )
    session = model.Session
    session.execute(model.group_table.insert(), orgs)
    plans = [
        {"id": str(uuid.uuid4()), "owner_org": org["id"], "period": 2026, "status": "approved"}
        for org in orgs
    ]
    session.execute(Plan.__table__.insert(), plans)
    rows = []
    for n in range(items):
        status = rng.choice(STATUSES)
        due = today + datetime.timedelta(days=rng.randint(-300, 300))
        changed = now - datetime.timedelta(days=rng.randint(0, 300))
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "plan_id": plans[n % len(plans)]["id"],
                "code": f"DM{n:05d}",
                "title": f"Dữ liệu kế hoạch {n}",
                "status": status,
                "due_date": due,
                "status_changed": changed if status == "published" else None,
                "modified": changed,
            }
        )
    session.execute(PlanItem.__table__.insert(), rows)
    facts, scores, links, docs = [], [], [], []
    for n in range(datasets):
        org = orgs[n % len(orgs)]
        package_id = str(uuid.uuid4())
        frequency = rng.choice(FREQUENCIES)
        modified = now - datetime.timedelta(days=rng.randint(0, 800))
        facts.append(
            {
                "package_id": package_id,
                "owner_org": org["id"],
                "name": f"bo-du-lieu-{n:05d}",
                "title": f"Bộ dữ liệu số {n}",
                "public_open": True,
                "active": True,
                "frequency": frequency,
                "data_modified": modified,
                "stale_after": freshness.stale_after(modified, frequency),
                "metadata_created": modified,
                "updated": now,
            }
        )
        for months in (2, 1, 0):
            score = rng.randint(60, 405)
            scores.append(
                {
                    "id": str(uuid.uuid4()),
                    "package_id": package_id,
                    "owner_org": org["id"],
                    "score": score,
                    "band": _band(score),
                    "dimensions": {},
                    "indicators": {},
                    "conformance_method": "required-properties",
                    "computed_at": now - datetime.timedelta(days=30 * months),
                    "latest": months == 0,
                }
            )
        for field in ("url", "access_url"):
            ok = rng.random() > 0.05
            links.append(
                {
                    "id": str(uuid.uuid4()),
                    "package_id": package_id,
                    "owner_org": org["id"],
                    "field": field,
                    "url": f"https://du-lieu.example.gov.vn/{n}/{field}",
                    "host": "du-lieu.example.gov.vn",
                    "status_code": 200 if ok else 404,
                    "ok": ok,
                    "outcome": "ok" if ok else "broken",
                    "attempts": 1,
                    "checked_at": now,
                    "latest": True,
                }
            )
        docs.append(
            {
                "id": package_id,
                "index_id": f"{SITE_ID}-{package_id}",
                "site_id": SITE_ID,
                "name": f"bo-du-lieu-{n:05d}",
                "title": f"Bộ dữ liệu số {n}",
                "entity_type": "package",
                "dataset_type": "dataset",
                "state": "active",
                "capacity": "public",
                "permission_labels": ["public"],
                "owner_org": org["id"],
                "organization": org["name"],
                "sharing_class": "mo",
                "vocab_nd47_theme": rng.sample(THEMES, 2),
                "vocab_nd47_province": [org["extras"]["province_code"]],
                "metadata_created": modified.isoformat() + "Z",
                "metadata_modified": modified.isoformat() + "Z",
            }
        )
    for table, data in ((DatasetFact, facts), (QualityScore, scores), (LinkCheck, links)):
        for start in range(0, len(data), 5000):
            session.execute(table.__table__.insert(), data[start : start + 5000])
    session.commit()
    for start in range(0, len(docs), 5000):
        response = requests.post(
            f"{SOLR_URL}/update?commit=false", json=docs[start : start + 5000], timeout=120
        )
        response.raise_for_status()
    requests.get(f"{SOLR_URL}/update?commit=true", timeout=120).raise_for_status()


def measure(app: Any, rounds: int) -> list[float]:
    # the whole WSGI stack, not the bare Flask app: CKAN 2.11 sets the page's
    # language in a middleware around Flask
    client = Client(app)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/oversight/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    return f"median {statistics.median(ordered):.0f} ms, p90 {p90:.0f} ms (n={len(ordered)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 agencies, 100 items, 200 datasets")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    agencies, items, datasets = (4, 100, 200) if args.quick else (64, 10_000, 20_000)

    with tempfile.TemporaryDirectory() as tmp:
        ini = str(
            write_ini(
                os.path.join(tmp, "bench.ini"),
                {
                    "sqlalchemy.url": DB_URL,
                    "solr_url": SOLR_URL,
                    "ckan.redis.url": REDIS_URL,
                    "ckan.site_id": SITE_ID,
                    "ckan.storage_path": tmp,
                    "ckanext.nd47.oversight.assess_on_update": "false",
                },
            )
        )
        print(f"wiping {DB_URL.rsplit('/', 1)[-1]} and {SOLR_URL.rsplit('/', 1)[-1]}", flush=True)
        _ckan(ini, "db", "clean", "--yes")
        _ckan(ini, "db", "init")
        _ckan(ini, "db", "pending-migrations", "--apply")  # every enabled plugin's tables
        requests.post(
            f"{SOLR_URL}/update?commit=true", json={"delete": {"query": "*:*"}}, timeout=60
        ).raise_for_status()

        os.environ.pop("CKAN_SQLALCHEMY_URL", None)
        os.environ.pop("CKAN_SOLR_URL", None)
        os.environ.pop("CKAN_REDIS_URL", None)
        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        config = load_config(ini)
        app = make_app(config)
        flask_app = app._wsgi_app  # type: ignore[attr-defined]
        started = time.perf_counter()
        with flask_app.test_request_context():
            populate(agencies, items, datasets)
        print(
            f"setup: {agencies} agencies, {items} plan items, {datasets} datasets "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        import ckan.plugins.toolkit as tk

        results = {}
        for label, seconds in (("cache warm", "600"), ("no cache", "0")):
            tk.config["ckanext.nd47.oversight.dashboard.cache_seconds"] = seconds
            measure(app, 2)  # warm-up: caches of the process, Redis, PostgreSQL
            results[label] = measure(app, args.rounds)
            print(f"GET /oversight/ ({label}): {_summary(results[label])}", flush=True)
        medians = {k: statistics.median(v) for k, v in results.items()}
        print(json.dumps(medians))
        ratio = medians["cache warm"] / medians["no cache"]
        print(f"ratio cache warm / no cache (median): {ratio:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
