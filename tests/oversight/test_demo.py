"""The demo data fills every oversight page: plans in every status, link checks, scores."""

from __future__ import annotations

import importlib.util
import os

import pytest
from ckan.tests import helpers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load_demo() -> None:
    spec = importlib.util.spec_from_file_location(
        "demo_data", os.path.join(ROOT, "scripts", "demo_data.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._load_all()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config("ckanext.nd47.oversight.dashboard.cache_seconds", "0")
def test_demo_fills_the_dashboards(app):
    _load_demo()
    figures = helpers.call_action("nd47_dashboard_show")
    agencies = figures["agencies"]
    assert len(agencies) == 6
    assert all(row["planned"] >= 6 for row in agencies)
    assert figures["plans"]["overdue"] > 0
    assert figures["plans"]["published"] >= 11
    assert figures["plans"]["on_time_rate"] is not None
    statuses = {
        item["status"] for item in helpers.call_action("nd47_plan_item_list", limit=1000)["results"]
    }
    assert statuses == {
        "planned",
        "preparing",
        "in_review",
        "published",
        "withdrawn",
        "cannot_be_opened",
    }
    assert figures["links"]["broken"] == 3
    assert figures["quality"]["scored"] >= 10
    assert figures["stale"]["count"] >= 1
    # a published item whose data is older than its cadence allows
    late = helpers.call_action("nd47_plan_item_overdue_list", kind="update_overdue")
    assert late["count"] >= 1
    assert {row["band"] for row in figures["quality"]["lowest"]} - {"bad"}
    for url in ("/", "/oversight/", "/oversight/agency/ubnd-tinh-nghe-an"):
        assert app.get(url).status_code == 200
