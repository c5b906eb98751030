"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

import pytest

# A live CKAN server (ports 5101-5199) and headless Chromium, for any suite.
from tests.browser.live import browser, ckan_server  # noqa: F401


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db plus the extension's own tables (migrations of ``nd47``
    and ``nd47_feedback``).

    Every suite gets it: with ``nd47_plans`` enabled, dataset hooks read the
    plan tables, so they must exist after each reset (as ckanext-harvest's
    tests do for theirs); suites with ``nd47_feedback`` need its tables.
    """
    import ckan.plugins as p

    reset_db()
    migrate_db_for("nd47")
    # CKAN finds a plugin's migrations through the loaded plugin
    if p.plugin_loaded("nd47_feedback"):
        migrate_db_for("nd47_feedback")


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.Sysadmin()
