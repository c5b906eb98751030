#!/usr/bin/env python3
"""Run every benchmark (``bench/bench_*.py``) on a fresh database: ``make bench``.

    CKAN_SQLALCHEMY_URL=... CKAN_SOLR_URL=... CKAN_REDIS_URL=... \\
    .venv/bin/python bench/run.py [--quick] [--only bench_schema] [-- extra args]

Before each script the database named by ``CKAN_SQLALCHEMY_URL`` is emptied
(``ckan db clean``, which also clears the Solr core of ``CKAN_SOLR_URL``) and
initialised with CKAN's tables and the migrations of every plugin enabled in
test.ini (``ckan db init``); the script then runs with the same three
variables. ``make bench`` creates that database (``ckan_nd47_bench``) and Solr
core (``ckan_bench``) through scripts/stack.sh first. ``--quick`` runs each
benchmark once at its tiniest size (the test suite does this so that none can
rot); its figures mean nothing.

The runner refuses a database whose name does not contain "bench" or "test":
it wipes it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
REQUIRED_ENV = ("CKAN_SQLALCHEMY_URL", "CKAN_SOLR_URL", "CKAN_REDIS_URL")


def scripts() -> list[Path]:
    """Every benchmark script, by name."""
    return sorted(BENCH_DIR.glob("bench_*.py"))


def _ckan(*args: str) -> None:
    command = [str(Path(sys.executable).with_name("ckan")), "-c", str(ROOT / "test.ini"), *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command[1:])} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")


def fresh_database() -> None:
    """CKAN's tables and every enabled plugin's migrations, nothing else."""
    _ckan("db", "clean", "--yes")
    _ckan("db", "init")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiniest size, once (no figures)")
    parser.add_argument("--only", action="append", help="a script name (repeatable)")
    parser.add_argument("extra", nargs="*", help="arguments passed on to every script")
    args = parser.parse_args(argv)

    missing = [name for name in REQUIRED_ENV if not os.environ.get(name)]
    if missing:
        sys.exit(f"set {', '.join(missing)} (make bench does)")
    database = os.environ["CKAN_SQLALCHEMY_URL"].rsplit("/", 1)[-1]
    if "bench" not in database and "test" not in database:
        sys.exit(f"refusing to wipe the database {database!r}: not a bench or test database")

    chosen = [path for path in scripts() if not args.only or path.stem in args.only]
    if not chosen:
        sys.exit(f"no benchmark called {args.only}; have: {[p.stem for p in scripts()]}")
    failed = []
    for path in chosen:
        print(f"== {path.stem} (database {database})", flush=True)
        fresh_database()
        start = time.monotonic()
        command = [sys.executable, str(path), *(["--quick"] if args.quick else []), *args.extra]
        done = subprocess.run(command, cwd=ROOT)
        print(f"== {path.stem}: exit {done.returncode} in {time.monotonic() - start:.0f} s")
        if done.returncode:
            failed.append(path.stem)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
