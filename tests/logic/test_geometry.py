"""The spatial coverage's geometry: read from GeoJSON, checked, bbox and
centroid computed; through package_create with errors in vi and en."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.nd47.logic import geometry
from tests import factories

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[105, 20], [107, 20], [107, 22], [105, 22], [105, 20]]],
}
# a 2x2 square with a 1x1 hole in its lower-left quarter
HOLED = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]],
        [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]],
    ],
}


def _feature(geom: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"ten": "Nghệ An"}, "geometry": geom}


@pytest.mark.usefixtures("with_request_context")
class TestRead:
    def test_a_geometry_is_itself(self):
        assert geometry.read(json.dumps(SQUARE)) == SQUARE

    def test_a_feature_gives_its_geometry(self):
        assert geometry.read(_feature(SQUARE)) == SQUARE

    def test_a_collection_of_one_kind_is_a_multi_geometry(self):
        point = {"type": "Point", "coordinates": [105.7, 18.7]}
        other = {"type": "Point", "coordinates": [105.8, 21.0]}
        found = geometry.read(
            {"type": "FeatureCollection", "features": [_feature(point), _feature(other)]}
        )
        assert found == {"type": "MultiPoint", "coordinates": [[105.7, 18.7], [105.8, 21.0]]}

    def test_mixed_kinds_are_a_geometry_collection(self):
        point = {"type": "Point", "coordinates": [105.7, 18.7]}
        found = geometry.read(
            {"type": "FeatureCollection", "features": [_feature(point), _feature(SQUARE)]}
        )
        assert found["type"] == "GeometryCollection" and len(found["geometries"]) == 2

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("not json", "not valid JSON"),
            (
                '{"type": "Circle", "coordinates": [1, 2]}',
                '"Circle" is not a GeoJSON geometry type',
            ),
            ('{"type": "Point", "coordinates": ["x", 1]}', "is not [longitude, latitude]"),
            ('{"type": "Point", "coordinates": [21.0, 105.8]}', "off the globe"),
            (
                '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}',
                "end where it starts",
            ),
            ('{"type": "FeatureCollection", "features": []}', "holds no geometry"),
            ("[1, 2]", "not a GeoJSON object"),
        ],
    )
    def test_refused_with_the_reason(self, value, words):
        with pytest.raises(geometry.GeometryError) as error:
            geometry.read(value)
        assert words in str(error.value)

    def test_too_many_positions(self):
        ring = [[105 + i / 100000, 20] for i in range(geometry.MAX_POSITIONS)] + [
            [105, 21],
            [105, 20],
        ]
        with pytest.raises(geometry.GeometryError, match="simplify the shape"):
            geometry.read({"type": "Polygon", "coordinates": [ring]})


@pytest.mark.usefixtures("with_request_context")
class TestMeasures:
    def test_bbox(self):
        found = geometry.bbox(geometry.read(_feature(SQUARE)))
        assert found == SQUARE

    def test_centroid_of_a_polygon_weighs_by_area_and_holes_subtract(self):
        assert geometry.centroid(SQUARE)["coordinates"] == [106.0, 21.0]
        # three unit squares left: their centre is at (7/6, 7/6)
        x, y = geometry.centroid(HOLED)["coordinates"]
        assert x == pytest.approx(7 / 6, abs=1e-6) and y == pytest.approx(7 / 6, abs=1e-6)

    def test_centroid_of_points_is_their_mean(self):
        found = geometry.centroid({"type": "MultiPoint", "coordinates": [[104, 18], [106, 20]]})
        assert found == {"type": "Point", "coordinates": [105.0, 19.0]}


def _create(**fields: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", **factories.dataset_fields(**fields))


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestInDatasets:
    def test_bbox_and_centroid_are_computed_from_an_uploaded_feature(self, app):
        with app.flask_app.test_request_context():
            dataset = _create(
                spatial_coverage=[{"text": "Vùng thử", "geom": json.dumps(_feature(SQUARE))}]
            )
        place = dataset["spatial_coverage"][0]
        assert json.loads(place["geom"]) == SQUARE
        assert json.loads(place["bbox"]) == SQUARE
        assert json.loads(place["centroid"]) == {"type": "Point", "coordinates": [106.0, 21.0]}

    def test_given_values_are_kept_byte_for_byte(self, app):
        # harvested or API records: a geometry with its own box, as given
        geom = '{"type": "Point", "coordinates": [104.92, 19.23]}'
        box = json.dumps(SQUARE, indent=1)
        with app.flask_app.test_request_context():
            dataset = _create(spatial_coverage=[{"geom": geom, "bbox": box}])
        place = dataset["spatial_coverage"][0]
        assert (place["geom"], place["bbox"]) == (geom, box)
        assert json.loads(place["centroid"])["coordinates"] == [104.92, 19.23]

    def test_a_box_alone_stays_without_a_geometry(self, app):
        with app.flask_app.test_request_context():
            dataset = _create(spatial_coverage=[{"text": "Khung", "bbox": json.dumps(SQUARE)}])
        place = dataset["spatial_coverage"][0]
        assert json.loads(place["bbox"]) == SQUARE and not place.get("geom")

    @pytest.mark.parametrize(
        ("lang", "words"),
        [
            ("en", ("Geometry: it is not GeoJSON", "Draw the area on the map or upload")),
            ("vi", ("Hình học:", "vẽ vùng trên bản đồ hoặc tải lên tệp GeoJSON")),
        ],
    )
    def test_a_bad_file_is_refused_in_the_users_language(self, app, lang, words):
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
            with pytest.raises(tk.ValidationError) as error:
                _create(spatial_coverage=[{"text": "Vùng", "geom": "<kml>not geojson</kml>"}])
        (message,) = error.value.error_dict["spatial_coverage"][0]["geom"]
        for word in words:
            assert word in message
        assert "geom" not in message.replace("GeoJSON", "")

    def test_a_bad_box_is_refused(self, app):
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            with pytest.raises(tk.ValidationError) as error:
                _create(spatial_coverage=[{"bbox": '{"type": "Point", "coordinates": [200, 0]}'}])
        (message,) = error.value.error_dict["spatial_coverage"][0]["bbox"]
        assert message.startswith("Bounding box: the position [200, 0] is off the globe")
