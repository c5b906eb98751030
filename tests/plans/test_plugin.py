"""The dataset hooks move plan items (IPackageController in the plugin)."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.nd47.plans import workflow
from tests.factories import Dataset
from tests.plans.conftest import open_dataset, set_sharing_class

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def item(agency):
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    return helpers.call_action("nd47_plan_item_create", plan_id=plan["id"], code="A", title="A")


def status(item_id: str) -> str:
    return helpers.call_action("nd47_plan_item_show", id=item_id)["status"]


def last(item: dict) -> dict:
    return helpers.call_action("nd47_plan_audit_list", item_id=item["id"])["results"][0]


def link_private(agency, item, **kw) -> dict:
    pkg = Dataset(owner_org=agency.org["id"], private=True, **kw)
    helpers.call_action("nd47_plan_item_link", id=item["id"], package_id=pkg["id"])
    return pkg


def test_publishing_the_dataset_publishes_the_item(agency, item):
    pkg = link_private(agency, item)
    assert status(item["id"]) == workflow.PLANNED
    user = factories.User()
    helpers.call_action(
        "package_patch", context={"user": user["name"]}, id=pkg["id"], private=False
    )
    assert status(item["id"]) == workflow.PUBLISHED
    entry = last(item)
    assert entry["action"] == "auto"
    assert entry["reason"] == "dataset_published"
    assert entry["changes"]["status"] == ["planned", "published"]
    assert entry["reason_label"]


def test_public_but_not_open_dataset_does_not_publish(agency, item):
    pkg = link_private(agency, item)
    set_sharing_class(pkg, "dung-chung")
    helpers.call_action("package_patch", id=pkg["id"], private=False)
    assert status(item["id"]) == workflow.PLANNED


def test_making_private_moves_back_to_review(agency, item):
    pkg = open_dataset(agency.org["id"])
    helpers.call_action("nd47_plan_item_link", id=item["id"], package_id=pkg["id"])
    assert status(item["id"]) == workflow.PUBLISHED
    helpers.call_action("package_patch", id=pkg["id"], private=True)
    assert status(item["id"]) == workflow.IN_REVIEW
    entry = last(item)
    assert entry["reason"] == "dataset_private"
    assert entry["changes"]["status"] == ["published", "in_review"]
    # and publishing again publishes again
    helpers.call_action("package_patch", id=pkg["id"], private=False)
    assert status(item["id"]) == workflow.PUBLISHED


def test_leaving_the_open_class_moves_back(agency, item):
    pkg = open_dataset(agency.org["id"])
    helpers.call_action("nd47_plan_item_link", id=item["id"], package_id=pkg["id"])
    set_sharing_class(pkg, "dung-rieng")
    assert status(item["id"]) == workflow.IN_REVIEW
    assert last(item)["reason"] == "dataset_not_open"


def test_deleting_moves_back_and_records_why(agency, item):
    pkg = open_dataset(agency.org["id"])
    helpers.call_action("nd47_plan_item_link", id=item["id"], package_id=pkg["id"])
    helpers.call_action("package_delete", id=pkg["name"])
    assert status(item["id"]) == workflow.IN_REVIEW
    assert last(item)["reason"] == "dataset_deleted"


def test_side_exits_are_not_touched(agency, item):
    pkg = link_private(agency, item)
    helpers.call_action(
        "nd47_plan_item_status_update", id=item["id"], status="withdrawn", reason="không còn cần"
    )
    helpers.call_action("package_patch", id=pkg["id"], private=False)
    assert status(item["id"]) == workflow.WITHDRAWN


def test_unlinked_datasets_are_ignored(agency, item):
    pkg = open_dataset(agency.org["id"])
    helpers.call_action("package_patch", id=pkg["id"], private=True)
    assert status(item["id"]) == workflow.PLANNED


def test_dataset_naming_its_plan_item_links_it(agency, item):
    pkg = Dataset(owner_org=agency.org["id"], extras=[{"key": "plan_item", "value": item["id"]}])
    shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
    assert shown["package_id"] == pkg["id"]
    assert shown["status"] == workflow.PUBLISHED
    actions = [
        e["action"]
        for e in helpers.call_action("nd47_plan_audit_list", item_id=item["id"])["results"]
    ]
    assert actions[:2] == ["auto", "link"]


def test_dataset_cannot_claim_another_agencys_item(agency, other_agency, item):
    Dataset(owner_org=other_agency.org["id"], extras=[{"key": "plan_item", "value": item["id"]}])
    assert helpers.call_action("nd47_plan_item_show", id=item["id"])["package_id"] is None


def test_plugin_needs_nd47():
    from ckanext.nd47.plans.plugin import Nd47PlansPlugin

    with pytest.raises(RuntimeError):
        Nd47PlansPlugin().update_config({"ckan.plugins": "nd47_plans scheming_datasets"})
