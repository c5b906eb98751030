"""A dataset claims a plan item through its ``plan_item`` field (chained package actions)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.nd47.plans import workflow
from tests.factories import dataset_fields
from tests.plans.conftest import call_as, make_item, make_plan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def linked(item: dict) -> str | None:
    return helpers.call_action("nd47_plan_item_show", id=item["id"])["package_id"]


def create(user: dict, **fields) -> dict:
    return call_as(user, "package_create", **dataset_fields(**fields))


def test_a_new_open_dataset_claiming_an_item_links_and_publishes_it(agency):
    item = make_item(agency, make_plan(agency))
    pkg = create(agency.editor, owner_org=agency.org["id"], private=False, plan_item=item["id"])
    shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
    assert shown["package_id"] == pkg["id"]
    assert shown["status"] == workflow.PUBLISHED
    # the link lives on the item: the dataset keeps no copy that could go stale
    assert "plan_item" not in pkg
    assert not [e for e in pkg.get("extras", []) if e["key"] == "plan_item"]


def test_an_update_claiming_an_item_links_it(agency):
    item = make_item(agency, make_plan(agency))
    pkg = create(agency.editor, owner_org=agency.org["id"], private=True)
    call_as(agency.editor, "package_patch", id=pkg["name"], plan_item=item["id"])
    assert linked(item) == pkg["id"]
    assert helpers.call_action("nd47_plan_item_show", id=item["id"])["status"] == workflow.PLANNED


def _refused(user: dict, message: str, **fields) -> None:
    before = model.Session.query(model.Package).count()
    with pytest.raises(tk.ValidationError) as raised:
        create(user, **fields)
    assert message in raised.value.error_dict["plan_item"][0]
    # nothing written: the dataset is refused as a whole
    assert model.Session.query(model.Package).count() == before


def test_another_agencys_item_is_refused(agency, other_agency):
    plan = make_plan(agency)
    item = make_item(agency, plan)
    # approved: everybody may read it, so the refusal names the agency rule
    call_as(agency.admin, "nd47_plan_approve", id=plan["id"])
    _refused(
        other_agency.editor,
        "its own agency",
        owner_org=other_agency.org["id"],
        plan_item=item["id"],
    )
    assert linked(item) is None


def test_an_unknown_item_and_an_unreadable_draft_answer_alike(agency, other_agency):
    _refused(agency.editor, "not found", owner_org=agency.org["id"], plan_item="no-such-item")
    _refused(agency.editor, "not found", owner_org=agency.org["id"], plan_item=["x"])
    # the other agency's draft plan is not readable: same answer as a made-up id
    item = make_item(other_agency, make_plan(other_agency))
    _refused(agency.editor, "not found", owner_org=agency.org["id"], plan_item=item["id"])


def test_an_item_linked_to_another_dataset_is_not_taken(agency):
    item = make_item(agency, make_plan(agency))
    first = create(agency.editor, owner_org=agency.org["id"], plan_item=item["id"])
    _refused(agency.editor, "already linked", owner_org=agency.org["id"], plan_item=item["id"])
    assert linked(item) == first["id"]
    # the dataset that holds it may name it again
    call_as(agency.editor, "package_patch", id=first["id"], plan_item=item["id"])
    assert linked(item) == first["id"]


def test_an_empty_claim_changes_nothing(agency):
    item = make_item(agency, make_plan(agency))
    pkg = create(agency.editor, owner_org=agency.org["id"], plan_item="")
    assert linked(item) is None
    assert pkg["id"]
