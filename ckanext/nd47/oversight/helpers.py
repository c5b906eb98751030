"""Template helpers of the oversight plugin: the dataset's score, home-page figures, charts.

They call actions only; templates never reach the model.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.logic import freshness
from ckanext.nd47.oversight import quality
from ckanext.nd47.text import ui_lang

__all__ = [
    "nd47_bar_rows",
    "nd47_date",
    "nd47_home_figures",
    "nd47_month",
    "nd47_number",
    "nd47_quality_band_label",
    "nd47_quality_dimension_label",
    "nd47_quality_for",
    "nd47_theme_icon",
    "nd47_themes",
]

log = logging.getLogger(__name__)

BAND_LABELS = {
    "excellent": quality.N_("Excellent"),
    "good": quality.N_("Good"),
    "sufficient": quality.N_("Sufficient"),
    "bad": quality.N_("Bad"),
}

# Stroke icons (24x24 viewBox) of the 12 national themes, drawn inline: no icon font, no CDN.
THEME_ICONS: dict[str, str] = {
    "y-te": "M9 3h6v6h6v6h-6v6H9v-6H3V9h6z",
    "lao-dong": "M3 7h18v13H3zM8 7V4h8v3M3 12h18",
    "cong-nghe": (
        "M7 7h10v10H7zM10 10h4v4h-4zM4 9h3M4 15h3M17 9h3M17 15h3M9 4v3M15 4v3M9 17v3M15 17v3"
    ),
    "nong-nghiep": "M5 19C5 9 12 4 20 4c0 8-5 15-15 15zM5 19l8-8",
    "kinh-te-thuong-mai": "M3 20h18M6 20v-6M11 20V9M16 20v-9M4 11l6-6 4 4 6-6",
    "co-so-ha-tang": "M2 18h20M4 18v-8M20 18v-8M2 10h20M8 10c0 4 8 4 8 0",
    "tai-chinh": (
        "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M15 9h-4a2 2 0 0 0 0 4h2a2 2 0 0 1 0 4H9M12 6v2M12 16v2"
    ),
    "nang-luong": "M13 2L4 14h7l-1 8 9-12h-7z",
    "giao-duc-dao-tao": "M2 9l10-5 10 5-10 5zM6 11v5c3 3 9 3 12 0v-5M22 9v6",
    "xa-hoi": (
        "M9 11a3 3 0 1 0 0-6a3 3 0 0 0 0 6M3 20c0-4 3-6 6-6s6 2 6 6"
        "M16 5a3 3 0 0 1 0 6M21 20c0-3-1-5-4-6"
    ),
    "moi-truong": "M12 22v-5M12 2l7 9h-4l4 5H5l4-5H5z",
    "dia-phuong": "M12 22s7-7 7-12a7 7 0 0 0-14 0c0 5 7 12 7 12zM12 12a2 2 0 1 0 0-4a2 2 0 0 0 0 4",
}
_DEFAULT_ICON = "M4 4h16v16H4z"


def nd47_quality_for(package_id: str) -> dict[str, Any] | None:
    """The dataset's newest score with what to fix, if the viewer may read it."""
    try:
        return tk.get_action("nd47_quality_show")({}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def nd47_quality_band_label(band: str | None) -> str:
    return tk._(BAND_LABELS.get(band or "", "")) if band in BAND_LABELS else ""


DIMENSION_LABELS = {
    "findability": quality.N_("Findability"),
    "accessibility": quality.N_("Accessibility"),
    "interoperability": quality.N_("Interoperability"),
    "reusability": quality.N_("Reusability"),
    "contextuality": quality.N_("Contextuality"),
}


def nd47_quality_dimension_label(name: str) -> str:
    return tk._(DIMENSION_LABELS[name]) if name in DIMENSION_LABELS else name


def nd47_theme_icon(code: str) -> str:
    """The SVG path data of a theme's icon."""
    return THEME_ICONS.get(code, _DEFAULT_ICON)


def nd47_themes() -> list[dict[str, str]]:
    """The national themes in order, labelled in the interface language."""
    lang = ui_lang()
    return [
        {"code": term.code, "label": term.label(lang), "icon": nd47_theme_icon(term.code)}
        for term in vocab.get("themes")
    ]


def nd47_number(value: Any, digits: int = 0) -> str:
    """A number in the interface's format (Vietnamese: 1.234,5; English: 1,234.5)."""
    if value is None or value == "":
        return "–"
    text = f"{float(value):,.{digits}f}"
    if ui_lang() == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def nd47_date(value: Any) -> str:
    """A date as the interface writes it (Vietnamese: 31/12/2026; English: 2026-12-31)."""
    when = freshness.parse_when(value)
    if when is None:
        return ""
    return when.strftime("%d/%m/%Y") if ui_lang() == "vi" else when.strftime("%Y-%m-%d")


def nd47_month(value: str) -> str:
    """A "YYYY-MM" month as the interface writes it (Vietnamese: 11/2026)."""
    year, _sep, month = (value or "").partition("-")
    return f"{month}/{year}" if ui_lang() == "vi" and month else value


def nd47_bar_rows(
    rows: list[dict[str, Any]], value: str = "count", label: str = "label"
) -> list[dict[str, Any]]:
    """Rows for an inline SVG bar chart: label, value and the bar's width in percent."""
    top = max((float(row.get(value) or 0) for row in rows), default=0) or 1
    return [
        {
            "label": row.get(label) or "",
            "value": row.get(value) or 0,
            "width": round(100 * float(row.get(value) or 0) / top, 1),
            "row": row,
        }
        for row in rows
    ]


def nd47_home_figures() -> dict[str, Any]:
    """National public figures, newest and most viewed datasets for the home page."""
    out: dict[str, Any] = {"figures": None, "newest": [], "popular": []}
    try:
        out["figures"] = tk.get_action("nd47_dashboard_show")({}, {})
    except Exception:  # a home page without figures beats a 500
        log.exception("home page figures")
    search = tk.get_action("package_search")
    try:
        out["newest"] = search({}, {"rows": 5, "sort": "metadata_created desc"})["results"]
        out["popular"] = search(
            {}, {"rows": 5, "sort": "views_recent desc, metadata_modified desc"}
        )["results"]
    except Exception:
        log.exception("home page datasets")
    return out
