"""A live CKAN server in Vietnamese for the browser tests (tests/i18n only).

`ckan run` in a subprocess on a free port in 5301-5399, against the test
database and Solr core of this run (CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL from
the Makefile), with Vietnamese as the default locale.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5301, 5400)
PASSWORD = "Mat-khau-2026"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 5301-5399")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a CKAN server whose default locale is vi."""
    from ckan.lib import search
    from ckan.tests.helpers import reset_db

    # A clean database and index before the server opens its connections.
    reset_db()
    search.clear_all()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # test.ini keeps English as the default; the server runs a config that
    # extends it with the demo's locale settings.
    ini = tmp_path_factory.mktemp("live") / "live.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT / 'test.ini'}\n"
        "ckan.locale_default = vi\n"
        "ckan.locales_offered = vi en\n"
        f"ckan.site_url = {base}\n"
    )
    env = dict(os.environ, CKAN_SITE_URL=base)
    ckan = Path(sys.executable).with_name("ckan")
    (ROOT / ".run").mkdir(exist_ok=True)
    log = open(ROOT / ".run" / f"ckan-i18n-{port}.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [str(ckan), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "-r"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ckan run exited with {proc.returncode}, see {log.name}")
            try:
                if requests.get(f"{base}/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"ckan run did not answer on {base}, see {log.name}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def portal(live_server: str) -> dict[str, str]:
    """A sysadmin, an agency and a dataset with a resource, in Vietnamese."""
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    user = factories.Sysadmin(name="quan-tri", fullname="Quản trị viên", password=PASSWORD)
    agency = factories.Organization(
        name="so-tai-nguyen-moi-truong",
        title="Sở Tài nguyên và Môi trường tỉnh Nghệ An",
        description="Cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh.",
        user=user,
    )
    dataset = call_action(
        "package_create",
        context={"user": user["name"]},
        name="chat-luong-khong-khi-2026",
        title="Chất lượng không khí tỉnh Nghệ An năm 2026",
        notes="Kết quả quan trắc chất lượng không khí tại các trạm tự động.",
        owner_org=agency["id"],
        tags=[{"name": "môi trường"}, {"name": "không khí"}],
        resources=[
            {
                "name": "Số liệu quan trắc tháng 11",
                "description": "Giá trị PM2.5 trung bình ngày theo trạm.",
                "url": "https://example.invalid/quan-trac-11.csv",
                "format": "CSV",
                "size": 123456,
            }
        ],
    )
    return {
        "base": live_server,
        "user": user["name"],
        "password": PASSWORD,
        "agency": agency["name"],
        "dataset": dataset["name"],
        "resource": dataset["resources"][0]["id"],
    }
