"""The portal under gunicorn (deploy/wsgi.py, as ``make serve-prod`` and
``ckan-web.service`` run it) writes gunicorn's access log.

CKAN's config loader reads the ini's logging sections with the setting that
disables every logger already set up, gunicorn's among them: its access log
stayed empty until deploy/wsgi.py turned them back on.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.browser.live import ROOT, free_port, running
from tests.ini import write_ini

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _lines(path: Path, count: int) -> list[str]:
    """The log's lines once it has ``count`` (gunicorn writes after answering)."""
    end = time.monotonic() + 20
    lines: list[str] = []
    while time.monotonic() < end:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) >= count:
            break
        time.sleep(0.2)
    return lines


def test_gunicorn_writes_an_access_line_per_request(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ini = write_ini(tmp_path / "gunicorn.ini", {"ckan.site_url": url})
    access = tmp_path / "access.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        *("--chdir", str(ROOT / "deploy"), "wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"),
        *("--access-logfile", str(access)),
    ]
    with running(command, url, tmp_path / "gunicorn.log", {**os.environ, "CKAN_INI": str(ini)}):
        assert requests.get(f"{url}/dataset/", timeout=60).status_code == 200
        assert requests.get(f"{url}/khong-co-trang-nay", timeout=60).status_code == 404
        lines = _lines(access, 3)

    # the readiness probe of running(), then the two requests, in order
    assert any('"GET /api/3/action/status_show HTTP/1.1" 200' in line for line in lines)
    assert '"GET /dataset/ HTTP/1.1" 200' in lines[-2]
    assert '"GET /khong-co-trang-nay HTTP/1.1" 404' in lines[-1]
