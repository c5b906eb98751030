"""The item actions, every workflow transition, links, audit and overdue lists."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.model import PlanItem
from tests.factories import Dataset
from tests.plans.conftest import audit, call_as, make_item, make_plan, open_dataset

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class TestItem:
    def test_create_normalises(self, agency):
        plan = make_plan(agency)
        item = make_item(
            agency,
            plan,
            formats="csv, .xlsx",
            update_cadence="annual",
            theme="y-te",
            access_mode="download_api",
            priority="high",
            due_date="2099-06-30",
        )
        assert item["status"] == workflow.PLANNED
        assert item["formats"] == ["CSV", "XLSX"]
        assert item["update_cadence"] == "ANNUAL"
        assert item["allowed_transitions"] == list(workflow.ITEM_TRANSITIONS[workflow.PLANNED])
        assert item["overdue"] is False

    def test_code_unique_in_plan(self, agency):
        plan = make_plan(agency)
        make_item(agency, plan, "X")
        with pytest.raises(tk.ValidationError) as err:
            make_item(agency, plan, "X")
        assert "code" in err.value.error_dict
        other = make_item(agency, plan, "Y")
        with pytest.raises(tk.ValidationError):
            call_as(agency.editor, "nd47_plan_item_update", id=other["id"], code="X")

    @pytest.mark.parametrize(
        "field,value",
        [
            ("code", "có dấu cách"),
            ("title", ""),
            ("access_mode", "fax"),
            ("priority", "urgent"),
            ("due_date", "tomorrow"),
            ("package_id", "no-dataset"),
        ],
    )
    def test_create_invalid(self, agency, field, value):
        plan = make_plan(agency)
        with pytest.raises(tk.ValidationError) as err:
            make_item(agency, plan, **{field: value})
        assert field in err.value.error_dict

    def test_show_update_delete(self, agency):
        plan = make_plan(agency)
        item = make_item(agency, plan)
        assert helpers.call_action("nd47_plan_item_show", id=item["id"])["code"] == "DM01"
        updated = call_as(
            agency.editor, "nd47_plan_item_update", id=item["id"], title="Mới", status="published"
        )
        assert updated["title"] == "Mới"
        assert updated["status"] == workflow.PLANNED  # status only through status_update
        entries = audit(plan["id"], item_id=item["id"])
        assert entries[0]["changes"] == {"title": ["Dữ liệu DM01", "Mới"]}
        call_as(agency.editor, "nd47_plan_item_delete", id=item["id"])
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("nd47_plan_item_show", id=item["id"])
        assert audit(plan["id"])[0]["action"] == "delete"

    def test_list_filters_and_paging(self, agency):
        plan = make_plan(agency)
        make_item(agency, plan, "A", theme="y-te")
        make_item(agency, plan, "B", theme="giao-duc-dao-tao")
        c = make_item(agency, plan, "C", theme="y-te")
        call_as(agency.editor, "nd47_plan_item_status_update", id=c["id"], status="preparing")
        assert helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["count"] == 3
        assert helpers.call_action("nd47_plan_item_list", theme="y-te")["count"] == 2
        assert helpers.call_action("nd47_plan_item_list", status="preparing")["count"] == 1
        assert helpers.call_action("nd47_plan_item_list", period=2026)["count"] == 3
        assert helpers.call_action("nd47_plan_item_list", period=2025)["count"] == 0
        assert helpers.call_action("nd47_plan_item_list", owner_org=agency.org["id"])["count"] == 3
        assert helpers.call_action("nd47_plan_item_list", q="b")["count"] == 1
        page = helpers.call_action("nd47_plan_item_list", limit=2, offset=1)
        assert page["count"] == 3 and [i["code"] for i in page["results"]] == ["B", "C"]

    def test_list_hides_items_of_drafts(self, agency):
        plan = make_plan(agency)
        make_item(agency, plan)
        assert call_as(None, "nd47_plan_item_list")["count"] == 0
        assert call_as(agency.member, "nd47_plan_item_list")["count"] == 1
        helpers.call_action("nd47_plan_approve", id=plan["id"])
        assert call_as(None, "nd47_plan_item_list")["count"] == 1


class TestWorkflow:
    @pytest.mark.parametrize(
        "start,to",
        [(s, t) for s, targets in workflow.ITEM_TRANSITIONS.items() for t in targets],
    )
    def test_every_allowed_transition(self, agency, start, to):
        plan = make_plan(agency)
        pkg = open_dataset(agency.org["id"])
        item = make_item(agency, plan)
        obj = model.Session.get(PlanItem, item["id"])
        obj.status = start
        if to == workflow.PUBLISHED:
            obj.package_id = pkg["id"]
        model.Session.commit()
        extra = {}
        if to in workflow.REASON_REQUIRED:
            extra["reason"] = "lý do"
        if to == workflow.CANNOT_BE_OPENED:
            extra["reason_category"] = "personal_data"
        moved = call_as(
            agency.editor, "nd47_plan_item_status_update", id=item["id"], status=to, **extra
        )
        assert moved["status"] == to
        entry = audit(plan["id"], item_id=item["id"])[0]
        assert entry["action"] == "status"
        assert entry["changes"]["status"] == [start, to]
        assert entry["user_name"] == agency.editor["name"]

    @pytest.mark.parametrize(
        "start,to",
        [
            (s, t)
            for s in workflow.ITEM_STATUSES
            for t in workflow.ITEM_STATUSES
            if t not in workflow.ITEM_TRANSITIONS[s]
        ],
    )
    def test_every_illegal_transition_names_allowed_states(self, agency, start, to):
        plan = make_plan(agency)
        item = make_item(agency, plan)
        model.Session.get(PlanItem, item["id"]).status = start
        model.Session.commit()
        with pytest.raises(tk.ValidationError) as err:
            call_as(
                agency.editor,
                "nd47_plan_item_status_update",
                id=item["id"],
                status=to,
                reason="r",
                reason_category="security",
            )
        message = err.value.error_dict["status"][0]
        # in labels, never codes
        for allowed in workflow.ITEM_TRANSITIONS[start]:
            assert workflow.label("item_status", allowed) in message

    def test_unknown_status(self, agency):
        item = make_item(agency, make_plan(agency))
        with pytest.raises(tk.ValidationError) as err:
            call_as(agency.editor, "nd47_plan_item_status_update", id=item["id"], status="done")
        assert "status" in err.value.error_dict

    def test_side_exits_need_reason(self, agency):
        item = make_item(agency, make_plan(agency))
        for status in workflow.REASON_REQUIRED:
            with pytest.raises(tk.ValidationError) as err:
                call_as(agency.editor, "nd47_plan_item_status_update", id=item["id"], status=status)
            assert "reason" in err.value.error_dict
        with pytest.raises(tk.ValidationError) as err:
            call_as(
                agency.editor,
                "nd47_plan_item_status_update",
                id=item["id"],
                status="cannot_be_opened",
                reason="chứa dữ liệu cá nhân",
            )
        assert "reason_category" in err.value.error_dict
        moved = call_as(
            agency.editor,
            "nd47_plan_item_status_update",
            id=item["id"],
            status="cannot_be_opened",
            reason="chứa dữ liệu cá nhân",
            reason_category="personal_data",
        )
        assert moved["reason_category"] == "personal_data"
        assert moved["status_reason"] == "chứa dữ liệu cá nhân"
        entry = audit(item["plan_id"])[0]
        assert entry["reason"] == "chứa dữ liệu cá nhân"
        assert entry["changes"]["reason_category"] == [None, "personal_data"]

    def test_published_needs_open_linked_dataset(self, agency):
        item = make_item(agency, make_plan(agency))
        for status in ("preparing", "in_review"):
            call_as(agency.editor, "nd47_plan_item_status_update", id=item["id"], status=status)
        with pytest.raises(tk.ValidationError) as err:
            call_as(
                agency.editor, "nd47_plan_item_status_update", id=item["id"], status="published"
            )
        assert "package_id" in err.value.error_dict


class TestLink:
    def test_link_unpublished_dataset_keeps_status(self, agency):
        item = make_item(agency, make_plan(agency))
        pkg = Dataset(owner_org=agency.org["id"], private=True)
        linked = call_as(
            agency.editor, "nd47_plan_item_link", id=item["id"], package_id=pkg["name"]
        )
        assert linked["package_id"] == pkg["id"]
        assert linked["dataset_name"] == pkg["name"]
        assert linked["status"] == workflow.PLANNED
        assert audit(item["plan_id"])[0]["changes"] == {"package_id": [None, pkg["id"]]}

    def test_link_open_dataset_publishes(self, agency):
        item = make_item(agency, make_plan(agency))
        pkg = open_dataset(agency.org["id"])
        linked = call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id=pkg["id"])
        assert linked["status"] == workflow.PUBLISHED
        entries = audit(item["plan_id"])
        assert entries[0]["action"] == "auto"
        assert entries[0]["reason"] == "dataset_published"

    def test_unlink_published_goes_back_to_review(self, agency):
        pkg = open_dataset(agency.org["id"])
        item = make_item(agency, make_plan(agency), package_id=pkg["id"])
        assert item["status"] == workflow.PUBLISHED
        unlinked = call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id="")
        assert unlinked["package_id"] is None
        assert unlinked["status"] == workflow.IN_REVIEW

    def test_link_missing_dataset(self, agency):
        item = make_item(agency, make_plan(agency))
        with pytest.raises(tk.ValidationError):
            call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id="nope")

    def test_foreign_private_dataset_looks_missing(self, agency, other_agency):
        item = make_item(agency, make_plan(agency))
        secret = Dataset(owner_org=other_agency.org["id"], private=True)
        answers = []
        for name in (secret["name"], secret["id"], "bo-du-lieu-khong-co"):
            with pytest.raises(tk.ValidationError) as err:
                call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id=name)
            answers.append(err.value.error_dict)
        assert answers == [{"package_id": ["Dataset not found"]}] * 3
        with pytest.raises(tk.ValidationError) as err:
            make_item(agency, make_plan(agency, period=2027), package_id=secret["name"])
        assert err.value.error_dict == {"package_id": ["Dataset not found"]}
        shown = call_as(agency.editor, "nd47_plan_item_show", id=item["id"])
        assert (shown["package_id"], shown["status"]) == (None, workflow.PLANNED)
        assert [e["action"] for e in audit(item["plan_id"]) if e["item_id"]] == ["create"]

    def test_another_agencys_open_dataset_is_refused(self, agency, other_agency):
        item = make_item(agency, make_plan(agency))
        public = open_dataset(other_agency.org["id"])
        with pytest.raises(tk.ValidationError) as err:
            call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id=public["id"])
        assert err.value.error_dict == {"package_id": ["Link only datasets of the plan's agency"]}
        shown = call_as(agency.editor, "nd47_plan_item_show", id=item["id"])
        assert (shown["package_id"], shown["status"]) == (None, workflow.PLANNED)


class TestAuditAndOverdue:
    def test_audit_list_needs_a_target_and_paginates(self, agency):
        plan = make_plan(agency)
        for code in "ABC":
            make_item(agency, plan, code)
        with pytest.raises(tk.ValidationError):
            helpers.call_action("nd47_plan_audit_list")
        result = helpers.call_action("nd47_plan_audit_list", plan_id=plan["id"], limit=2)
        assert result["count"] == 4 and len(result["results"]) == 2

    @pytest.mark.freeze_time("2026-05-01")
    def test_overdue_list(self, agency, other_agency):
        plan = make_plan(agency)
        make_item(agency, plan, "LATE", due_date="2026-04-30")
        make_item(agency, plan, "ONTIME", due_date="2026-05-01")
        other = make_plan(other_agency)
        make_item(other_agency, other, "LATE2", due_date="2026-01-01")
        result = helpers.call_action("nd47_plan_item_overdue_list")
        assert sorted(i["code"] for i in result["results"]) == ["LATE", "LATE2"]
        assert result["results"][0]["plan"]["period"] == 2026
        mine = helpers.call_action("nd47_plan_item_overdue_list", owner_org=agency.org["id"])
        assert [i["code"] for i in mine["results"]] == ["LATE"]
        assert (
            helpers.call_action("nd47_plan_item_overdue_list", kind="update_overdue")["count"] == 0
        )
        with pytest.raises(tk.ValidationError):
            helpers.call_action("nd47_plan_item_overdue_list", kind="soon")
        # anonymous users see nothing of draft plans
        assert call_as(None, "nd47_plan_item_overdue_list")["count"] == 0
