"""Computed flags (overdue, update overdue, review due) with frozen time."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.nd47.plans import workflow
from tests.plans.conftest import open_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def plan_of(agency, **kw):
    return helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026, **kw)


def item_of(plan, code="A", **kw):
    return helpers.call_action(
        "nd47_plan_item_create", plan_id=plan["id"], code=code, title=code, **kw
    )


class TestOverdue:
    def test_due_date_passed_and_not_published(self, agency, freezer):
        freezer.move_to("2026-05-01")
        plan = plan_of(agency)
        late = item_of(plan, "LATE", due_date="2026-04-30")
        today = item_of(plan, "TODAY", due_date="2026-05-01")
        nodate = item_of(plan, "NODATE")
        assert helpers.call_action("nd47_plan_item_show", id=late["id"])["overdue"] is True
        assert helpers.call_action("nd47_plan_item_show", id=today["id"])["overdue"] is False
        assert helpers.call_action("nd47_plan_item_show", id=nodate["id"])["overdue"] is False
        listed = helpers.call_action("nd47_plan_item_list", overdue=True)
        assert [i["code"] for i in listed["results"]] == ["LATE"]
        not_late = helpers.call_action("nd47_plan_item_list", overdue=False)
        assert sorted(i["code"] for i in not_late["results"]) == ["NODATE", "TODAY"]
        assert helpers.call_action("nd47_plan_show", id=plan["id"])["progress"]["overdue"] == 1
        # time passes: the flag follows the clock, nothing is stored
        freezer.move_to("2026-05-02")
        assert helpers.call_action("nd47_plan_item_show", id=today["id"])["overdue"] is True
        assert helpers.call_action("nd47_plan_item_list", overdue=True)["count"] == 2

    @pytest.mark.freeze_time("2026-05-01")
    def test_side_exits_and_published_are_never_overdue(self, agency):
        plan = plan_of(agency)
        item = item_of(plan, due_date="2026-01-01")
        helpers.call_action(
            "nd47_plan_item_status_update", id=item["id"], status="withdrawn", reason="x"
        )
        assert helpers.call_action("nd47_plan_item_show", id=item["id"])["overdue"] is False
        pkg = open_dataset(agency.org["id"])
        other = item_of(plan, "B", due_date="2026-01-01", package_id=pkg["id"])
        assert other["status"] == workflow.PUBLISHED and other["overdue"] is False


class TestUpdateOverdue:
    @pytest.mark.freeze_time("2026-05-01")
    @pytest.mark.parametrize(
        "cadence,modified,expected",
        [
            # quarterly: 3 months grace + 92 days (as for "stale") -> cut-off 2025-11-01
            ("QUARTERLY", "2025-10-31", True),
            ("QUARTERLY", "2025-11-01", False),
            # annual: 3 months + 366 days -> cut-off 2025-01-31
            ("ANNUAL", "2025-01-30", True),
            ("ANNUAL", "2025-03-01", False),
            # irregular: never
            ("IRREG", "2000-01-01", False),
            (None, "2000-01-01", False),
        ],
    )
    def test_cadence_plus_grace(self, agency, cadence, modified, expected):
        plan = plan_of(agency)
        pkg = open_dataset(agency.org["id"], modified=modified)
        item = item_of(plan, update_cadence=cadence, package_id=pkg["id"])
        shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
        assert shown["status"] == workflow.PUBLISHED
        assert shown["update_overdue"] is expected
        listed = helpers.call_action("nd47_plan_item_list", update_overdue=True)
        assert listed["count"] == int(expected)
        overdue = helpers.call_action("nd47_plan_item_overdue_list", kind="update_overdue")
        assert overdue["count"] == int(expected)

    @pytest.mark.freeze_time("2026-05-01")
    @pytest.mark.ckan_config("ckanext.nd47.plans.update_grace_months", 0)
    def test_grace_is_configurable(self, agency):
        plan = plan_of(agency)
        pkg = open_dataset(agency.org["id"], modified="2026-01-15")
        item = item_of(plan, update_cadence="QUARTERLY", package_id=pkg["id"])
        assert helpers.call_action("nd47_plan_item_show", id=item["id"])["update_overdue"]

    def test_a_description_edit_keeps_it_overdue_new_data_clears_it(self, agency, freezer):
        freezer.move_to("2026-01-10")
        plan = plan_of(agency)
        pkg = open_dataset(agency.org["id"], modified="2025-12-01")
        item = item_of(plan, update_cadence="MONTHLY", package_id=pkg["id"])

        def flag() -> bool:
            return helpers.call_action("nd47_plan_item_show", id=item["id"])["update_overdue"]

        assert flag() is False
        # 31 days + 3 months of grace later, fixing a typo is not new data
        freezer.move_to("2026-05-10")
        assert flag() is True
        helpers.call_action("package_patch", id=pkg["id"], notes="Sửa lỗi chính tả.")
        assert flag() is True
        helpers.call_action(
            "resource_create",
            package_id=pkg["id"],
            url="https://example.gov.vn/du-lieu-2026-05.csv",
            format="CSV",
            last_modified="2026-05-10T08:00:00",
        )
        assert flag() is False
        shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
        assert shown["data_modified"] == "2026-05-10T08:00:00"


class TestReviewDue:
    @pytest.mark.freeze_time("2026-05-01")
    def test_next_review_and_flag(self, agency):
        plan = plan_of(agency, last_review="2025-10-15")
        assert plan["next_review_due"] == "2026-04-15"
        assert plan["review_overdue"] is True
        later = helpers.call_action("nd47_plan_update", id=plan["id"], last_review="2026-04-20")
        assert later["next_review_due"] == "2026-10-20"
        assert later["review_overdue"] is False

    @pytest.mark.freeze_time("2026-05-01")
    @pytest.mark.ckan_config("ckanext.nd47.plans.review_interval_months", 12)
    def test_interval_is_configurable(self, agency):
        plan = plan_of(agency, decision_date="2026-01-10")
        assert plan["next_review_due"] == "2027-01-10"

    def test_no_date_no_deadline(self, agency):
        plan = plan_of(agency)
        assert plan["next_review_due"] is None
        assert plan["review_overdue"] is False


class TestProgressAndLimits:
    @pytest.mark.freeze_time("2026-05-01")
    def test_progress_leaves_side_exits_out(self, agency):
        plan = plan_of(agency)
        for code in ("P1", "P2"):
            item_of(plan, code, package_id=open_dataset(agency.org["id"])["id"])
        item_of(plan, "LATE", due_date="2026-04-01")
        item_of(plan, "LATER", due_date="2026-12-01")
        gone = item_of(plan, "W", due_date="2026-01-01")  # a side exit is never overdue
        helpers.call_action(
            "nd47_plan_item_status_update", id=gone["id"], status="withdrawn", reason="gộp"
        )
        closed = item_of(plan, "C")
        helpers.call_action(
            "nd47_plan_item_status_update",
            id=closed["id"],
            status="cannot_be_opened",
            reason="bí mật",
            reason_category="state_secret",
        )
        progress = helpers.call_action("nd47_plan_show", id=plan["id"])["progress"]
        # published / (all - withdrawn - cannot be opened) = 2 / (6 - 2)
        assert progress == {
            "total": 6,
            "by_status": {
                "planned": 2,
                "preparing": 0,
                "in_review": 0,
                "published": 2,
                "withdrawn": 1,
                "cannot_be_opened": 1,
            },
            "overdue": 1,
            "published": 2,
            "percent": 50,
        }

    def test_only_side_exits_is_zero_percent(self, agency):
        plan = plan_of(agency)
        gone = item_of(plan, "W")
        helpers.call_action(
            "nd47_plan_item_status_update", id=gone["id"], status="withdrawn", reason="gộp"
        )
        progress = helpers.call_action("nd47_plan_show", id=plan["id"])["progress"]
        assert (progress["total"], progress["percent"]) == (1, 0)

    @pytest.mark.ckan_config("ckanext.nd47.plans.list_max_limit", "2")
    def test_list_max_limit_caps_every_list(self, agency):
        plan = plan_of(agency)
        for code in ("A", "B", "C"):
            item_of(plan, code, due_date="2020-01-01")
        for year in (2027, 2028):
            helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=year)
        for action, data in (
            ("nd47_plan_list", {}),
            ("nd47_plan_item_list", {"plan_id": plan["id"]}),
            ("nd47_plan_item_overdue_list", {}),
            ("nd47_plan_audit_list", {"plan_id": plan["id"]}),
        ):
            result = helpers.call_action(action, limit=1000, **data)
            assert result["count"] >= 3, action
            assert len(result["results"]) == 2, action


class TestAutomaticMoves:
    def test_every_linked_item_moves_in_the_datasets_transaction(self, agency):
        pkg = open_dataset(agency.org["id"])
        plans = [
            plan_of(agency),
            helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2027),
        ]
        items = [item_of(p, "X", package_id=pkg["id"]) for p in plans]
        assert {i["status"] for i in items} == {workflow.PUBLISHED}
        # a refused dataset update moves nothing
        with pytest.raises(tk.ValidationError):
            helpers.call_action("package_patch", id=pkg["id"], private=True, sharing_class="zzz")
        model.Session.rollback()
        shown = [helpers.call_action("nd47_plan_item_show", id=i["id"]) for i in items]
        assert {i["status"] for i in shown} == {workflow.PUBLISHED}
        # an accepted one moves every linked item, each with its audit row
        helpers.call_action("package_patch", id=pkg["id"], private=True)
        shown = [helpers.call_action("nd47_plan_item_show", id=i["id"]) for i in items]
        assert {i["status"] for i in shown} == {workflow.IN_REVIEW}
        for plan in plans:
            trail = helpers.call_action("nd47_plan_audit_list", plan_id=plan["id"])["results"]
            assert (trail[0]["action"], trail[0]["reason"]) == ("auto", "dataset_private")
