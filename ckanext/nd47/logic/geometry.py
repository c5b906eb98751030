"""GeoJSON geometries of a dataset's spatial coverage: read, checked, measured.

A publisher draws the geometry on a map or uploads a GeoJSON file; what is
stored is one GeoJSON geometry (a Feature or FeatureCollection is reduced to
its geometry), and the bounding box and centroid are computed from it, never
typed. Coordinates are WGS 84 longitude, latitude (RFC 7946).
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["MAX_CHARS", "MAX_POSITIONS", "GeometryError", "bbox", "centroid", "read"]

# A provincial boundary drawn or simplified for a catalogue fits easily; a
# survey-grade boundary belongs in a resource, not in the metadata record.
MAX_CHARS = 1_000_000
MAX_POSITIONS = 50_000

SIMPLE = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# how deep the positions lie in each kind's "coordinates"
DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


class GeometryError(ValueError):
    """Why a value is not a usable geometry (translated, for the user)."""


def _positions(coords: Any, depth: int) -> list[list[float]]:
    if depth == 0:
        return [coords]
    if not isinstance(coords, list):
        raise GeometryError(tk._("the coordinates are not nested lists as GeoJSON requires"))
    return [p for part in coords for p in _positions(part, depth - 1)]


def _check_position(position: Any) -> None:
    if (
        not isinstance(position, list)
        or len(position) < 2
        or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in position)
    ):
        raise GeometryError(
            tk._("a position is not [longitude, latitude] in numbers: {value}").format(
                value=json.dumps(position)[:80]
            )
        )
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            tk._(
                "the position [{lon}, {lat}] is off the globe; write longitude "
                "(-180 to 180) first, then latitude (-90 to 90), in WGS 84 degrees"
            ).format(lon=lon, lat=lat)
        )


def _check_simple(geometry: dict[str, Any]) -> int:
    """Check one simple geometry; return how many positions it has."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    positions = _positions(coords, DEPTH[kind])
    if not positions:
        raise GeometryError(tk._("the geometry has no coordinates"))
    for position in positions:
        _check_position(position)
    rings = []
    if kind == "Polygon":
        rings = coords
    elif kind == "MultiPolygon":
        rings = [ring for polygon in coords for ring in polygon]
    for ring in rings:
        if len(ring) < 4 or ring[0][:2] != ring[-1][:2]:
            raise GeometryError(
                tk._("a polygon's ring must have at least 4 positions and end where it starts")
            )
    return len(positions)


def _simple_parts(geometry: Any) -> list[dict[str, Any]]:
    """The simple geometries of a GeoJSON object (Feature, collection or geometry)."""
    if not isinstance(geometry, dict):
        raise GeometryError(tk._("it is not a GeoJSON object"))
    kind = geometry.get("type")
    if kind == "Feature":
        return _simple_parts(geometry.get("geometry"))
    if kind == "FeatureCollection":
        features = geometry.get("features")
        if not isinstance(features, list):
            raise GeometryError(tk._("the feature collection has no list of features"))
        return [part for feature in features for part in _simple_parts(feature)]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            raise GeometryError(tk._("the geometry collection has no list of geometries"))
        return [part for member in members for part in _simple_parts(member)]
    if kind in SIMPLE:
        return [{"type": kind, "coordinates": geometry.get("coordinates")}]
    raise GeometryError(
        tk._('"{kind}" is not a GeoJSON geometry type (Point, LineString, Polygon, ...)').format(
            kind=str(kind)[:40]
        )
    )


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One geometry from several: a Multi* when they are of one kind."""
    if len(parts) == 1:
        return parts[0]
    kinds = {part["type"].replace("Multi", "") for part in parts}
    if len(kinds) == 1:
        kind = kinds.pop()
        coords: list[Any] = []
        for part in parts:
            if part["type"].startswith("Multi"):
                coords += part["coordinates"]
            else:
                coords.append(part["coordinates"])
        return {"type": f"Multi{kind}", "coordinates": coords}
    return {"type": "GeometryCollection", "geometries": parts}


def read(value: Any) -> dict[str, Any]:
    """The GeoJSON geometry held by ``value`` (text or dict), checked.

    A Feature gives its geometry; a FeatureCollection the union of its
    features' geometries (a Multi* geometry when they are of one kind).
    Raises ``GeometryError`` saying what is wrong.
    """
    if isinstance(value, str):
        if len(value) > MAX_CHARS:
            raise GeometryError(
                tk._("the file is larger than {n} characters; simplify the shape").format(
                    n=f"{MAX_CHARS:,}"
                )
            )
        try:
            value = json.loads(value)
        except ValueError:
            raise GeometryError(tk._("it is not GeoJSON (the text is not valid JSON)")) from None
    parts = _simple_parts(value)
    if not parts:
        raise GeometryError(tk._("the GeoJSON holds no geometry"))
    total = sum(_check_simple(part) for part in parts)
    if total > MAX_POSITIONS:
        raise GeometryError(
            tk._("the geometry has {count} positions, more than {n}; simplify the shape").format(
                count=f"{total:,}", n=f"{MAX_POSITIONS:,}"
            )
        )
    return _merge(parts)


def _all_positions(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry["type"] == "GeometryCollection":
        return [p for part in geometry["geometries"] for p in _all_positions(part)]
    return _positions(geometry["coordinates"], DEPTH[geometry["type"]])


def bbox(geometry: dict[str, Any]) -> dict[str, Any]:
    """The bounding box of a checked geometry, as a GeoJSON Polygon."""
    positions = _all_positions(geometry)
    west = min(p[0] for p in positions)
    east = max(p[0] for p in positions)
    south = min(p[1] for p in positions)
    north = max(p[1] for p in positions)
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(signed area, x, y) of a ring by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, 0.0, 0.0
    return area, cx / (6 * area), cy / (6 * area)


def centroid(geometry: dict[str, Any]) -> dict[str, Any]:
    """The centroid of a checked geometry, as a GeoJSON Point.

    Polygons weigh by area (holes subtract); without any area (points,
    lines) it is the mean of the positions. Planar in degrees: good enough
    to place a label or a search pin, not for surveying.
    """
    polygons: list[list[list[list[float]]]] = []
    stack = [geometry]
    while stack:
        part = stack.pop()
        if part["type"] == "GeometryCollection":
            stack += part["geometries"]
        elif part["type"] == "Polygon":
            polygons.append(part["coordinates"])
        elif part["type"] == "MultiPolygon":
            polygons += part["coordinates"]
    total = sx = sy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area, x, y = _ring_centroid(ring)
            # the outer ring counts positive and holes negative, whatever
            # their winding in the file
            weight = abs(area) if index == 0 else -abs(area)
            total += weight
            sx += weight * x
            sy += weight * y
    if total > 0:
        x, y = sx / total, sy / total
    else:
        positions = _all_positions(geometry)
        x = sum(p[0] for p in positions) / len(positions)
        y = sum(p[1] for p in positions) / len(positions)
    return {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]}
