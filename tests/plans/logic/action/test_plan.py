"""The plan actions: create, show, list, update, delete, approve, reopen."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.nd47.plans import workflow
from tests.plans.conftest import audit, call_as, make_item, make_plan

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class TestPlan:
    def test_create_defaults_and_audit(self, agency):
        plan = make_plan(agency, decision_number="123/QĐ-UBND", decision_date="15/01/2026")
        assert plan["status"] == workflow.DRAFT
        assert plan["version"] == 1
        assert plan["title"] == "Kế hoạch mở dữ liệu năm 2026"
        assert plan["decision_date"] == "2026-01-15"
        # default next review: decision date + 6 months
        assert plan["next_review_due"] == "2026-07-15"
        assert plan["organization"]["name"] == agency.org["name"]
        entries = audit(plan["id"])
        assert [e["action"] for e in entries] == ["create"]
        assert entries[0]["user_name"] == agency.editor["name"]
        assert entries[0]["changes"]["period"] == [None, 2026]

    def test_create_by_org_name(self, agency):
        plan = make_plan(agency, owner_org=agency.org["name"])
        assert plan["owner_org"] == agency.org["id"]

    def test_one_plan_per_agency_and_period(self, agency):
        make_plan(agency)
        with pytest.raises(tk.ValidationError) as err:
            make_plan(agency)
        assert "period" in err.value.error_dict

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("period", "năm nay", "The period is a year, e.g. 2026"),
            ("period", 1990, "The period is a year, e.g. 2026"),
            ("decision_date", "32/13/2026", "Use a date like 2026-05-01 or 01/05/2026"),
            ("decision_url", "not a url", "Please provide a valid URL"),
            ("owner_org", "no-such-agency", "Agency not found"),
        ],
    )
    def test_create_invalid(self, agency, field, value, message):
        with pytest.raises(tk.ValidationError) as err:
            make_plan(agency, **{field: value})
        assert err.value.error_dict == {field: [message]}

    def test_decision_number_is_written_like_a_legal_document(self, agency):
        with pytest.raises(tk.ValidationError) as err:
            make_plan(agency, decision_number="QD so 45 UBND")
        (message,) = err.value.error_dict["decision_number"]
        assert "47/2020/NĐ-CP" in message  # the example of the accepted form
        assert make_plan(agency, decision_number="45/QĐ-UBND")["decision_number"] == "45/QĐ-UBND"

    def test_show_with_items_and_progress(self, agency):
        plan = make_plan(agency)
        make_item(agency, plan, "A1")
        make_item(agency, plan, "A2")
        shown = call_as(agency.member, "nd47_plan_show", id=plan["id"], include_items=True)
        assert [i["code"] for i in shown["items"]] == ["A1", "A2"]
        assert shown["progress"]["total"] == 2
        assert shown["progress"]["by_status"]["planned"] == 2
        assert shown["progress"]["percent"] == 0

    def test_show_missing(self):
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("nd47_plan_show", id="nope")

    def test_update_patch_and_audit(self, agency):
        plan = make_plan(agency, decision_signer="Nguyễn Văn A")
        updated = call_as(
            agency.editor, "nd47_plan_update", id=plan["id"], last_review="2026-03-01"
        )
        assert updated["decision_signer"] == "Nguyễn Văn A"
        assert updated["last_review"] == "2026-03-01"
        assert updated["next_review_due"] == "2026-09-01"
        entries = audit(plan["id"])
        assert entries[0]["action"] == "update"
        assert entries[0]["changes"] == {"last_review": [None, "2026-03-01"]}
        # no change, no audit row
        call_as(agency.editor, "nd47_plan_update", id=plan["id"], last_review="2026-03-01")
        assert len(audit(plan["id"])) == 2

    def test_explicit_next_review_wins(self, agency):
        plan = make_plan(agency, last_review="2026-03-01", next_review_due="2026-05-01")
        assert plan["next_review_due"] == "2026-05-01"

    def test_delete_keeps_audit(self, agency):
        plan = make_plan(agency)
        make_item(agency, plan)
        call_as(agency.editor, "nd47_plan_delete", id=plan["id"])
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("nd47_plan_show", id=plan["id"])
        entries = audit(plan["id"])
        assert entries[0]["action"] == "delete"
        assert helpers.call_action("nd47_plan_item_list")["count"] == 0

    def test_approve_and_reopen(self, agency):
        plan = make_plan(agency)
        approved = call_as(agency.admin, "nd47_plan_approve", id=plan["id"])
        assert approved["status"] == workflow.APPROVED
        assert approved["approved_by"] == agency.admin["id"]
        with pytest.raises(tk.ValidationError) as err:
            call_as(agency.admin, "nd47_plan_approve", id=plan["id"])
        # the statuses by their labels, never their codes
        assert '"Draft"' in err.value.error_dict["status"][0]
        reopened = call_as(agency.admin, "nd47_plan_reopen", id=plan["id"], reason="bổ sung")
        assert reopened["status"] == workflow.DRAFT
        assert reopened["version"] == 2
        entries = audit(plan["id"])
        assert entries[0]["action"] == "reopen"
        assert entries[0]["reason"] == "bổ sung"
        with pytest.raises(tk.ValidationError):
            call_as(agency.admin, "nd47_plan_reopen", id=plan["id"])

    def test_list_filters_and_paging(self, agency, other_agency):
        for year in (2024, 2025, 2026):
            make_plan(agency, period=year)
        other = make_plan(other_agency)
        helpers.call_action("nd47_plan_approve", id=other["id"])
        result = helpers.call_action("nd47_plan_list", owner_org=agency.org["name"])
        assert result["count"] == 3
        assert [p["period"] for p in result["results"]] == [2026, 2025, 2024]
        page = helpers.call_action("nd47_plan_list", limit=2, offset=2)
        assert page["count"] == 4 and len(page["results"]) == 2
        assert helpers.call_action("nd47_plan_list", period=2025)["count"] == 1
        assert helpers.call_action("nd47_plan_list", status="approved")["count"] == 1

    def test_list_hides_drafts_from_outsiders(self, agency, other_agency):
        make_plan(agency)
        other = make_plan(other_agency)
        helpers.call_action("nd47_plan_approve", id=other["id"])
        assert call_as(None, "nd47_plan_list")["count"] == 1
        assert call_as(other_agency.member, "nd47_plan_list")["count"] == 1
        assert call_as(agency.member, "nd47_plan_list")["count"] == 2
        assert call_as(factories.Sysadmin(), "nd47_plan_list")["count"] == 2
