"""The spatial coverage in headless Chromium: a publisher uploads a GeoJSON
file, then draws a rectangle, on the dataset form's map; a bad file is
refused in Vietnamese; the dataset page draws the geometry with Leaflet; the
Leaflet files come from the portal itself (HTTP 200 from 127.0.0.1).

With ND47_SCREENSHOTS=1 the form and the page are saved to
docs/screenshots/maps-*.png.
"""

from __future__ import annotations

import json
import re

import pytest
import requests
from ckan.tests import helpers

from ckanext.nd47 import helpers as nd47_helpers
from tests import factories
from tests.browser.live import live_ckan, login, screenshot_folder

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.skipif(not nd47_helpers.leaflet_installed(), reason="run scripts/assets.sh"),
]

PASSWORD = "MatKhau-2025!"
# Nghệ An, simplified, as a FeatureCollection exported by a GIS tool
NGHE_AN = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"ten": "Tỉnh Nghệ An"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [103.88, 19.30],
                        [104.60, 19.95],
                        [105.20, 20.00],
                        [105.80, 19.30],
                        [105.70, 18.75],
                        [104.80, 18.80],
                        [103.88, 19.30],
                    ]
                ],
            },
        }
    ],
}


@pytest.fixture
def publisher() -> dict:
    user = factories.User(name="bien-tap-ban-do", password=PASSWORD)
    agency = factories.Agency(
        name="so-tai-nguyen-nghe-an",
        title="Sở Nông nghiệp và Môi trường tỉnh Nghệ An",
        users=[{"name": user["name"], "capacity": "editor"}],
    )
    dataset = factories.Dataset(
        owner_org=agency["id"],
        name="ranh-gioi-rung",
        title="Ranh giới rừng phòng hộ tỉnh Nghệ An",
        private=False,
    )
    return {"user": user, "agency": agency, "dataset": dataset}


def _place(name: str) -> dict:
    return helpers.call_action("package_show", id=name)["spatial_coverage"][0]


def _open_location(page, base: str, name: str) -> None:
    """The edit form, its "other spatial coverage" group open."""
    page.goto(f"{base}/vi/dataset/edit/{name}")
    page.click("#nd47-group-place > summary")


def _save(page) -> None:
    """ "Update dataset" (the form's last save button; the first unpublishes)."""
    with page.expect_navigation():
        page.locator("button[name=save]").last.click()


def test_upload_draw_refuse_and_the_page_map(ckan_server, browser, publisher, tmp_path):
    shots = screenshot_folder(tmp_path)
    name = publisher["dataset"]["name"]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    login(page, ckan_server, "bien-tap-ban-do", PASSWORD)

    # 1. an uploaded GeoJSON file: drawn on the map, saved, bbox and centroid computed
    _open_location(page, ckan_server, name)
    page.click("#nd47-group-place a[name=repeating-add]")
    page.fill("#field-spatial_coverage-0-text", "Tỉnh Nghệ An")
    widget = page.locator(".nd47-geometry").first
    assert widget.locator(".leaflet-container").count() == 1
    (tmp_path / "nghe-an.geojson").write_text(json.dumps(NGHE_AN), "utf-8")
    widget.locator("input[type=file]").set_input_files(str(tmp_path / "nghe-an.geojson"))
    page.wait_for_selector(".nd47-geometry .leaflet-overlay-pane path")
    assert "Đã nạp hình học từ tệp" in widget.locator(".nd47-geometry-status").inner_text()
    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "maps-form.png"), full_page=False)
    _save(page)
    place = _place(name)
    assert json.loads(place["geom"]) == NGHE_AN["features"][0]["geometry"]
    assert json.loads(place["bbox"])["coordinates"][0][0] == [103.88, 18.75]
    assert json.loads(place["centroid"])["type"] == "Point"

    # 2. the dataset page draws it with Leaflet (no tiles: a blank background)
    page.goto(f"{ckan_server}/vi/dataset/{name}")
    page.wait_for_selector(".nd47-map-canvas.leaflet-container .leaflet-overlay-pane path")
    assert page.locator(".nd47-map > svg").is_hidden()  # the fallback, not shown
    page.locator(".nd47-map").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "maps-dataset.png"), full_page=True)
    # the Leaflet files are the portal's own
    urls = re.findall(r'(?:src|href)="([^"]*leaflet[^"]*\.(?:js|css))', page.content())
    assert urls
    for url in urls:
        assert url.startswith("/"), url
        assert requests.get(f"{ckan_server}{url}", timeout=30).status_code == 200

    # 3. the geometry replaced by a rectangle drawn on the map
    _open_location(page, ckan_server, name)
    widget = page.locator(".nd47-geometry").first
    widget.locator(".nd47-geometry-clear").click()
    assert widget.locator(".leaflet-overlay-pane path").count() == 0
    widget.locator(".leaflet-pm-icon-rectangle").click()
    box = widget.locator(".nd47-map-edit").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6)
    page.wait_for_selector(".nd47-geometry .leaflet-overlay-pane path")
    assert "Đã vẽ hình học trên bản đồ" in widget.locator(".nd47-geometry-status").inner_text()
    _save(page)
    place = _place(name)
    drawn = json.loads(place["geom"])
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    west, south = json.loads(place["bbox"])["coordinates"][0][0]
    assert 90 < west < 125 and 0 < south < 30  # somewhere around Viet Nam

    # 4. a file that is not GeoJSON: refused on save, in Vietnamese, naming the field
    _open_location(page, ckan_server, name)
    (tmp_path / "ban-do.kml").write_text("<kml><Placemark/></kml>", "utf-8")
    page.locator(".nd47-geometry input[type=file]").first.set_input_files(
        str(tmp_path / "ban-do.kml")
    )
    page.wait_for_function(
        "document.querySelector('.nd47-geometry-status').textContent.includes('không phải GeoJSON')"
    )
    _save(page)
    error = page.locator(".nd47-geometry .error-block").inner_text()
    assert error.startswith("Hình học: đây không phải là GeoJSON")
    assert "vẽ vùng trên bản đồ hoặc tải lên tệp GeoJSON" in error
    # nothing was stored: the drawn rectangle stays
    assert json.loads(_place(name)["geom"]) == drawn
    assert not script_errors
    context.close()


def test_base_tiles_from_the_option(browser, publisher, tmp_path):
    """With a tile URL (here an image the portal itself serves) the page map
    loads tiles under the shape and credits them with the attribution."""
    helpers.call_action(
        "package_patch",
        id=publisher["dataset"]["id"],
        spatial_coverage=[{"text": "Tỉnh Nghệ An", "geom": json.dumps(NGHE_AN)}],
    )
    options = {
        "ckanext.nd47.map.tile_url": "/base/images/ckan-logo.png?z={z}&x={x}&y={y}",
        "ckanext.nd47.map.tile_attribution": "Bản đồ nền <thử>",
    }
    with live_ckan(tmp_path, **options) as base:
        page = browser.new_page()
        page.set_default_timeout(30000)
        page.goto(f"{base}/vi/dataset/{publisher['dataset']['name']}")
        page.wait_for_selector(".nd47-map-canvas .leaflet-tile-loaded")
        page.wait_for_selector(".nd47-map-canvas .leaflet-overlay-pane path")
        credit = page.locator(".nd47-map-canvas .leaflet-control-attribution").inner_text()
        assert credit == "Bản đồ nền <thử>"  # shown as text, not as HTML
        page.close()
