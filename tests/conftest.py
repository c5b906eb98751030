"""Shared fixtures. Tests run against the project's real PostgreSQL, Solr 9 and Redis."""

from __future__ import annotations

import pytest


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.Sysadmin()
