"""The dataset page's pieces without a server: the outline, sizes, citations."""

from __future__ import annotations

import datetime
import json

import pytest

from ckanext.nd47.feedback import citation, dataset_page

pytestmark = pytest.mark.usefixtures("with_request_context")


def _pkg(**geometries: dict) -> dict:
    return {"spatial_coverage": [{k: json.dumps(v) for k, v in geometries.items()}]}


class TestOutline:
    def test_polygon_is_one_closed_path_north_up(self):
        square = {"type": "Polygon", "coordinates": [[[105, 20], [106, 20], [106, 21], [105, 20]]]}
        shape = dataset_page.outline(_pkg(geom=square))
        (path,) = shape["paths"]
        assert path.startswith("M") and path.endswith("Z")
        points = [tuple(map(float, p.strip("MLZ ").split(","))) for p in path.split(" L")]
        # latitude 21 (north) is drawn above latitude 20
        assert points[2][1] < points[0][1]

    def test_geometry_wins_over_bbox(self):
        point = {"type": "Point", "coordinates": [105.8, 21.0]}
        box = {"type": "Polygon", "coordinates": [[[105, 20], [106, 20], [106, 21], [105, 20]]]}
        shape = dataset_page.outline(_pkg(geom=point, bbox=box))
        assert shape["paths"] == [] and len(shape["points"]) == 1

    def test_multipolygon(self):
        ring = [[105, 20], [106, 20], [106, 21], [105, 20]]
        shape = dataset_page.outline(
            _pkg(geom={"type": "MultiPolygon", "coordinates": [[ring], [ring]]})
        )
        assert len(shape["paths"]) == 2

    @pytest.mark.parametrize(
        "value", ["", "not json", '{"type": "Point"}', '{"type": "Point", "coordinates": ["x"]}']
    )
    def test_bad_or_missing_geometry_draws_nothing(self, value):
        assert dataset_page.outline({"spatial_coverage": [{"geom": value}]}) is None

    def test_no_spatial_coverage(self):
        assert dataset_page.outline({}) is None


@pytest.mark.parametrize(
    "size,empty", [(None, True), ("", True), (0, True), ("x", True), (2048, False)]
)
def test_size_label(size, empty):
    assert (dataset_page.size_label(size) == "") is empty


class TestCitation:
    PKG = {
        "name": "gia-dat",
        "title": "Bảng giá đất {2026} & 100%",
        "title_en": "Land prices",
        "organization": {"title": "UBND tỉnh Nghệ An"},
        "issued": "2025-04-01",
        "version": "1.0",
    }
    TODAY = datetime.date(2026, 12, 2)

    def test_vi_and_en(self):
        cite = citation.citation(self.PKG, self.TODAY)
        assert cite["vi"].startswith("UBND tỉnh Nghệ An (2025). Bảng giá đất")
        assert "phiên bản 1.0 [Bộ dữ liệu]" in cite["vi"]
        assert "Truy cập ngày 02/12/2026" in cite["vi"]
        assert "Land prices, version 1.0 [Dataset]" in cite["en"]
        assert "/dataset/gia-dat" in cite["url"] and "/vi/" not in cite["url"]

    def test_bibtex_escapes_braces(self):
        bib = citation.bibtex(self.PKG, self.TODAY)
        assert bib.startswith("@misc{gia_dat_2025,")
        assert r"Bảng giá đất \{2026\} \& 100\%" in bib
        assert "author = {{UBND tỉnh Nghệ An}}" in bib
        assert bib.count("{") - bib.count(r"\{") == bib.count("}") - bib.count(r"\}")

    def test_csl(self):
        (item,) = citation.csl(self.PKG, self.TODAY)
        assert item["issued"] == {"date-parts": [[2025]]}
        assert item["accessed"] == {"date-parts": [[2026, 12, 2]]}
        assert item["author"] == [{"literal": "UBND tỉnh Nghệ An"}]
