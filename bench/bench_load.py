"""Benchmark: the portal under load, served as in production (gunicorn workers).

Run through the bench runner (it WIPES the database and Solr core it points at)::

    make bench BENCH_ARGS="--only bench_load"                  # 1, 8 and 32 users
    make bench BENCH_ARGS="--only bench_load -- --workers 8"

or against a portal already running on this machine (``make serve-prod``),
which it only reads::

    .venv/bin/python bench/bench_load.py --base http://127.0.0.1:5080

Without ``--base`` it loads the Vietnamese demo data (scripts/demo_data.py)
into the database of ``CKAN_SQLALCHEMY_URL`` with the plugins of dev.ini,
starts gunicorn (``deploy/wsgi.py``, ``--workers`` processes) on a free
loopback port in 5101-5199, measures, and stops it.

What it measures: anonymous visitors, each a thread with its own HTTP
session, going round a mix of pages without pause: a search
(``/dataset/?q=...``), a dataset page, ``/catalog.ttl``, the plan list, a
plan page, the national and an agency oversight dashboard. For each number
of concurrent users (``--users``, default 1, 8, 32) every user makes
``--requests`` requests or stops at ``--seconds``, whichever comes first.
It prints p50 and p99 of the response time, requests per second, and error
counts (5xx, other non-2xx, connection errors) per level and per page, then
the ratio of p50 at each level to p50 at one user. Loopback only: another
host is refused. Exit status 1 when any request answered 5xx or failed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the live-server helpers of the test suite: a free port, start and wait, stop
from tests.browser.live import free_port, running  # noqa: E402
from tests.ini import write_ini  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Words of the demo data (and one that matches nothing)
QUERIES = ["dân cư", "ngân sách", "y tế", "doanh nghiệp", "Nghệ An", "không có gì"]

# what load.ini sets over dev.ini (tests/ini.py's write_ini adds the logging
# sections that CKAN 2.11 wants in the very file it is given)
OPTIONS = {
    "sqlalchemy.url": "{db}",
    "solr_url": "{solr}",
    "ckan.redis.url": "{redis}",
    "ckan.site_id": "nd47_bench_load",
    "ckan.site_url": "{site_url}",
    "ckan.storage_path": "{tmp}/storage",
    "cache_dir": "{tmp}/cache",
    # no job worker runs here: the demo data's own scores are enough
    "ckanext.nd47.oversight.assess_on_update": "false",
}


@dataclass
class Level:
    """The results of one number of concurrent users."""

    users: int
    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    server_errors: int = 0
    other_status: int = 0
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, elapsed: float, status: int | None) -> None:
        with self.lock:
            self.times.setdefault(page, []).append(elapsed)
            if status is None:
                self.failures += 1
            elif status >= 500:
                self.server_errors += 1
            elif not 200 <= status < 400:
                self.other_status += 1

    def all_times(self) -> list[float]:
        return [t for times in self.times.values() for t in times]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p99 of few values is their maximum)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(share * len(ordered) + 0.999999)))
    return ordered[rank - 1]


def pages(base: str) -> list[tuple[str, str]]:
    """(page name, URL) of the mix, found through the public API."""
    found = requests.get(
        f"{base}/api/3/action/package_search", params={"rows": 5, "fl": "name"}, timeout=60
    ).json()["result"]["results"]
    plans = requests.get(f"{base}/api/3/action/nd47_plan_list", timeout=60).json()["result"]
    agencies = requests.get(f"{base}/api/3/action/organization_list", timeout=60).json()["result"]
    if not found or not plans["results"] or not agencies:
        sys.exit(f"{base} has no public dataset, plan or agency: load the demo data first")
    mix = [(f"search {q}", f"{base}/dataset/?q={quote(q)}") for q in QUERIES[:2]]
    mix += [
        ("dataset page", f"{base}/dataset/{found[0]['name']}"),
        ("catalog.ttl", f"{base}/catalog.ttl"),
        ("plan list", f"{base}/plan/"),
        ("plan page", f"{base}/plan/{plans['results'][0]['id']}"),
        ("dashboard", f"{base}/oversight/"),
        ("agency dashboard", f"{base}/oversight/agency/{agencies[-1]}"),
    ]
    return mix


def run_level(mix: list[tuple[str, str]], users: int, requests_each: int, limit: float) -> Level:
    """``users`` threads, each making ``requests_each`` requests or stopping at ``limit`` s."""
    level = Level(users)
    deadline = time.monotonic() + limit

    def user(offset: int) -> None:
        with requests.Session() as session:
            for n in range(requests_each):
                if time.monotonic() > deadline:
                    return
                page, url = mix[(offset + n) % len(mix)]
                start = time.perf_counter()
                try:
                    status: int | None = session.get(url, timeout=60).status_code
                except requests.RequestException:
                    status = None
                level.record(page, time.perf_counter() - start, status)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.monotonic() - start
    return level


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(levels: list[Level]) -> None:
    print("| users | requests | req/s | p50 | p99 | 5xx | other non-2xx | failed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for level in levels:
        times = level.all_times()
        print(
            f"| {level.users} | {len(times)} | {len(times) / level.seconds:.1f} "
            f"| {_ms(statistics.median(times))} | {_ms(percentile(times, 0.99))} "
            f"| {level.server_errors} | {level.other_status} | {level.failures} |"
        )
    print()
    print("| page | " + " | ".join(f"p50 / p99 at {level.users}" for level in levels) + " |")
    print("| --- |" + " --- |" * len(levels))
    for page in dict.fromkeys(page for level in levels for page in level.times):
        cells = []
        for level in levels:
            times = level.times.get(page) or [float("nan")]
            cells.append(f"{_ms(statistics.median(times))} / {_ms(percentile(times, 0.99))}")
        print(f"| {page} | " + " | ".join(cells) + " |")
    print()
    first = statistics.median(levels[0].all_times())
    for level in levels[1:]:
        ratio = statistics.median(level.all_times()) / first
        print(f"ratio p50 at {level.users} users / {levels[0].users} user: {ratio:.2f}x")


def _ckan(ini: Path, *args: str) -> None:
    command = [str(Path(sys.executable).with_name("ckan")), "-c", str(ini), *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"ckan {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


@contextmanager
def gunicorn_portal(tmp: Path, workers: int) -> Iterator[str]:
    """The demo data in the runner's database, served by gunicorn; yields its URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ini = tmp / "load.ini"
    values = {
        "db": os.environ["CKAN_SQLALCHEMY_URL"],
        "solr": os.environ["CKAN_SOLR_URL"],
        "redis": os.environ["CKAN_REDIS_URL"],
        "site_url": base,
        "tmp": tmp,
    }
    write_ini(ini, {k: v.format(**values) for k, v in OPTIONS.items()}, base=ROOT / "dev.ini")
    (tmp / "storage").mkdir()
    started = time.monotonic()
    # the runner initialised test.ini's plugins; dev.ini also has activity and sharing
    _ckan(ini, "db", "pending-migrations", "--apply")
    done = subprocess.run(
        [sys.executable, "scripts/demo_data.py", str(ini)], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"demo data failed:\n{done.stderr[-4000:]}")
    print(f"demo data loaded in {time.monotonic() - started:.0f} s", flush=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("CKAN_")}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        *("--chdir", str(ROOT / "deploy"), "wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"),
    ]
    with running(command, base, tmp / "gunicorn.log", {**env, "CKAN_INI": str(ini)}):
        yield base


