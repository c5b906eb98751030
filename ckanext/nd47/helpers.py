"""Template helpers of ckanext-nd47 (registered by ``tk.blanket.helpers``)."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.logic import freshness, rules
from ckanext.nd47.text import ui_lang

__all__ = [
    "dataset_display_name",
    "get_translated",
    "nd47_agency_choices",
    "nd47_agency_default",
    "nd47_error_text",
    "nd47_freshness",
    "nd47_is_open_public",
    "nd47_map_settings",
    "nd47_open_format_missing",
    "nd47_private_reason",
    "nd47_vocab_choices",
    "nd47_vocab_label",
    "render_datetime",
]

# Leaflet's files and their webassets.yml, copied here by scripts/assets.sh
MAP_VENDOR_DIR = Path(__file__).resolve().parent / "vendor"


def leaflet_installed() -> bool:
    """Whether scripts/assets.sh has installed Leaflet (else maps fall back to SVG)."""
    return (MAP_VENDOR_DIR / "webassets.yml").is_file()


def nd47_map_settings() -> dict[str, Any]:
    """What the map widgets need: whether Leaflet is there, the base tiles."""
    return {
        "leaflet": leaflet_installed(),
        "tile_url": tk.config.get("ckanext.nd47.map.tile_url"),
        "attribution": tk.config.get("ckanext.nd47.map.tile_attribution"),
    }


# How dates are written per locale when a template gives no format of its own
# (strftime patterns; CKAN has already moved the time to ckan.display_timezone).
# CKAN's default for every locale is Babel's 'long' date and, with hours, the
# English-ordered pattern "MMMM d, YYYY, HH:mm (z)", which reads
# "tháng 11 26, 2026, 14:05 (UTC)" in Vietnamese. Vietnamese administrative
# texts write dates as day/month/year: 26/11/2026.
DATE_FORMATS: dict[str, tuple[str, str, str]] = {
    # locale: (date, date with hours, date with seconds)
    "vi": ("%d/%m/%Y", "%d/%m/%Y %H:%M (%Z)", "%d/%m/%Y %H:%M:%S (%Z)"),
}


@tk.chained_helper
def render_datetime(
    next_func: Any,
    datetime_: datetime.datetime | str | None,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's render_datetime, with day/month/year dates in Vietnamese."""
    formats = None if date_format else DATE_FORMATS.get(tk.h.lang() or "")
    if formats is None:
        return next_func(
            datetime_, date_format=date_format, with_hours=with_hours, with_seconds=with_seconds
        )
    pattern = formats[2] if with_seconds else formats[1] if with_hours else formats[0]
    return next_func(datetime_, date_format=pattern)


# Fields whose English text the schemas keep in ``<field>_en`` (datasets:
# title_en, notes_en; agencies: title_en).
ENGLISH_TWINS = ("title", "notes")


@tk.chained_helper
def get_translated(next_func: Any, data_dict: dict[str, Any], field: str) -> Any:
    """CKAN's get_translated; in the English UI the ``<field>_en`` text when present."""
    if field in ENGLISH_TWINS and ui_lang() == "en":
        english = (data_dict.get(f"{field}_en") or "").strip()
        if english:
            return english
    return next_func(data_dict, field)


@tk.chained_helper
def dataset_display_name(next_func: Any, package_or_package_dict: Any) -> str:
    """CKAN's dataset_display_name, with the English title in the English UI."""
    if isinstance(package_or_package_dict, dict):
        english = get_translated(lambda _d, _f: None, package_or_package_dict, "title")
        if english:
            return english
    return next_func(package_or_package_dict)


