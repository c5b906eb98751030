"""Browser: the demo's open-data list of an agency, and the plan import page refusing
an unknown label. With ND47_SCREENSHOTS=1 both pages are saved to
docs/screenshots/opendata-list*.png (otherwise to the test's folder).

Headless Debian Chromium through Playwright; the server is ``ckan run``
against the test database (tests/browser/live.py).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from ckan.tests import factories, helpers

from ckanext.nd47.plans import spreadsheet
from tests.browser.live import live_ckan, login, screenshot_folder
from tests.plans.test_opendata_list import ROOT, load_demo

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
PASSWORD = "Mat-khau-2026!"


@pytest.fixture
def server(tmp_path):
    with live_ckan(tmp_path) as url:
        yield url


# the demo's feedback comes from a few addresses: loading it again within the
# hour must not meet the feedback rate limit (kept in Redis across tests)
@pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", "0")
@pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_ip", "0")
def test_demo_list_and_import_page(server, browser, tmp_path):
    shots = screenshot_folder(tmp_path)
    (ROOT / ".run").mkdir(exist_ok=True)
    load_demo()
    plan = helpers.call_action("nd47_plan_list", status="approved")["results"][0]
    org = helpers.call_action("organization_show", id=plan["owner_org"])
    admin = factories.Sysadmin(password=PASSWORD)

    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(30000)
    page.goto(f"{server}/vi/plan/list/{org['name']}")
    table = page.locator(".nd47-opendata-list").inner_text()
    assert "Đã công bố" in table and "Dự kiến" in table
    page.screenshot(path=str(shots / "opendata-list.png"), full_page=True)

    # an agency's clerk types a theme the vocabulary does not have
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template("xlsx")))
    book[spreadsheet.ITEMS_SHEET].append(
        ["MOI01", "Dữ liệu mới", "Giáo dục", "", "", "Excel", "Tải về", "Hằng năm", "31/12/2026"]
    )
    upload = tmp_path / "ke-hoach.xlsx"
    book.save(upload)
    login(page, server, admin["name"], PASSWORD)
    page.goto(f"{server}/vi/plan/{plan['id']}/import")
    page.set_input_files("#field-upload", str(upload))
    page.click("#nd47-import-form button[type=submit]")
    errors = page.locator(".nd47-import-errors").inner_text()
    assert "Giáo dục" in errors and "Hướng dẫn" in errors
    page.screenshot(path=str(shots / "opendata-list-import.png"), full_page=True)
