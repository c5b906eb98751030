"""On a 390 px phone no page is wider than the screen, and axe-core finds no
serious or critical accessibility violation on desktop or phone (headless
Chromium): home, search, dataset, dataset form, plan, plan item and import
pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories
from tests.browser.live import login, screenshots
from tests.plans.conftest import call_as

PASSWORD = "MatKhau-2025!"
# installed by scripts/assets.sh (npm, scripts/assets/package.json)
AXE = (
    Path(__file__).resolve().parents[2]
    / "scripts"
    / "assets"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
# WCAG 2.1 A/AA rules; serious and critical violations fail the test
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
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
    user = factories.User(name="bien-tap-vien-dt", password=PASSWORD)
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
        f"/plan/{plan['id']}/import",
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
            kind = "-item" if "/item/" in path else "-import" if path.endswith("/import") else ""
            screenshots(page, f"form-plan{kind}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wider[path] = page.evaluate(OFFENDERS)
    context.close()
    assert not wider, wider


@pytest.mark.usefixtures("with_plugins")
def test_no_serious_accessibility_violation(ckan_server: str, browser, pages: list[str]) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/assets.sh (needs node and npm)")
    found = {}
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
        page = context.new_page()
        login(page, ckan_server, "bien-tap-vien-dt", PASSWORD)
        for path in pages:
            page.goto(ckan_server + path)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[f"{path} @{width}px"] = violations
        context.close()
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())