def measure(base: str, users: list[int], requests_each: int, limit: float) -> list[Level]:
    mix = pages(base)
    # each page a few times first: a worker's first requests compile
    # templates and read the vocabularies
    run_level(mix, 4, len(mix), limit)
    levels = []
    for count in users:
        level = run_level(mix, count, requests_each, limit)
        print(
            f"{count} users: {len(level.all_times())} requests in {level.seconds:.1f} s", flush=True
        )
        levels.append(level)
    return levels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 2 users, each page once")
    parser.add_argument("--base", help="a portal already running on this machine (read only)")
    parser.add_argument("--users", default="1,8,32", help="concurrent users per level")
    parser.add_argument("--requests", type=int, default=24, help="requests per user and level")
    parser.add_argument("--seconds", type=float, default=120, help="time limit per level")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (without --base)")
    args = parser.parse_args(argv)
    users = [int(n) for n in args.users.split(",")]
    if args.quick:
        users, args.requests, args.seconds, args.workers = [1, 2], 8, 60, 2

    if args.base:
        if urlsplit(args.base).hostname not in LOOPBACK:
            sys.exit(f"refusing {args.base}: the load runs on this machine only (loopback)")
        levels = measure(args.base.rstrip("/"), users, args.requests, args.seconds)
        where = f"{args.base} (already running)"
    else:
        with (
            tempfile.TemporaryDirectory(prefix="nd47-load-") as tmp,
            gunicorn_portal(Path(tmp), args.workers) as base,
        ):
            levels = measure(base, users, args.requests, args.seconds)
        where = f"gunicorn, {args.workers} workers"
    print(f"\nLoad on {where}, {args.requests} requests per user or {args.seconds:.0f} s:\n")
    report(levels)
    bad = sum(level.server_errors + level.failures for level in levels)
    if bad:
        print(f"{bad} requests answered 5xx or failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
