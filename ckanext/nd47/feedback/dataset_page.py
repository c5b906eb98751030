"""What the citizen's dataset page shows, computed from the dataset dict.

Labels instead of codes (vocabularies), the spatial coverage as an SVG
outline drawn from its GeoJSON (the fallback of the Leaflet map, which
draws the same geometries), and the first rows of a small uploaded CSV file.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.text import as_list, ui_lang

__all__ = ["csv_preview", "facts", "outline", "size_label"]

log = logging.getLogger(__name__)

PREVIEW_FORMATS = ("CSV", "TSV")
PREVIEW_ROWS = 10
PREVIEW_MAX_BYTES = 5 * 1024 * 1024
SVG_SIZE = 300.0


def _labels(name: str, codes: Any) -> list[str]:
    lang = ui_lang()
    return [vocab.label(name, str(code), lang) for code in as_list(codes)]


def facts(pkg: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows of the summary, empty values left out."""
    lang = ui_lang()
    temporal = [
        " – ".join(
            filter(None, (tk.h.render_datetime(p.get("start")), tk.h.render_datetime(p.get("end"))))
        )
        for p in as_list(pkg.get("temporal_coverage"))
        if isinstance(p, dict)
    ]
    places = [p.get("text") for p in as_list(pkg.get("spatial_coverage")) if isinstance(p, dict)]
    rows = [
        (tk._("Agency"), (pkg.get("organization") or {}).get("title", "")),
        (tk._("Sharing class"), vocab.label("sharing_class", pkg.get("sharing_class"), lang)),
        (tk._("Themes"), ", ".join(_labels("themes", pkg.get("theme")))),
        (tk._("Area covered"), ", ".join(_labels("admin_unit", pkg.get("admin_units")))),
        (tk._("Places"), ", ".join(filter(None, places))),
        (tk._("Period covered"), "; ".join(filter(None, temporal))),
        (tk._("Update frequency"), vocab.label("frequency", pkg.get("frequency"), lang)),
        (tk._("Issued"), tk.h.render_datetime(pkg.get("issued")) if pkg.get("issued") else ""),
        (
            tk._("Last updated"),
            tk.h.render_datetime(pkg.get("modified") or pkg.get("metadata_modified")),
        ),
        (tk._("Languages"), ", ".join(_labels("language", pkg.get("language")))),
        (tk._("Version"), pkg.get("version") or ""),
    ]
    return [(label, value) for label, value in rows if value]


def _geometries(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for place in as_list(pkg.get("spatial_coverage")):
        if not isinstance(place, dict):
            continue
        # the exact geometry when there is one, else the bounding box
        for key in ("geom", "bbox", "centroid"):
            try:
                geometry = json.loads(place.get(key) or "null")
            except ValueError:
                geometry = None
            if isinstance(geometry, dict) and (
                geometry.get("coordinates") or geometry.get("geometries")
            ):
                found.append(geometry)
                break
    return found


def _rings(geometry: dict[str, Any]) -> tuple[list[list[list[float]]], list[list[float]]]:
    """(polygon rings, points) of a GeoJSON geometry."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return [], [coords]
    if kind == "MultiPoint":
        return [], list(coords)
    if kind in ("LineString",):
        return [coords], []
    if kind in ("Polygon", "MultiLineString"):
        return list(coords), []
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon], []
    if kind == "GeometryCollection":
        rings: list[list[list[float]]] = []
        points: list[list[float]] = []
        for member in geometry.get("geometries") or []:
            more_rings, more_points = _rings(member) if isinstance(member, dict) else ([], [])
            rings += more_rings
            points += more_points
        return rings, points
    return [], []


def outline(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The spatial coverage as SVG: ``{"viewbox", "paths": [d], "points": [(x, y)],
    "geometries": [GeoJSON]}`` (the geometries for the map).

    An equirectangular projection scaled to the shapes' extent (longitudes
    shrunk by the cosine of the mean latitude), north up.
    """
    rings: list[list[list[float]]] = []
    points: list[list[float]] = []
    geometries = _geometries(pkg)
    for geometry in geometries:
        more_rings, more_points = _rings(geometry)
        rings += more_rings
        points += more_points
    every = [p for ring in rings for p in ring] + points
    try:
        xs = [float(p[0]) for p in every]
        ys = [float(p[1]) for p in every]
    except (TypeError, ValueError, IndexError):
        return None
    if not xs:
        return None
    squeeze = math.cos(math.radians((min(ys) + max(ys)) / 2))
    width = max((max(xs) - min(xs)) * squeeze, 0.1)
    height = max(max(ys) - min(ys), 0.1)
    scale = SVG_SIZE / max(width, height)
    pad = 10.0

    def project(p: list[float]) -> tuple[float, float]:
        x = pad + (float(p[0]) - min(xs)) * squeeze * scale
        y = pad + (max(ys) - float(p[1])) * scale
        return round(x, 1), round(y, 1)

    paths = []
    for ring in rings:
        projected = [project(p) for p in ring]
        paths.append("M" + " L".join(f"{x},{y}" for x, y in projected) + " Z")
    return {
        "viewbox": f"0 0 {round(width * scale + 2 * pad, 1)} {round(height * scale + 2 * pad, 1)}",
        "paths": paths,
        "points": [project(p) for p in points],
        "geometries": geometries,
    }


def size_label(size: Any) -> str:
    """A file size in words: 1.2 MB, 340 kB, 12 bytes."""
    try:
        value = int(size)
    except (TypeError, ValueError):
        return ""
    if value <= 0:
        return ""
    return tk.h.localised_filesize(value)


def _upload_path(resource: dict[str, Any]) -> str | None:
    # The one adapter onto CKAN's uploader: where an uploaded file is stored.
    from ckan.lib.uploader import get_resource_uploader

    try:
        return get_resource_uploader(resource).get_path(resource["id"])
    except Exception as error:  # storage not configured
        log.debug("nd47_feedback: no upload path for %s: %s", resource.get("id"), error)
        return None


def csv_preview(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The first rows of a small uploaded CSV/TSV: ``{"header", "rows"}``, else None.

    Only files stored by this portal are read (never a remote URL at page
    time); cells are plain text, escaped by the template.
    """
    if (resource.get("format") or "").upper() not in PREVIEW_FORMATS:
        return None
    if resource.get("url_type") != "upload":
        return None
    path = _upload_path(resource)
    if not path or not os.path.isfile(path) or os.path.getsize(path) > PREVIEW_MAX_BYTES:
        return None
    with open(path, "rb") as f:
        head = f.read(64 * 1024).decode("utf-8-sig", errors="replace")
    lines = head.splitlines()[: PREVIEW_ROWS + 1]
    delimiter = "\t" if (resource.get("format") or "").upper() == "TSV" else ","
    try:
        table = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:
        return None
    if not table:
        return None
    return {"header": table[0], "rows": table[1:]}
