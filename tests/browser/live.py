"""A live CKAN server and a headless Chromium for end-to-end tests.

``ckan_server`` (session scope) starts ``ckan -c <ini> run`` on 127.0.0.1 with
a free port in 5101-5199, against the test database and Solr core the test run
uses (CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL are inherited), with Vietnamese as
the default locale; it waits until the API answers and stops the server at the
end of the session. ``browser`` is Debian's Chromium driven by Playwright
(never ``playwright install``: nothing is downloaded). ``tests/conftest.py``
imports both, so every suite can ask for them; the server only starts when a
test needs it.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ini import write_ini

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5101, 5200)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    # in random order: two test runs at once (CKAN 2.11 and 2.12, or two
    # checkouts) would otherwise race for the same lowest free port
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 5101-5199 for the test CKAN server")


def _server_ini(tmp: Path, port: int, options: dict[str, str]) -> Path:
    """A config extending test.ini: Vietnamese by default, CSRF on."""
    return write_ini(
        tmp / "server.ini",
        {
            "ckan.site_url": f"http://127.0.0.1:{port}",
            "ckan.locale_default": "vi",
            "ckan.locales_offered": "vi en",
            "WTF_CSRF_ENABLED": "true",
            # users without a picture get CKAN's local placeholder, not gravatar.com
            "ckan.gravatar_default": "disabled",
            **options,
        },
        defaults={"debug": "false"},
    )


@contextmanager
def running(command: list[str], url: str, log_path: Path, env: dict[str, str]) -> Iterator[None]:
    """Run a web server ``command`` until its API answers on ``url``; stop it after.

    Its output goes to ``log_path``; the last of it is in the error when the
    server exits or does not answer within 90 s. Also used by bench/bench_load.py.
    """
    log = open(log_path, "wb")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                output = log_path.read_text(errors="replace")
                raise RuntimeError(f"{Path(command[0]).name} exited: {output[-3000:]}")
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{Path(command[0]).name} did not answer on {url} within 90 s")
            time.sleep(0.5)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def live_ckan(tmp: Path, **options: str) -> Iterator[str]:
    """Run ``ckan run`` on the test database and Solr core; yield its base URL.

    The server inherits CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL / CKAN_REDIS_URL
    from the test run; ``options`` are added to its config.
    """
    port = free_port()
    ini = _server_ini(tmp, port, options)
    ckan = Path(sys.executable).with_name("ckan")
    url = f"http://127.0.0.1:{port}"
    command = [str(ckan), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "-r", "-t"]
    with running(command, url, tmp / "server.log", dict(os.environ)):
        yield url


@pytest.fixture(scope="session")
def ckan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a live CKAN server on the test database (whole session)."""
    with live_ckan(tmp_path_factory.mktemp("ckan-server")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright.

    Module scope: Playwright's sync API cannot run twice at once in one
    thread, so each test module starts and stops its own.
    """
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def login(page: Any, base: str, user: str, password: str) -> None:
    """Log ``user`` in through CKAN's login form and wait for the answer.

    Waiting for the navigation the submit starts (not just a load state, which
    may already be reached) keeps a following ``goto`` from cancelling the
    login request on a busy machine.
    """
    page.goto(f"{base}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.press("#field-password", "Enter")
    assert "/user/login" not in page.url, f"login of {user} failed"


def _docs_folder() -> Path | None:
    """Where pictures for the docs go: ND47_SCREENSHOTS=1 means docs/screenshots,
    another value names a folder; unset, none are kept."""
    value = os.environ.get("ND47_SCREENSHOTS")
    if not value:
        return None
    folder = ROOT / "docs" / "screenshots" if value in ("1", "true", "yes") else Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot_folder(tmp_path: Path) -> Path:
    """docs/screenshots with ND47_SCREENSHOTS set (to refresh the docs), else the test's folder."""
    return _docs_folder() or tmp_path


def screenshots(page: Any, name: str) -> None:
    """Desktop and 390 px pictures of the page, when ND47_SCREENSHOTS is set."""
    folder = _docs_folder()
    if folder is None:
        return
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(size)
