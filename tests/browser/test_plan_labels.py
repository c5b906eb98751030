"""Plan pages in labels, in the browser (headless Chromium): an item's
dataset picked by its title as it is typed, and the item form flagging data
another agency already holds."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.live import login, screenshots
from tests.plans.conftest import call_as

PASSWORD = "MatKhau-2025!"


@pytest.fixture
def plan_item(clean_db: None, clean_index: None) -> dict:
    user = factories.User(name="bien-tap-vien-kh", password=PASSWORD)
    agency = factories.Agency(
        agency_level="tinh", users=[{"name": user["name"], "capacity": "editor"}]
    )
    other = factories.Agency(agency_level="tinh", title="Sở Y tế tỉnh Hà Tĩnh")
    factories.Dataset(
        owner_org=agency["id"], name="co-so-y-te-nghe-an", title="Cơ sở y tế tỉnh Nghệ An"
    )
    factories.Dataset(owner_org=other["id"], title="Danh sách trạm y tế xã Hà Tĩnh")
    plan = call_as(user, "nd47_plan_create", owner_org=agency["id"], period=2026)
    item = call_as(
        user, "nd47_plan_item_create", plan_id=plan["id"], code="DM01", title="Cơ sở y tế"
    )
    return {"plan": plan, "item": item}


@pytest.mark.usefixtures("with_plugins")
def test_dataset_picked_by_title_and_similar_data_flagged(
    ckan_server: str, browser, plan_item: dict
) -> None:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    login(page, ckan_server, "bien-tap-vien-kh", PASSWORD)
    page.goto(f"{ckan_server}/plan/item/{plan_item['item']['id']}")
    page.fill("#field-dataset", "co so y te")
    option = page.locator(".nd47-dataset-option", has_text="Cơ sở y tế tỉnh Nghệ An")
    option.wait_for()
    screenshots(page, "plan-item-dataset-picker")
    option.click()
    assert page.input_value("#nd47-link-form input[name=package_id]") == "co-so-y-te-nghe-an"
    with page.expect_navigation():
        page.click("#nd47-link-form button[type=submit]")
    linked = page.locator("#nd47-item-dataset a")
    assert linked.inner_text() == "Cơ sở y tế tỉnh Nghệ An"

    page.goto(f"{ckan_server}/plan/{plan_item['plan']['id']}/item/new")
    page.fill("#field-title", "tram y te xa")
    flagged = page.locator(".nd47-item-similar a", has_text="Danh sách trạm y tế xã Hà Tĩnh")
    flagged.wait_for()
    screenshots(page, "plan-item-similar")
    context.close()
