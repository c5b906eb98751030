"""Browser flow on a live CKAN: an editor creates a plan, downloads the Excel
template, fills it and imports it, links a dataset, publishes the dataset,
and the item shows "published" (Vietnamese pages).

Headless Debian Chromium through Playwright; the server is ``ckan run``
against the test database (tests/browser/live.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import requests
from ckan.tests import helpers

from ckanext.nd47.plans import spreadsheet
from tests.browser.live import live_ckan, login
from tests.factories import Dataset

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def server(tmp_path):
    """A live CKAN on the test database, started after clean_db prepared it."""
    with live_ckan(tmp_path) as url:
        yield url


def test_editor_imports_links_publishes(server, browser, tmp_path, agency):
    (ROOT / ".run").mkdir(exist_ok=True)
    password = "Mat-khau-2026!"
    helpers.call_action(
        "user_update", id=agency.editor["id"], email=agency.editor["email"], password=password
    )
    dataset = Dataset(
        owner_org=agency.org["id"], private=True, title="Danh mục cơ sở khám chữa bệnh"
    )
    token = helpers.call_action("api_token_create", user=agency.editor["name"], name="b")["token"]

    page = browser.new_page(accept_downloads=True)
    page.set_default_timeout(30000)
    login(page, server, agency.editor["name"], password)

    # a new plan for the agency
    page.goto(f"{server}/vi/plan/agency/{agency.org['name']}")
    page.click("a[href*='/plan/new']")
    page.fill("#field-period", "2026")
    page.fill("#field-decision_number", "123/QĐ-UBND")
    page.click("#nd47-plan-form button[type=submit]")
    page.wait_for_selector(".nd47-plan")
    assert "123/QĐ-UBND" in page.content()

    # the template, filled in Excel-style, imported
    page.click("#nd47-import")
    with page.expect_download() as download:
        page.click("#nd47-template-xlsx")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book[spreadsheet.ITEMS_SHEET]
    assert sheet["A1"].value == "Mã"
    sheet.append(
        [
            "DM01",
            "Danh mục cơ sở khám chữa bệnh",
            "y-te",
            "",
            "",
            "CSV",
            "download",
            "ANNUAL",
            "31/12/2026",
            "high",
            "Sở Y tế",
        ]
    )
    sheet.append(["DM02", "Danh sách nhà thuốc", "y-te"])
    filled = tmp_path / "ke-hoach.xlsx"
    book.save(filled)
    page.set_input_files("#field-upload", str(filled))
    page.click("#nd47-import-form button[type=submit]")
    page.wait_for_selector("tr.nd47-item[data-code='DM02']")

    # link the dataset to DM01
    page.click("tr.nd47-item[data-code='DM01'] a")
    page.wait_for_selector("#nd47-link-form")
    # by its title (the page resolves a title typed in full)
    page.fill("#field-dataset", dataset["title"])
    page.click("#nd47-link-form button[type=submit]")
    page.wait_for_selector("#nd47-item-dataset a")
    assert page.locator("#nd47-item-status [data-status]").get_attribute("data-status") == (
        "planned"
    )

    # the editor publishes the dataset (through the live API, as the portal's form would)
    resp = requests.post(
        f"{server}/api/3/action/package_patch",
        json={"id": dataset["id"], "private": False},
        headers={"Authorization": token},
        timeout=30,
    )
    assert resp.ok, resp.text

    page.reload()
    status = page.locator("#nd47-item-status [data-status]")
    assert status.get_attribute("data-status") == "published"
    assert "Đã công bố" in status.inner_text()
    assert "Bộ dữ liệu liên kết đã được công khai là dữ liệu mở" in page.content()

    # the plan page shows the progress
    plan = helpers.call_action("nd47_plan_list", owner_org=agency.org["id"])["results"][0]
    page.goto(f"{server}/vi/plan/{plan['id']}")
    assert "50%" in page.locator(".progress").inner_text()
    page.close()


def test_plan_posts_need_the_session_csrf_token(server, browser, agency):
    password = "Mat-khau-2026!"
    helpers.call_action(
        "user_update", id=agency.editor["id"], email=agency.editor["email"], password=password
    )
    plan = helpers.call_action(
        "nd47_plan_create", owner_org=agency.org["id"], period=2026, title="Kế hoạch gốc"
    )
    page = browser.new_page()
    page.set_default_timeout(30000)
    login(page, server, agency.editor["name"], password)
    for path, form in (
        ("/plan/new", {"owner_org": agency.org["name"], "period": "2027"}),
        (f"/plan/{plan['id']}/edit", {"period": "2026", "title": "Sửa không token"}),
        (f"/plan/{plan['id']}/delete", {}),
    ):
        # the logged-in browser session alone is not enough
        answer = page.request.post(server + path, form=form, max_redirects=0)
        assert answer.status == 400, path
    shown = helpers.call_action("nd47_plan_list", owner_org=agency.org["id"])
    assert [p["title"] for p in shown["results"]] == ["Kế hoạch gốc"]
    # the same session with the page's token may post
    page.goto(f"{server}/plan/{plan['id']}/edit")
    token = page.input_value("#nd47-plan-form input[name=_csrf_token]")
    form = {"_csrf_token": token, "period": "2026", "title": "Sửa có token"}
    answer = page.request.post(f"{server}/plan/{plan['id']}/edit", form=form, max_redirects=0)
    assert answer.status == 302
    assert helpers.call_action("nd47_plan_show", id=plan["id"])["title"] == "Sửa có token"
    page.close()