def nd47_vocab_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices for the vocabulary named by the field's ``nd47_vocabulary``.

    ``nd47_level`` (``province`` or ``commune``) keeps only those admin units;
    ``nd47_store_uri`` makes the terms' URIs the values (fields DCAT reads as
    URIs, e.g. an agent's type and role), labelled like the codes.
    """
    level = field.get("nd47_level")
    name = field["nd47_vocabulary"]
    by_uri = bool(field.get("nd47_store_uri"))
    return _choices(name, level, by_uri, vocab.uri_base(), vocab.version(name))


@lru_cache(maxsize=64)
def _choices(
    name: str, level: str | None, by_uri: bool, _base: str, _version: Any
) -> list[dict[str, Any]]:
    return [
        {"value": t.uri if by_uri else t.code, "label": t.labels()}
        for t in vocab.get(name)
        if level is None or t.extra.get("level") == level
    ]


def nd47_agency_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices: the portal's agencies (organizations), by name."""
    orgs = tk.get_action("organization_list")(
        {"ignore_auth": True}, {"all_fields": True, "limit": 1000}
    )
    return [{"value": o["name"], "label": o["title"] or o["name"]} for o in orgs]


# The legal choice a new dataset starts with, by its agency's level: a local
# agency's data is a local database and, unless the publisher says otherwise,
# "other" data (legal with every sharing class). A ministry's importance and a
# public service unit's choices are left to the publisher.
AGENCY_DEFAULTS: dict[str, dict[str, str]] = {
    "bo": {"database_kind": "bo-nganh"},
    "tinh": {"database_kind": "dia-phuong", "importance": "khac"},
    "so-nganh": {"database_kind": "dia-phuong", "importance": "khac"},
    "xa": {"database_kind": "dia-phuong", "importance": "khac"},
}


def nd47_agency_default(field_name: str, owner_org: str | None) -> str | None:
    """The starting value of ``field_name`` in a new dataset of ``owner_org``.

    Without an agency, the first one the user may publish for (the one the
    form preselects).
    """
    if not owner_org:
        available = tk.h.organizations_available("create_dataset")
        owner_org = available[0]["id"] if available else None
    if not owner_org:
        return None
    try:
        agency = tk.get_action("organization_show")(
            {}, {"id": owner_org, "include_datasets": False, "include_users": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return AGENCY_DEFAULTS.get(agency.get("agency_level") or "", {}).get(field_name)


# A message's own subject ("Sharing class: ..."), shown after the field's
# label in a form, where it would say the label twice.
_SUBJECT = re.compile(r"^[^:\"“”{}\n]{1,48}:\s+")


def nd47_error_text(message: Any) -> str:
    """An error message for a form, without its leading "Field:" subject."""
    text = str(message)
    return _SUBJECT.sub("", text, count=1) or text


def nd47_vocab_label(name: str, code: str | None) -> str:
    """The label of a vocabulary code in the user's language."""
    return vocab.label(name, code, ui_lang())


def nd47_is_open_public(pkg_dict: dict[str, Any]) -> bool:
    return rules.is_open_public(pkg_dict)


def nd47_private_reason(pkg_dict: dict[str, Any]) -> str | None:
    """Why a dataset is private, when the sharing-class rule forced it."""
    if pkg_dict.get("private") and rules.must_be_private(pkg_dict.get("sharing_class")):
        return tk._(
            'This dataset is private because its sharing class is "{sharing_class}": '
            "only open data may be public (Law on Data 2024, Art. 3, 13 and 21)."
        ).format(sharing_class=nd47_vocab_label("sharing_class", pkg_dict.get("sharing_class")))
    return None


def nd47_open_format_missing(pkg_dict: dict[str, Any]) -> bool:
    """An open public dataset without an open, machine-readable resource."""
    return rules.open_format_missing(pkg_dict)


def nd47_freshness(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """Whether the dataset's data is up to date for its declared frequency.

    ``{"stale": bool, "expected": ISO datetime the data turns stale,
    "last_change": ISO datetime}`` (``logic.freshness``, the rule the
    dashboards count); None when the frequency has no period or no date is known.
    """
    last_change = freshness.dataset_last_change(pkg_dict)
    expected = freshness.stale_after(last_change, pkg_dict.get("frequency"))
    if last_change is None or expected is None:
        return None
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return {
        "stale": freshness.is_stale(last_change, pkg_dict.get("frequency"), now),
        "expected": expected.isoformat(),
        "last_change": last_change.isoformat(),
    }
