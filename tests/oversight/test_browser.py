"""The home page and both dashboards in headless Chromium, on the demo data.

With ND47_SCREENSHOTS=1 the pages are saved to docs/screenshots/oversight-*.png
(otherwise to the test's temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.oversight.test_demo import _load_demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = [
    ("home", "/", "Y tế"),
    ("national", "/oversight/", "ubnd-tinh-nghe-an"),
    ("agency", "/oversight/agency/ubnd-tinh-nghe-an", "NA05"),
]


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("name", "path", "expected"), PAGES)
def test_pages_in_chromium(ckan_server, browser, name, path, expected, tmp_path, request):
    if name == "home":  # the first page: a fresh database with the demo data
        request.getfixturevalue("clean_db")
        request.getfixturevalue("clean_index")
        request.getfixturevalue("with_request_context")
        _load_demo()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        response = page.goto(ckan_server + path)
        page.wait_for_load_state("networkidle")
        assert response and response.status == 200
        html = page.content()
        assert expected in html
        # every figure is also readable as text: no chart without its numbers
        assert page.locator("table.nd47-bars td.num").count() > 0 or name == "home"
        folder = SCREENSHOTS if os.environ.get("ND47_SCREENSHOTS") else tmp_path
        page.screenshot(path=str(folder / f"oversight-{name}.png"), full_page=True)
    finally:
        page.close()
