"""Every benchmark runs, once, at its tiniest size, as ``make bench`` runs it.

``bench/run.py --quick`` empties and initialises the test database (CKAN's
tables and every plugin's migrations), then runs the script; no figure is
checked (the machine is shared), only that the benchmark still works.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.migrations import migrate_enabled

ROOT = Path(__file__).resolve().parents[2]


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = _runner()
# What a working run of each benchmark prints (its summary line).
SUMMARY = {
    "bench_schema": "ratio nd47 / dcat_ap_full, cpu time",
    "bench_dcat": "ratio",
    "bench_similar": "precision@5",
    "bench_search": "latency ratio after / before",
    "bench_load": "ratio p50",
    "bench_bulk": "ratio bulk import / one-by-one package_create",
}


@pytest.fixture
def restore_test_database(reset_db, migrate_db_for, ckan_config):
    """The runner wipes the test database: leave it as clean_db would."""
    from ckan import model

    model.Session.remove()
    yield
    from ckan.lib import search

    model.Session.remove()
    reset_db()
    migrate_enabled(migrate_db_for, ckan_config.get("ckan.plugins"))
    search.clear_all()


def test_every_bench_script_is_found() -> None:
    assert "bench_schema" in [path.stem for path in RUNNER.scripts()]


# with_plugins: the migrations of nd47 are found through the loaded plugin
@pytest.mark.usefixtures("with_plugins", "restore_test_database")
@pytest.mark.parametrize("name", [path.stem for path in RUNNER.scripts()])
def test_benchmark_runs_quick_on_a_fresh_database(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--only", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert f"== {name}: exit 0" in done.stdout
    if name in SUMMARY:
        assert SUMMARY[name] in done.stdout, output[-4000:]


def test_runner_refuses_a_database_it_must_not_wipe(monkeypatch) -> None:
    monkeypatch.setenv("CKAN_SQLALCHEMY_URL", "postgresql://u:p@127.0.0.1:5433/ckan_nd47_dev")
    with pytest.raises(SystemExit, match="refusing to wipe"):
        RUNNER.main(["--quick"])
