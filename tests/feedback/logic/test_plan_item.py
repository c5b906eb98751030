"""A data request becomes a plan item of its agency; when the item is
published, the request is answered with a link to the dataset."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests import factories as nd47_factories
from tests.feedback.conftest import call_as, request
from tests.smtp import text

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def plan(agency):
    return call_as(agency.editor, "nd47_plan_create", owner_org=agency.org["id"], period=2026)


def test_request_to_plan_item_to_answer(agency, plan, smtp):
    thread = request(agency, title="Danh sách chợ")
    call_as(None, "nd47_data_request_follow", id=thread["id"], email="theo@example.org")
    moved = call_as(
        agency.editor,
        "nd47_data_request_plan_item_create",
        id=thread["id"],
        plan_id=plan["id"],
        code="YC01",
    )
    assert moved["status"] == "in_progress"
    item = call_as(agency.editor, "nd47_plan_item_show", id=moved["plan_item_id"])
    assert item["title"] == "Danh sách chợ"
    assert f"/data-request/{thread['id']}" in item["description"]  # linked both ways

    # not published yet: reading the request changes nothing
    assert call_as(None, "nd47_data_request_show", id=thread["id"])["status"] == "in_progress"

    dataset = nd47_factories.Dataset(
        owner_org=agency.org["id"], private=True, admin_units=["VN"], title="Chợ truyền thống"
    )
    call_as(agency.editor, "nd47_plan_item_link", id=item["id"], package_id=dataset["id"])
    helpers.call_action("package_patch", id=dataset["id"], private=False)
    assert call_as(agency.editor, "nd47_plan_item_show", id=item["id"])["status"] == "published"

    shown = call_as(None, "nd47_data_request_show", id=thread["id"])
    assert shown["status"] == "answered"
    (answer,) = shown["answers"]
    assert answer["automatic"] is True
    assert f"/dataset/{dataset['name']}" in answer["body"]
    for address in ("dan@example.org", "theo@example.org"):
        assert f"/dataset/{dataset['name']}" in text(smtp.to(address)[0])
    # answered once only
    assert len(call_as(None, "nd47_data_request_list")["results"][0]["answers"]) == 1


def test_plan_of_another_agency_is_refused(agency, other_agency, plan):
    thread = request(other_agency)
    with pytest.raises((helpers.logic.ValidationError, helpers.logic.NotAuthorized)):
        call_as(
            other_agency.editor,
            "nd47_data_request_plan_item_create",
            id=thread["id"],
            plan_id=plan["id"],
            code="YC01",
        )
    assert call_as(None, "nd47_data_request_show", id=thread["id"])["plan_item_id"] is None


def test_only_once(agency, plan):
    thread = request(agency)
    call_as(
        agency.editor,
        "nd47_data_request_plan_item_create",
        id=thread["id"],
        plan_id=plan["id"],
        code="A",
    )
    with pytest.raises(helpers.logic.ValidationError):
        call_as(
            agency.editor,
            "nd47_data_request_plan_item_create",
            id=thread["id"],
            plan_id=plan["id"],
            code="B",
        )


def test_visitors_may_not(agency, plan):
    thread = request(agency)
    with pytest.raises(helpers.logic.NotAuthorized):
        call_as(
            agency.member,
            "nd47_data_request_plan_item_create",
            id=thread["id"],
            plan_id=plan["id"],
            code="A",
        )


def test_page_offers_the_plans(app, agency, plan):
    thread = request(agency)
    token = helpers.call_action("api_token_create", user=agency.editor["name"], name="t")["token"]
    body = app.get(f"/data-request/{thread['id']}", headers={"Authorization": token}).body
    assert plan["id"] in body
    app.post(
        f"/data-request/{thread['id']}/plan-item",
        data={"plan_id": plan["id"], "code": "YC09"},
        headers={"Authorization": token},
    )
    assert call_as(None, "nd47_data_request_show", id=thread["id"])["plan_item_id"]
