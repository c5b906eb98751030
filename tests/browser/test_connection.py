"""End to end in headless Chromium: a publisher adds an API resource through the
form (the service fields show for API only); a publisher of another agency types
"du lieu dan cu" as a new title and is shown the first agency's "Dữ liệu dân cư…"
and links it as the master source; the register page lists derived datasets.

With ND47_SCREENSHOTS=<dir> the pages are also saved there as
connection-*.png (docs/screenshots holds the ones the documentation shows).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from ckan.tests import helpers

from tests import factories
from tests.browser.live import login

PASSWORD = "MatKhau-2025!"
POPULATION = "Dữ liệu dân cư tỉnh Nghệ An"


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("ND47_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"connection-{name}.png"), full_page=full_page)


@pytest.fixture
def agencies(clean_db: None, clean_index: None) -> dict[str, Any]:
    police = factories.User(name="can-bo-cong-an", password=PASSWORD)
    health = factories.User(name="can-bo-y-te", password=PASSWORD)
    source = factories.Agency(
        name="cong-an-nghe-an",
        title="Công an tỉnh Nghệ An",
        users=[{"name": police["name"], "capacity": "editor"}],
    )
    other = factories.Agency(
        name="so-y-te-nghe-an",
        title="Sở Y tế tỉnh Nghệ An",
        users=[{"name": health["name"], "capacity": "editor"}],
    )
    dataset = factories.Dataset(
        name="du-lieu-dan-cu-nghe-an",
        title=POPULATION,
        owner_org=source["id"],
        tag_string="dân cư,cư trú",
        theme=["xa-hoi"],
        admin_units=["40"],
        master_source="dan-cu",
    )
    return {"source": source, "other": other, "dataset": dataset}


@pytest.mark.usefixtures("with_plugins")
def test_api_resource_and_similar_data(ckan_server: str, browser: Any, agencies: dict) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, ckan_server, "can-bo-cong-an", PASSWORD)

    page.goto(f"{ckan_server}/dataset/du-lieu-dan-cu-nghe-an/resource/new")
    link = page.locator("#resource-link-button, a:has-text('Liên kết')").first
    if link.count() and link.is_visible():
        link.click()
    page.fill("#field-resource-url", "https://lgsp.nghean.gov.vn/api/dan-cu/v1")
    page.fill("#field-name", "API tra cứu dân cư")
    # the service fields wait for the API kind
    assert not page.locator("#field-service_endpoint_description").is_visible()
    page.select_option("#field-format", value="API")
    assert page.locator("#field-service_endpoint_description").is_visible()
    page.fill(
        "#field-service_endpoint_description",
        "https://lgsp.nghean.gov.vn/api/dan-cu/v1/openapi.json",
    )
    page.select_option("#field-service_platform", value="lgsp")
    page.fill("#field-service_code", "CA-NA-DANCU-01")
    page.select_option("#field-service_auth", value="oauth2")
    page.fill("#field-service_conditions", "Cơ quan nhà nước đăng ký tài khoản trên LGSP.")
    page.locator("button[name=save]").last.click()
    page.wait_for_url("**/dataset/du-lieu-dan-cu-nghe-an**")

    shown = helpers.call_action("package_show", id="du-lieu-dan-cu-nghe-an")
    (api,) = shown["resources"]
    assert (api["format"], api["service_platform"], api["service_auth"]) == (
        "API",
        "lgsp",
        "oauth2",
    )
    assert api["service_code"] == "CA-NA-DANCU-01"

    page.goto(f"{ckan_server}/dataset/du-lieu-dan-cu-nghe-an/resource/{api['id']}")
    body = page.locator("body").inner_text()
    for text in (
        "Nền tảng tích hợp, chia sẻ dữ liệu cấp bộ, cấp tỉnh (LGSP)",
        "OAuth 2.0",
        "CA-NA-DANCU-01",
    ):
        assert text in body, text
    _shot(page, "api-resource")
    context.close()

    # another agency's publisher starts the same data again
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    login(page, ckan_server, "can-bo-y-te", PASSWORD)
    page.goto(f"{ckan_server}/dataset/new")
    page.fill("#field-title", "du lieu dan cu")
    panel = page.locator(".nd47-similar")
    panel.locator(".nd47-similar-title").first.wait_for()
    assert POPULATION in panel.inner_text()
    assert "Công an tỉnh Nghệ An" in panel.inner_text()
    use = panel.locator(".nd47-similar-use").first.get_attribute("href")
    assert use.endswith("/dataset/du-lieu-dan-cu-nghe-an")
    panel.locator(".nd47-similar-master").first.click()
    assert page.locator("#field-master_source").input_value() == use
    _shot(page, "similar", full_page=False)

    # the register page lists the dataset derived from the national population database
    page.goto(f"{ckan_server}/master-data/dan-cu")
    body = page.locator("body").inner_text()
    assert "Cơ sở dữ liệu quốc gia về dân cư" in body and POPULATION in body
    _shot(page, "register")
    context.close()
