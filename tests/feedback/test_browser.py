"""Browser flows on a live CKAN (Vietnamese pages): an anonymous visitor
reports an error on a dataset; a citizen copies a citation; a publisher
answers. With ND47_SCREENSHOTS=1 the dataset page and the request pages are
saved to docs/screenshots/citizens-*.png (otherwise to the test's folder).

Headless Debian Chromium through Playwright; the server is ``ckan run``
against the test database (tests/browser/live.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from ckan.tests import helpers

from tests import factories as nd47_factories
from tests.browser.live import live_ckan, login, screenshot_folder
from tests.feedback.conftest import call_as

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "tests" / "data" / "example_dataset.json").read_text("utf-8"))
CSV = (
    "ten_co_so,loai_hinh,xa_phuong,so_giuong\n"
    "Bệnh viện Hữu nghị Đa khoa Nghệ An,Bệnh viện,Phường Vinh Phú,1200\n"
    "Trạm y tế xã Nghi Lộc,Trạm y tế,Xã Nghi Lộc,10\n"
    "Phòng khám đa khoa Thành Vinh,Phòng khám,Phường Trường Vinh,30\n"
)
# The outline of Nghệ An, simplified (a few points of its border).
NGHE_AN = {
    "type": "Polygon",
    "coordinates": [
        [
            [103.88, 19.30],
            [104.10, 19.70],
            [104.60, 19.95],
            [105.20, 20.00],
            [105.80, 19.30],
            [105.70, 18.75],
            [105.20, 18.60],
            [104.80, 18.80],
            [104.20, 18.95],
            [103.88, 19.30],
        ]
    ],
}
PASSWORD = "Mat-khau-2026!"


@pytest.fixture
def server(tmp_path):
    with live_ckan(tmp_path) as url:
        yield url


def _open_dataset(server: str, agency) -> dict:
    """The example dataset with an outline and an uploaded CSV (upload over HTTP)."""
    data = {k: v for k, v in EXAMPLE.items() if k not in ("resources", "name")}
    data["spatial_coverage"] = [{**EXAMPLE["spatial_coverage"][0], "geom": json.dumps(NGHE_AN)}]
    dataset = nd47_factories.Dataset(owner_org=agency.org["id"], name="co-so-y-te", **data)
    token = helpers.call_action("api_token_create", user=agency.admin["name"], name="up")["token"]
    response = requests.post(
        f"{server}/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": "Cơ sở khám chữa bệnh", "format": "CSV"},
        files={"upload": ("co-so.csv", CSV.encode("utf-8"), "text/csv")},
        headers={"Authorization": token},
        timeout=60,
    )
    assert response.ok, response.text
    return dataset


def test_visitor_reports_citizen_cites_publisher_answers(server, browser, agency, tmp_path):
    shots = screenshot_folder(tmp_path)
    dataset = _open_dataset(server, agency)
    helpers.call_action(
        "user_update", id=agency.admin["id"], email=agency.admin["email"], password=PASSWORD
    )

    from ckanext.nd47.oversight import service

    service.score(dataset["id"])  # as the oversight worker would (test.ini enables it)

    # a citizen reads the dataset page and copies the citation
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{server}/vi/dataset/{dataset['name']}")
    assert page.locator(".nd47-map > svg path").count() == 1  # the SVG fallback
    page.wait_for_selector(".nd47-map-canvas .leaflet-overlay-pane path")  # and the map
    assert "Bệnh viện Hữu nghị" in page.locator(".nd47-preview-table").inner_text()
    assert "Hằng quý" in page.locator(".nd47-facts").inner_text()  # a label, not QUARTERLY
    assert "purl.org" not in page.locator(".nd47-summary").inner_text()
    # the data was just uploaded: on time for a quarterly dataset
    assert "Cập nhật đúng hạn" in page.locator(".nd47-freshness").inner_text()
    assert page.locator(".nd47-quality").count() == 1
    page.screenshot(path=str(shots / "citizens-dataset.png"), full_page=True)
    page.click("#nd47-copy-vi")
    page.wait_for_selector("#nd47-copy-vi[data-copied=true]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(agency.org["title"])
    assert "[Bộ dữ liệu]" in copied
    bib = requests.get(f"{server}/dataset/{dataset['name']}/citation.bib", timeout=30).text
    assert bib.startswith("@misc{co_so_y_te")
    context.close()

    # an anonymous visitor reports an error
    page = browser.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{server}/vi/dataset/{dataset['name']}")
    page.click("text=Báo lỗi")
    page.select_option("#field-kind", "error")
    page.fill("#field-title", "Sai số giường bệnh")
    page.fill("#field-body", "Bệnh viện Hữu nghị có 1.100 giường, không phải 1.200.")
    page.fill("#field-email", "nguoi.dan@example.org")
    page.click("#nd47-feedback-form button[type=submit]")
    page.wait_for_selector(".nd47-thread")
    assert "Sai số giường bệnh" in page.content()
    assert "nguoi.dan@example.org" not in page.content()
    page.close()

    # a request for new data, and the public list
    thread = call_as(
        None,
        "nd47_data_request_create",
        title="Danh sách nhà thuốc đạt chuẩn",
        body="Cần danh sách nhà thuốc theo xã, phường để làm ứng dụng tra cứu.",
        owner_org=agency.org["name"],
        email="nguoi.dan@example.org",
    )

    # the publisher answers
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30000)
    login(page, server, agency.admin["name"], PASSWORD)
    page.goto(f"{server}/vi/dataset/{dataset['name']}/feedback")
    page.click(".nd47-staff summary")
    page.fill(".nd47-answer-form textarea", "Cảm ơn bạn, chúng tôi đã sửa số giường.")
    page.click(".nd47-answer-form button[type=submit]")
    page.wait_for_selector(".nd47-answer")
    assert "Đã trả lời" in page.locator(".nd47-thread").inner_text()
    page.goto(f"{server}/vi/data-request/{thread['id']}")
    page.click(".nd47-staff summary")
    page.fill(".nd47-answer-form textarea", "Sở Y tế sẽ công bố danh sách trong quý I/2027.")
    page.select_option(".nd47-answer-form select", "in_progress")
    page.click(".nd47-answer-form button[type=submit]")
    page.wait_for_selector(".nd47-answer")
    page.screenshot(path=str(shots / "citizens-request.png"), full_page=True)
    page.close()

    public = call_as(None, "nd47_feedback_list", package_id=dataset["id"])["results"][0]
    assert public["status"] == "answered"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/vi/data-request?q=nha thuoc")
    assert "Danh sách nhà thuốc đạt chuẩn" in page.content()
    page.screenshot(path=str(shots / "citizens-requests.png"), full_page=True)
    page.close()
