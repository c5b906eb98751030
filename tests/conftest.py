"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# A live CKAN server (ports 5101-5199) and headless Chromium, for any suite.
from tests.browser.live import browser, ckan_server  # noqa: F401
from tests.migrations import migrate_enabled
from tests.smtp import SMTPServer


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's clean_db plus the tables of this package's enabled plugins.

    Plugin hooks read their own tables (plans, sharing, oversight, feedback),
    so the tables must exist after each reset, as ckanext-harvest's tests do
    for theirs. A suite without a plugin gets none of its tables.
    """
    reset_db()
    migrate_enabled(migrate_db_for, ckan_config.get("ckan.plugins"))


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.Sysadmin()


@pytest.fixture
def smtp(app, ckan_config, monkeypatch) -> Iterator[SMTPServer]:
    """A local SMTP server for the test; CKAN's mailer sends to it.

    It asks for ``app``: mails hold links built by ``url_for`` outside a
    request, from the Flask app made last, which must have this test's
    plugins' blueprints (an earlier module's app may not).
    """
    with SMTPServer() as server:
        monkeypatch.setitem(ckan_config, "smtp.server", server.address)
        yield server


# Tests that drive a live ``ckan run`` server (a browser, a harvester) depend
# on another process answering in time; on a loaded machine a first attempt
# can time out. They are retried twice (pytest-rerunfailures, in the "test"
# extra); a real defect fails all three attempts.
LIVE_SERVER_FIXTURES = {"ckan_server", "live_server", "browser"}


def _drives_a_live_server(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return bool(LIVE_SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))) or (
        module is not None and "live_ckan" in vars(module)
    )


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if _drives_a_live_server(item):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=2))
