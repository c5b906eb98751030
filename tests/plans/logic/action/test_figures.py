"""``nd47_plan_figures``: per-agency counts of approved plans, overdue items, change mark."""

from __future__ import annotations

import datetime

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.model import PlanItem
from tests.plans.conftest import call_as, make_item, make_plan

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

ON = datetime.date(2026, 6, 1)


def _set(item: dict, status: str, status_changed: datetime.datetime | None = None) -> None:
    obj = model.Session.get(PlanItem, item["id"])
    obj.status = status
    obj.status_changed = status_changed
    model.Session.commit()


@pytest.fixture
def fixture(agency, other_agency):
    """Agency A: approved plan, five items; agency B: a draft plan with an overdue item."""
    plan = make_plan(agency)
    late = make_item(agency, plan, "A1", due_date="2026-05-01")
    make_item(agency, plan, "A2", due_date="2026-07-01")
    on_time = make_item(agency, plan, "A3", due_date="2026-05-01")
    too_late = make_item(agency, plan, "A4", due_date="2026-03-01")
    withdrawn = make_item(agency, plan, "A5", due_date="2026-01-01")
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    _set(on_time, workflow.PUBLISHED, datetime.datetime(2026, 4, 20))
    _set(too_late, workflow.PUBLISHED, datetime.datetime(2026, 4, 20))
    _set(withdrawn, workflow.WITHDRAWN)
    draft = make_plan(other_agency)
    make_item(other_agency, draft, "B1", due_date="2026-01-01")
    return {"a": agency.org["id"], "b": other_agency.org["id"], "late": late}


def _figures(user, **data):
    return call_as(user, "nd47_plan_figures", today=ON.isoformat(), **data)


def test_figures_of_approved_plans(fixture):
    got = _figures(None, org_ids=[fixture["a"], fixture["b"]])
    assert got["agencies"] == {
        fixture["a"]: {
            "planned": 5,
            "published": 2,
            "closed": 1,
            "overdue": 1,
            "published_due": 2,
            "on_time": 1,
        }
    }
    assert [(row["code"], row["due_date"]) for row in got["overdue_items"]] == [
        ("A1", "2026-05-01")
    ]
    assert got["overdue_items"][0]["owner_org"] == fixture["a"]


def test_drafts_never_counted_even_for_their_agency(fixture, other_agency):
    got = _figures(other_agency.admin, org_ids=[fixture["b"]])
    assert got["agencies"] == {} and got["overdue_items"] == []


def test_period_and_agencies_filter(fixture):
    assert _figures(None, org_ids=[fixture["a"]], period=2025)["agencies"] == {}
    assert _figures(None, org_ids=[])["agencies"] == {}


def test_change_mark_moves_with_any_item(fixture):
    first = _figures(None, change_mark_only=True)
    assert set(first) == {"change_mark"}
    call_as(None, "nd47_plan_figures")  # anonymous users may ask (approved plans are public)
    _set(fixture["late"], workflow.PREPARING)
    model.Session.get(PlanItem, fixture["late"]["id"]).modified = datetime.datetime(2030, 1, 1)
    model.Session.commit()
    assert _figures(None, change_mark_only=True) != first
