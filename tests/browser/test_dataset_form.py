"""End to end in headless Chromium: a publisher creates a dataset through the
Vietnamese form (choices, a validation error in Vietnamese, corrected), sees
it on its page, and a visitor finds it with a query without diacritics."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests import factories
from tests.browser.live import login

PASSWORD = "MatKhau-2025!"
TITLE = "Dữ liệu dân cư phường Thành Vinh"
OTHER_TITLE = "Chất lượng không khí đô thị"


@pytest.fixture
def publisher(clean_db: None, clean_index: None) -> dict:
    user = factories.User(name="can-bo-du-lieu", password=PASSWORD)
    agency = factories.Agency(
        name="so-y-te-nghe-an",
        title="Sở Y tế tỉnh Nghệ An",
        agency_identifier="000.31.30.H41",
        agency_level="so-nganh",
        users=[{"name": user["name"], "capacity": "editor"}],
    )
    # another public dataset, which the visitor's query must not return
    factories.Dataset(owner_org=agency["id"], title=OTHER_TITLE)
    return {"user": user, "agency": agency}


def _login(page, base: str) -> None:
    login(page, base, "can-bo-du-lieu", PASSWORD)


@pytest.mark.usefixtures("with_plugins")
def test_publisher_creates_a_dataset_and_a_visitor_finds_it(
    ckan_server: str, browser, publisher: dict
) -> None:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    _login(page, ckan_server)

    page.goto(f"{ckan_server}/dataset/new")
    # the form speaks Vietnamese and offers the vocabularies as choices
    assert "Phân loại chia sẻ" in page.locator("label[for=field-sharing_class]").inner_text()
    assert page.locator("#field-theme option").count() == 12
    assert "Y tế" in page.locator("#field-theme").inner_text()

    page.fill("#field-title", TITLE)
    # the URL is proposed from the Vietnamese title, without diacritics
    page.wait_for_function(
        "document.querySelector('#field-name').value === 'du-lieu-dan-cu-phuong-thanh-vinh'"
    )
    page.fill("#field-notes", "Số liệu dân cư theo tổ dân phố, cập nhật hằng quý.")
    page.select_option("#field-organizations", label="Sở Y tế tỉnh Nghệ An", force=True)
    page.select_option("#field-private", value="False")
    page.select_option("#field-sharing_class", value="mo")
    page.select_option("#field-importance", value="khac")
    page.select_option("#field-theme", value=["xa-hoi", "dia-phuong"], force=True)
    page.select_option("#field-admin_units", value=["40", "16681"], force=True)
    page.select_option("#field-database_kind", value="dia-phuong")
    page.select_option("#field-frequency", value="QUARTERLY")
    # personal-data review not confirmed: refused, in Vietnamese
    page.click("button[name=save]")
    page.wait_for_load_state()
    errors = page.locator(".error-explanation, .alert-error, .alert-danger").first.inner_text()
    assert "cần xác nhận bộ dữ liệu không chứa dữ liệu cá nhân" in errors
    # the choices survive the round trip through the error page; correct and resubmit
    assert page.locator("#field-sharing_class").input_value() == "mo"
    page.check("#field-personal_data_reviewed")
    page.click("button[name=save]")
    page.wait_for_load_state()
    page.wait_for_url("**/dataset/du-lieu-dan-cu-phuong-thanh-vinh/resource/new")

    # one CSV resource, then finish
    link = page.locator("#resource-link-button, a:has-text('Liên kết')").first
    if link.count() and link.is_visible():
        link.click()
    page.fill("#field-resource-url", "https://data.nghean.gov.vn/dan-cu.csv")
    page.fill("#field-name", "Dân cư quý III/2025")
    page.select_option("#field-format", value="CSV")
    page.click("button[name=save][value=go-metadata]")
    page.wait_for_url("**/dataset/du-lieu-dan-cu-phuong-thanh-vinh")

    body = page.locator("body").inner_text()
    assert TITLE in body
    for label in ("Phân loại chia sẻ", "Dữ liệu mở", "Xã hội", "Tỉnh Nghệ An", "Hằng quý"):
        assert label in body, label
    context.close()

    shown = helpers.call_action("package_show", id="du-lieu-dan-cu-phuong-thanh-vinh")
    assert (shown["state"], shown["private"], shown["access_rights"]) == ("active", False, "PUBLIC")
    assert shown["resources"][0]["mimetype"] == "text/csv"

    # a visitor, not logged in, types the title without diacritics
    visitor = browser.new_context(locale="vi-VN")
    page = visitor.new_page()
    page.goto(f"{ckan_server}/dataset/")
    headings = page.locator(".dataset-list .dataset-heading")
    assert len(headings.all_inner_texts()) == 2
    page.fill("#field-giant-search", "du lieu dan cu thanh vinh")
    page.keyboard.press("Enter")
    # CKAN 2.11 reloads the page, 2.12 swaps the results in place (htmx)
    page.wait_for_function(
        "() => document.querySelectorAll('.dataset-list .dataset-heading').length === 1"
    )
    results = headings.all_inner_texts()
    assert len(results) == 1 and TITLE in results[0], results
    page.click(f"text={TITLE}")
    page.wait_for_url("**/dataset/du-lieu-dan-cu-phuong-thanh-vinh")
    visitor.close()
