"""The dashboard's figures as CSV, XLSX and JSON files.

CSV: one row per figure (section, key, label, value), then one row per
agency of the ranking. XLSX: a "figures" sheet in the same shape and one
sheet per list (agencies, overdue items, stale datasets, broken links,
lowest quality).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

__all__ = [
    "AGENCY_COLUMNS",
    "FORMATS",
    "SHARING_AGENCY",
    "SHARING_NATIONAL",
    "as_csv",
    "as_json",
    "as_xlsx",
    "figure_rows",
]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
AGENCY_COLUMNS = (
    "rank",
    "name",
    "title",
    "province_code",
    "agency_level",
    "datasets",
    "stale",
    "quality",
    "broken_links",
    "planned",
    "published",
    "overdue",
    "completion_rate",
    "on_time_rate",
)


# the sharing register's figures shown on the dashboards: national, then per agency
SHARING_DECISIONS = ("granted", "refused", "overdue", "revoked", "median_days_to_decide")
SHARING_NATIONAL = ("requests", *SHARING_DECISIONS)
SHARING_AGENCY = ("requests_received", "requests_made", *SHARING_DECISIONS)


def figure_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """(section, key, label, value) of every single figure and distribution."""
    datasets, plans = figures["datasets"], figures["plans"]
    quality, stale, links = figures["quality"], figures["stale"], figures["links"]
    rows: list[tuple[str, str, str, Any]] = [
        ("datasets", "count", "", datasets["count"]),
        ("plans", "planned", "", plans["planned"]),
        ("plans", "published", "", plans["published"]),
        ("plans", "owed", "", plans["owed"]),
        ("plans", "overdue", "", plans["overdue"]),
        ("plans", "completion_rate", "", plans["completion_rate"]),
        ("plans", "on_time_rate", "", plans["on_time_rate"]),
        ("quality", "average", "", quality["average"]),
        ("quality", "scored", "", quality["scored"]),
        ("stale", "count", "", stale["count"]),
        ("links", "checked", "", links["checked"]),
        ("links", "broken", "", links["broken"]),
    ]
    for name in ("themes", "sharing_class", "admin_unit"):
        rows += [(f"datasets.{name}", r["code"], r["label"], r["count"]) for r in datasets[name]]
    rows += [("quality.bands", r["band"], "", r["count"]) for r in quality["bands"]]
    rows += [("quality.trend", r["month"], "", r["average"]) for r in quality["trend"]]
    sharing = figures.get("sharing")
    if sharing:
        rows += [("sharing", key, "", sharing["national"][key]) for key in SHARING_NATIONAL]
        for agency in sharing["agencies"]:
            rows += [
                (f"sharing.{key}", agency["agency"], agency["agency_title"], agency[key])
                for key in SHARING_AGENCY
            ]
    return rows


def as_json(figures: dict[str, Any]) -> bytes:
    return json.dumps(figures, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def as_csv(figures: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("section", "key", "label", "value"))
    writer.writerows(figure_rows(figures))
    writer.writerow(())
    writer.writerow(AGENCY_COLUMNS)
    for agency in figures["agencies"]:
        writer.writerow([agency.get(col) for col in AGENCY_COLUMNS])
    # a BOM so that Excel opens the Vietnamese text as UTF-8
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(figures: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(("section", "key", "label", "value"))
    for row in figure_rows(figures):
        sheet.append(list(row))
    lists = {
        "agencies": (AGENCY_COLUMNS, figures["agencies"]),
        "overdue": (
            ("code", "title", "agency", "status", "due_date"),
            figures["plans"]["overdue_items"],
        ),
        "stale": (
            ("name", "title", "agency", "frequency", "data_modified"),
            figures["stale"]["datasets"],
        ),
        "broken_links": (
            ("name", "agency", "url", "status_code", "error"),
            figures["links"]["broken_items"],
        ),
        "lowest_quality": (
            ("name", "title", "agency", "score", "band"),
            figures["quality"]["lowest"],
        ),
    }
    if figures.get("sharing"):
        columns = ("agency", "agency_title", *SHARING_AGENCY)
        lists["sharing"] = (columns, figures["sharing"]["agencies"])
    for title, (columns, items) in lists.items():
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for item in items:
            sheet.append([item.get(col) for col in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
