"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

import pytest

# A live CKAN server (ports 5101-5199) and headless Chromium, for any suite.
from tests.browser.live import browser, ckan_server  # noqa: F401


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.Sysadmin()
