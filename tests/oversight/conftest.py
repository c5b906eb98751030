"""Fixtures of the oversight tests: a complete dataset, a local HTTP server, a local SMTP server."""

from __future__ import annotations

import copy
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests import factories as nd47_factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "example_dataset.json")


def dataset(**kwargs: Any) -> dict[str, Any]:
    """A public open dataset of the project's factory, covering the whole country."""
    return nd47_factories.Dataset(**{"admin_units": ["VN"], **kwargs})


def complete_dataset(owner_org: str, url: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The example dataset (every field filled) for ``owner_org``, its links pointing at ``url``."""
    with open(DATA, encoding="utf-8") as f:
        data = json.load(f)
    data = copy.deepcopy(data)
    data.pop("name")
    data["qualified_attribution"] = []
    if url:
        for res in data["resources"]:
            res["url"] = res["download_url"] = f"{url}/ok.csv"
            res["access_url"] = f"{url}/ok"
    data.update(overrides)
    return nd47_factories.Dataset(owner_org=owner_org, **data)


class _Server:
    """What the local HTTP server saw: requests per path and the most at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.requests: list[tuple[str, str]] = []
        self.url = ""
        self.slow_seconds = 2.0
        self.hold_seconds = 0.0


def _handler(state: _Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, method: str) -> None:
            with state.lock:
                state.active += 1
                state.max_active = max(state.max_active, state.active)
                state.requests.append((method, self.path))
            try:
                path = self.path.split("?")[0]
                if state.hold_seconds:
                    time.sleep(state.hold_seconds)
                if path.startswith("/ok"):
                    self._send(200)
                elif path == "/moved":
                    self.send_response(301)
                    self.send_header("Location", f"{state.url}/ok")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path == "/missing":
                    self._send(404)
                elif path == "/error":
                    self._send(500)
                elif path == "/slow":
                    time.sleep(state.slow_seconds)
                    self._send(200)
                elif path == "/no-head":
                    self._send(405 if method == "HEAD" else 200)
                else:
                    self._send(404)
            finally:
                with state.lock:
                    state.active -= 1

        def _send(self, code: int) -> None:
            body = b"a,b\n1,2\n"
            self.send_response(code)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer("HEAD")

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET")

    return Handler


@pytest.fixture
def http_server() -> Iterator[_Server]:
    """A local HTTP server on 127.0.0.1: /ok, /moved (301 -> /ok), /missing, /error, /slow."""
    state = _Server()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# the link checker may reach the test's own server; no delay between its requests
LINKCHECK_CONFIG = {
    "ckanext.nd47.oversight.linkcheck.deny": "",
    "ckanext.nd47.oversight.linkcheck.host_delay": "0",
    "ckanext.nd47.oversight.linkcheck.timeout": "1",
    "ckanext.nd47.oversight.linkcheck.retries": "1",
    "ckanext.nd47.oversight.assess_on_update": "false",
}


def insert_plan(
    owner_org: str, items: list[dict[str, Any]], period: int = 2026, status: str = "approved"
) -> str:
    """An open-data plan with its items, written straight into the plan tables.

    The plan tracker's own rules are tested in tests/plans; here a plan is only
    the fixture of figures, so its rows are written as they are.
    """
    import uuid

    from ckan import model

    from ckanext.nd47.plans.model import Plan, PlanItem

    plan_id = str(uuid.uuid4())
    model.Session.execute(
        Plan.__table__.insert().values(
            id=plan_id, owner_org=owner_org, period=period, status=status
        )
    )
    for number, item in enumerate(items):
        model.Session.execute(
            PlanItem.__table__.insert().values(
                id=str(uuid.uuid4()),
                plan_id=plan_id,
                code=item.get("code", f"DM{number:02d}"),
                title=item.get("title", f"Dữ liệu {number}"),
                status=item["status"],
                due_date=item.get("due_date"),
                status_changed=item.get("status_changed"),
            )
        )
    model.Session.commit()
    return plan_id
