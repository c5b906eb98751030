"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

import pytest

# A live CKAN server (ports 5101-5199) and headless Chromium, for any suite.
from tests.browser.live import browser, ckan_server  # noqa: F401
from tests.migrations import migrate_enabled


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
