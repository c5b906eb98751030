"""How to cite a dataset: the citation in Vietnamese and English, BibTeX, CSL-JSON.

Built from the dataset dict only (title, agency, issue date, version,
identifier, URL), so the same text appears on the page, in the downloads and
in the API.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["bibtex", "citation", "csl"]


def _year(pkg: dict[str, Any]) -> str:
    for key in ("issued", "metadata_created"):
        match = re.match(r"\d{4}", str(pkg.get(key) or ""))
        if match:
            return match.group(0)
    return ""


def _agency(pkg: dict[str, Any]) -> str:
    org = pkg.get("organization") or {}
    return org.get("title") or org.get("name") or tk.config.get("ckan.site_title") or ""


def _url(pkg: dict[str, Any]) -> str:
    return tk.url_for("dataset.read", id=pkg["name"], _external=True, locale="default")


def citation(pkg: dict[str, Any], today: datetime.date | None = None) -> dict[str, Any]:
    """{"vi": text, "en": text, "url", "year", "agency", "title", "title_en"}."""
    today = today or datetime.date.today()
    agency, year, url = _agency(pkg), _year(pkg), _url(pkg)
    site = tk.config.get("ckan.site_title") or ""
    title_vi = pkg.get("title") or pkg["name"]
    title_en = pkg.get("title_en") or title_vi
    version = pkg.get("version") or ""
    vi = f"{agency} ({year}). {title_vi}"
    en = f"{agency} ({year}). {title_en}"
    if version:
        vi += f", phiên bản {version}"
        en += f", version {version}"
    vi += f" [Bộ dữ liệu]. {site}. {url}. Truy cập ngày {today:%d/%m/%Y}."
    en += f" [Dataset]. {site}. {url}. Accessed {today:%Y-%m-%d}."
    return {
        "vi": vi,
        "en": en,
        "url": url,
        "year": year,
        "agency": agency,
        "title": title_vi,
        "title_en": title_en,
        "version": version,
        "identifier": pkg.get("identifier") or "",
        "publisher": site,
        "accessed": today.isoformat(),
    }


def _bib_escape(text: str) -> str:
    # BibTeX braces and backslashes; everything else is UTF-8 (biber reads it).
    return re.sub(r"([{}\\%&$#_])", r"\\\1", text)


def bibtex(pkg: dict[str, Any], today: datetime.date | None = None) -> str:
    """A @misc BibTeX entry (the agency as a corporate author, in braces)."""
    cite = citation(pkg, today)
    key = re.sub(r"[^A-Za-z0-9]+", "_", pkg["name"]).strip("_")
    if cite["year"]:
        key += f"_{cite['year']}"
    fields = [
        ("author", "{" + _bib_escape(cite["agency"]) + "}"),
        ("title", "{" + _bib_escape(cite["title"]) + "}"),
        ("year", cite["year"]),
        ("version", _bib_escape(cite["version"])),
        ("publisher", _bib_escape(cite["publisher"])),
        ("howpublished", "Bộ dữ liệu / Dataset"),
        ("url", cite["url"]),
        ("urldate", cite["accessed"]),
        ("note", _bib_escape(cite["identifier"])),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"


def csl(pkg: dict[str, Any], today: datetime.date | None = None) -> list[dict[str, Any]]:
    """CSL-JSON (a list of one item of type ``dataset``), for Zotero and pandoc."""
    cite = citation(pkg, today)
    accessed = datetime.date.fromisoformat(cite["accessed"])
    item: dict[str, Any] = {
        "id": pkg["name"],
        "type": "dataset",
        "title": cite["title"],
        "author": [{"literal": cite["agency"]}],
        "publisher": cite["publisher"],
        "URL": cite["url"],
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "language": "vi",
    }
    if cite["year"]:
        item["issued"] = {"date-parts": [[int(cite["year"])]]}
    if cite["version"]:
        item["version"] = cite["version"]
    if cite["identifier"]:
        item["number"] = cite["identifier"]
    return [item]
