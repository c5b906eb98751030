"""The open-data list (danh mục dữ liệu mở): its columns, rows, files and "last sent" record.

One row per dataset an agency opens: the items of its approved plans
(planned, or published with their linked dataset) and its public open
datasets no item names. Rows are built from plain dicts (plan items as
``nd47_plan_item_list`` returns them, datasets as ``package_search`` returns
them to an anonymous user), so private or shared data can never reach the
list. The columns are data (``COLUMNS``), chosen and ordered by the option
``ckanext.nd47.plans.opendata_list_columns``; every file — CSV, XLSX, JSON —
carries the same rows in the same order, and the Turtle file the public
open datasets among them as a ``dcat:Catalog``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid
from sqlalchemy import Column, DateTime, Integer, UnicodeText
from sqlalchemy.orm import Mapped

from ckanext.nd47 import vocab
from ckanext.nd47.logic.rules import is_open_public
from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.model import utcnow
from ckanext.nd47.text import as_list

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MIMETYPES",
    "ListColumn",
    "ListSent",
    "columns",
    "dataset_row",
    "item_row",
    "render",
]


@dataclass(frozen=True)
class ListColumn:
    key: str
    vi: str
    en: str


# Every column the list can have, in the order files show them. The legal text
# that fixes the list's content (Decree 165/2025/NĐ-CP Art. 10) could not be
# read: these follow the Law on Data 2024 Art. 21 and the wording.
COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", "Tên dữ liệu", "Name"),
    ListColumn("agency", "Cơ quan", "Agency"),
    ListColumn("theme", "Chủ đề", "Theme"),
    ListColumn("description", "Mô tả", "Description"),
    ListColumn("formats", "Định dạng", "Formats"),
    ListColumn("access_mode", "Hình thức cung cấp", "Way of provision"),
    ListColumn("update_cadence", "Tần suất cập nhật", "Update frequency"),
    ListColumn("status", "Tình trạng", "Status"),
    ListColumn("date", "Ngày công bố hoặc dự kiến", "Date published or planned"),
    ListColumn("link", "Đường dẫn", "Link"),
)
FORMATS = ("csv", "xlsx", "json", "ttl")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
}
PUBLISHED = "Đã công bố"
PLANNED = "Dự kiến"
# rows that will not be opened are not part of the list
_LEFT_OUT = (workflow.WITHDRAWN, workflow.CANNOT_BE_OPENED)


class ListSent(tk.BaseModel):
    """One sending of an agency's list to the National Data Portal."""

    __tablename__ = "nd47_opendata_list_sent"

    id: Mapped[str] = Column(UnicodeText, primary_key=True, default=make_uuid)
    owner_org: Mapped[str] = Column(UnicodeText, nullable=False, index=True)
    sent_at: Mapped[datetime.datetime] = Column(DateTime, nullable=False, default=utcnow)
    user_id: Mapped[str | None] = Column(UnicodeText)
    rows: Mapped[int] = Column(Integer, nullable=False, default=0)
    checksum: Mapped[str] = Column(UnicodeText, nullable=False, default="")
    note: Mapped[str | None] = Column(UnicodeText)


def columns() -> tuple[ListColumn, ...]:
    """The columns the option selects, in COLUMNS order (unknown names are ignored)."""
    wanted = set(tk.aslist(tk.config.get("ckanext.nd47.plans.opendata_list_columns")))
    return tuple(c for c in COLUMNS if c.key in wanted) or COLUMNS


def _vocab_labels(name: str, codes: Any) -> str:
    return ", ".join(vocab.label(name, code, "vi") for code in as_list(codes))


def _dataset_url(name: str) -> str:
    return tk.url_for("dataset.read", id=name, _external=True)


def item_row(item: dict[str, Any], agency: str) -> dict[str, Any] | None:
    """The row of a plan item (``nd47_plan_item_list`` dict); None when not in the list."""
    if item.get("status") in _LEFT_OUT:
        return None
    published = item.get("status") == workflow.PUBLISHED and item.get("dataset_name")
    mode = item.get("access_mode")
    return {
        "name": item.get("title") or "",
        "agency": agency,
        "theme": _vocab_labels("themes", item.get("theme")),
        "description": item.get("description") or "",
        "formats": _vocab_labels("file_type", item.get("formats")),
        "access_mode": workflow.vi(workflow.ACCESS_MODES[mode]) if mode else "",
        "update_cadence": _vocab_labels("frequency", item.get("update_cadence")),
        "status": PUBLISHED if published else PLANNED,
        "date": (item.get("status_changed") or "")[:10]
        if published
        else item.get("due_date") or "",
        "link": _dataset_url(item["dataset_name"]) if published else "",
        "package_id": item.get("package_id") if published else None,
    }


