"""PostgreSQL restarted for real under a running portal: the next request works.

The test starts a PostgreSQL cluster of its own (tests/deploy/postgres.py),
creates the portal's tables in it, runs a live ``ckan run`` server on it (the
shared Solr core and Redis database of the test run), then stops and starts
the cluster with ``pg_ctl restart -m fast``. The server's pooled connections
are dead after that; CKAN's ``sqlalchemy.pool_pre_ping`` (on by default)
replaces them when they are next checked out, so the first request after the
restart is served.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.browser.live import ROOT, live_ckan
from tests.deploy.postgres import OwnPostgres
from tests.ini import write_ini

TITLE = "Danh mục trường học"


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    cluster = OwnPostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def portal(
    own_postgres: OwnPostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str]]:
    """A live server on the own cluster: its URL and the name of its one dataset.

    Its own ``ckan.site_id`` keeps its documents apart in the shared Solr
    core; they are deleted at the end.
    """
    site_id = f"nd47_pg_restart_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("CKAN_SQLALCHEMY_URL", own_postgres.url)
    ini = tmp_path / "prepare.ini"
    write_ini(ini, {"ckan.site_id": site_id})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.deploy.postgres", "prepare", str(ini)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        name = done.stdout.strip().splitlines()[-1]
        with live_ckan(tmp_path, **{"ckan.site_id": site_id}) as url:
            yield url, name
    finally:
        solr = os.environ.get("CKAN_SOLR_URL")
        if solr:
            requests.post(
                f"{solr}/update?commit=true",
                json={"delete": {"query": f'site_id:"{site_id}"'}},
                timeout=30,
            )


def _served(url: str, name: str) -> None:
    page = requests.get(f"{url}/dataset/{name}", timeout=60)
    assert page.status_code == 200, page.text[:2000]
    assert TITLE in page.text
    shown = requests.get(f"{url}/api/3/action/package_show", params={"id": name}, timeout=60)
    assert shown.status_code == 200, shown.text[:2000]
    assert shown.json()["result"]["title"] == TITLE


def test_the_next_request_after_a_postgresql_restart_is_served(
    own_postgres: OwnPostgres, portal: tuple[str, str]
) -> None:
    url, name = portal
    # twice: the server's pool holds connections opened before the restart
    _served(url, name)
    _served(url, name)

    own_postgres.restart()

    _served(url, name)
    listed = requests.get(f"{url}/api/3/action/package_list", timeout=60)
    assert listed.status_code == 200 and listed.json()["result"] == [name]
