"""On a 390 px phone no page is wider than the screen (headless Chromium):
home, search, dataset, dataset form, plan and plan item pages."""

from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories

from tests import factories
from tests.browser.live import login, screenshots
from tests.plans.conftest import call_as

PASSWORD = "MatKhau-2025!"
LONG = "Danh mục cơ sở giáo dục mầm non, tiểu học, trung học cơ sở và trung học phổ thông"


# The innermost elements that reach past the right edge (for the message).
OFFENDERS = """() => {
  const over = el => el.getBoundingClientRect().right > window.innerWidth + 0.5;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => over(el) && !Array.from(el.children).some(over))
    .slice(0, 5)
    .map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right);
}"""


@pytest.fixture
def pages(clean_db: None, clean_index: None) -> list[str]:
    """The paths to check, with a dataset, a plan and an item of long titles."""
    user = ckan_factories.User(name="bien-tap-vien-dt", password=PASSWORD)
    agency = factories.Agency(
        agency_level="tinh", users=[{"name": user["name"], "capacity": "editor"}]
    )
    dataset = factories.Dataset(owner_org=agency["id"], title=LONG)
    plan = call_as(user, "nd47_plan_create", owner_org=agency["id"], period=2026)
    item = call_as(
        user,
        "nd47_plan_item_create",
        plan_id=plan["id"],
        code="DM-01/2026",
        title=LONG,
        theme="giao-duc-dao-tao",
        due_date="31/12/2026",
    )
    return [
        "/",
        "/dataset/",
        f"/dataset/{dataset['name']}",
        "/dataset/new",
        f"/plan/{plan['id']}",
        f"/plan/item/{item['id']}",
    ]


@pytest.mark.usefixtures("with_plugins")
def test_no_page_is_wider_than_a_phone(ckan_server: str, browser, pages: list[str]) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, ckan_server, "bien-tap-vien-dt", PASSWORD)
    wider = {}
    for path in pages:
        page.goto(ckan_server + path)
        if path.startswith("/plan/"):
            screenshots(page, "form-plan" if "/item/" not in path else "form-plan-item")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wider[path] = page.evaluate(OFFENDERS)
    context.close()
    assert not wider, wider
