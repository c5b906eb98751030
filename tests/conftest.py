"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

import pytest

# A live CKAN server (ports 5101-5199) and headless Chromium, for any suite.
from tests.browser.live import browser, ckan_server  # noqa: F401
from tests.migrations import migrate_plans


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's clean_db plus the plan tables when ``nd47_plans`` is configured.

    With ``nd47_plans`` enabled, dataset hooks read the plan tables, so they
    must exist after each reset (as ckanext-harvest's tests do for theirs).
    A suite without it gets no plan tables.
    """
    import ckan.plugins.toolkit as tk

    reset_db()
    if "nd47_plans" in tk.aslist(ckan_config.get("ckan.plugins")):
        migrate_plans(migrate_db_for)


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.Sysadmin()