def dataset_row(pkg: dict[str, Any], agency: str) -> dict[str, Any] | None:
    """The row of a dataset (``package_search`` dict); None unless it is public and open."""
    if not is_open_public(pkg):
        return None
    resources = pkg.get("resources") or []
    formats = [str(r.get("format") or "").upper() for r in resources]
    api = "API" in formats or any(r.get("datastore_active") for r in resources)
    files = [f for f in formats if f and f != "API"]
    mode = "download_api" if api and files else "api" if api else "download"
    known = {t.code for t in vocab.get("file_type")}
    return {
        "name": pkg.get("title") or pkg["name"],
        "agency": agency,
        "theme": _vocab_labels("themes", pkg.get("theme")),
        "description": pkg.get("notes") or "",
        "formats": ", ".join(
            vocab.label("file_type", f, "vi") if f in known else f
            for f in dict.fromkeys(f for f in formats if f)
        ),
        "access_mode": workflow.vi(workflow.ACCESS_MODES[mode]),
        "update_cadence": _vocab_labels("frequency", pkg.get("frequency")),
        "status": PUBLISHED,
        "date": str(pkg.get("issued") or pkg.get("metadata_created") or "")[:10],
        "link": _dataset_url(pkg["name"]),
        "package_id": pkg["id"],
    }


# --- files -------------------------------------------------------------------------
def _table(rows: list[dict[str, Any]]) -> tuple[list[ListColumn], list[list[str]]]:
    cols = list(columns())
    return cols, [[str(row.get(c.key) or "") for c in cols] for row in rows]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    cols, values = _table(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.vi for c in cols])
    writer.writerow([c.en for c in cols])
    for row in values:
        # a cell starting like a formula is text for spreadsheets too
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cols, values = _table(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh mục dữ liệu mở"
    sheet.append([c.vi for c in cols])
    sheet.append([c.en for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in values:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # values are text: never read as formulas
            cell.data_type = "s"
    sheet.freeze_panes = "A3"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _json(rows: list[dict[str, Any]], title: str) -> bytes:
    cols, values = _table(rows)
    document = {
        "title": title,
        "columns": [{"key": c.key, "vi": c.vi, "en": c.en} for c in cols],
        "rows": [dict(zip([c.key for c in cols], row, strict=True)) for row in values],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _turtle(rows: list[dict[str, Any]], title: str) -> bytes:
    from rdflib import DCAT, DCTERMS, RDF, Graph, Literal, URIRef

    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    catalog = URIRef(tk.url_for("nd47_plans.opendata_list", _external=True))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="vi")))
    for row in rows:
        # only published public open datasets: planned items are no datasets yet
        if not row.get("package_id"):
            continue
        dataset = URIRef(row["link"])
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(row["name"], lang="vi")))
        graph.add((dataset, DCTERMS.identifier, Literal(row["package_id"])))
        graph.add((dataset, DCAT.landingPage, dataset))
        if row.get("description"):
            graph.add((dataset, DCTERMS.description, Literal(row["description"], lang="vi")))
        if row.get("agency"):
            graph.add((dataset, DCTERMS.publisher, Literal(row["agency"], lang="vi")))
    return graph.serialize(format="turtle").encode("utf-8")


def render(rows: list[dict[str, Any]], fmt: str, title: str) -> bytes:
    """The list as a file of format ``fmt`` (one of FORMATS)."""
    if fmt == "csv":
        return _csv(rows)
    if fmt == "xlsx":
        return _xlsx(rows, title)
    if fmt == "json":
        return _json(rows, title)
    return _turtle(rows, title)


def checksum(rows: list[dict[str, Any]]) -> str:
    """A fingerprint of the rows sent: equal when the list has not changed."""
    return hashlib.sha256(_json(rows, "")).hexdigest()
