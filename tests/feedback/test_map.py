"""The map of the spatial coverage on the citizen's dataset page: Leaflet
when scripts/assets.sh has installed it, the SVG outline otherwise; the tile
option reaches the page."""

from __future__ import annotations

import json
import re

import pytest

from ckanext.nd47 import helpers as nd47_helpers
from tests import factories as nd47_factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[105, 20], [106, 20], [106, 21], [105, 21], [105, 20]]],
}
TILES = "/tiles/{z}/{x}/{y}.png"


@pytest.fixture
def dataset():
    return nd47_factories.Dataset(
        private=False, spatial_coverage=[{"text": "Vùng thử", "geom": json.dumps(SQUARE)}]
    )


@pytest.fixture
def without_leaflet(monkeypatch, tmp_path):
    """As on a machine where scripts/assets.sh could not run (no npm)."""
    monkeypatch.setattr(nd47_helpers, "MAP_VENDOR_DIR", tmp_path)


def _map_div(body: str) -> str:
    found = re.search(r'<div class="nd47-map-canvas"[^>]*>', body)
    assert found, "no map container on the page"
    return found.group(0)


@pytest.mark.skipif(not nd47_helpers.leaflet_installed(), reason="run scripts/assets.sh")
class TestWithLeaflet:
    def test_the_page_has_the_map_its_geometry_and_leaflet(self, app, dataset):
        body = app.get(f"/dataset/{dataset['name']}").body
        div = _map_div(body)
        assert 'data-module="nd47-map"' in div
        geojson = json.loads(
            re.search(r'data-module-geojson="([^"]*)"', div).group(1).replace("&#34;", '"')
        )
        assert geojson == [SQUARE]
        # no tile server by default: the outline on a blank background
        assert 'data-module-tiles=""' in div
        assert re.search(r'<script src="[^"]*leaflet[^"]*\.js', body)
        assert re.search(r'<link [^>]*href="[^"]*leaflet[^"]*\.css', body)
        # the SVG outline stays as the fallback
        assert "<svg" in body and "<path" in body

    @pytest.mark.ckan_config("ckanext.nd47.map.tile_url", TILES)
    @pytest.mark.ckan_config("ckanext.nd47.map.tile_attribution", "Bản đồ nền <của> cổng")
    def test_the_tile_option_reaches_the_page(self, app, dataset):
        div = _map_div(app.get(f"/dataset/{dataset['name']}").body)
        assert f'data-module-tiles="{TILES}"' in div
        # plain text, escaped
        assert 'data-module-attribution="Bản đồ nền &lt;của&gt; cổng"' in div

    def test_the_leaflet_files_are_served(self, app, dataset):
        body = app.get(f"/dataset/{dataset['name']}").body
        urls = re.findall(r'(?:src|href)="([^"]*leaflet[^"]*\.(?:js|css))', body)
        assert len(urls) == 2
        for url in urls:
            response = app.get(url)
            assert response.status_code == 200
            assert len(response.body) > 1000


def test_without_leaflet_the_svg_outline_remains(app, dataset, without_leaflet):
    body = app.get(f"/dataset/{dataset['name']}").body
    assert "nd47-map-canvas" not in body
    assert "leaflet" not in body.lower()
    assert re.search(r'<figure class="nd47-map">\s*<svg', body)


def test_no_spatial_coverage_no_map(app):
    dataset = nd47_factories.Dataset(private=False)
    body = app.get(f"/dataset/{dataset['name']}").body
    assert "nd47-map" not in body
