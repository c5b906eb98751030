"""Pages of the nd47 plugin: the register of master databases, bulk dataset import.

``/master-data`` lists the national and sector databases of the register
(vocabulary ``master_database``); ``/master-data/<code>`` shows one with the
datasets derived from it (``master_source``) that the visitor may see.

``/organization/<id>/bulk`` ("Nhập hàng loạt", a tab of the agency page):
upload an .xlsx or .csv file, see what it would change (a dry run), then
confirm; with links to the template and to the export of the agency's
datasets. The confirmation sends the checked file back with the form, so
nothing is kept on the server between the two steps.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response
from werkzeug.datastructures import FileStorage

from ckanext.nd47 import vocab
from ckanext.nd47.text import ui_lang

__all__ = ["nd47"]

nd47 = Blueprint("nd47", __name__)

# Derived datasets listed on an entry's page.
DERIVED_ROWS = 100


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user else ""}


def _entry(term: vocab.Term, lang: str) -> dict[str, Any]:
    extra = term.extra
    return {
        "code": term.code,
        "name": term.label(lang),
        "uri": term.uri,
        "managing_body": extra.get("managing_body_en" if lang == "en" else "managing_body_vi")
        or extra.get("managing_body_vi", ""),
        "legal_basis": extra.get("legal_basis") or [],
        "legal_basis_confirmed": bool(extra.get("legal_basis_confirmed")),
    }


def index() -> Any:
    """Every database of the register, with how many datasets derive from each."""
    result = tk.get_action("package_search")(
        _context(),
        {
            "q": "*:*",
            "rows": 0,
            "facet.field": ["master_source"],
            "facet.limit": -1,
            "include_private": True,
        },
    )
    counts = result["facets"].get("master_source", {})
    lang = ui_lang()
    entries = [
        dict(_entry(t, lang), count=counts.get(t.code, 0)) for t in vocab.get("master_database")
    ]
    return tk.render("nd47/master_data/index.html", {"entries": entries})


def read(code: str) -> Any:
    """One database of the register and the datasets derived from it."""
    term = vocab.term("master_database", code)
    if term is None:
        return tk.abort(404, tk._("Master database not found"))
    result = tk.get_action("package_search")(
        _context(),
        {
            "fq": f'+master_source:"{term.code}"',
            "rows": DERIVED_ROWS,
            "sort": "title_string asc",
            "include_private": True,
        },
    )
    return tk.render(
        "nd47/master_data/read.html",
        {"entry": _entry(term, ui_lang()), "datasets": result["results"], "count": result["count"]},
    )


def _bulk_page(org_id: str) -> dict[str, Any]:
    """The agency, once the visitor may bulk-import for it (else 403/404)."""
    try:
        org = tk.get_action("organization_show")(
            _context(), {"id": org_id, "include_datasets": False}
        )
        tk.check_access("nd47_dataset_bulk_import", _context(), {"organization_id": org["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    return org


def _posted_file() -> Any:
    """The uploaded file, or the one the dry run checked (sent back with the confirmation)."""
    upload = tk.request.files.get("upload")
    if upload is not None and upload.filename:
        return upload
    content = tk.request.form.get("content") or ""
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data:
        return None
    return FileStorage(io.BytesIO(data), filename=tk.request.form.get("filename") or "")


def bulk(org_id: str) -> Any:
    """Upload, dry run and confirmation of a bulk dataset import."""
    org = _bulk_page(org_id)
    errors: dict[str, Any] = {}
    result = None
    checked: dict[str, str] = {}
    if tk.request.method == "POST":
        upload = _posted_file()
        confirm = "confirm" in tk.request.form
        data = upload.read() if upload is not None else b""
        filename = upload.filename if upload is not None else ""
        try:
            result = tk.get_action("nd47_dataset_bulk_import")(
                _context(),
                {
                    "organization_id": org["id"],
                    "upload": FileStorage(io.BytesIO(data), filename=filename)
                    if upload is not None
                    else None,
                    "dry_run": not confirm,
                },
            )
        except tk.ValidationError as err:
            errors = err.error_dict
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Not authorized to see this page"))
        if result is not None and confirm:
            tk.h.flash_success(
                # its own words: the plan import's message counts items, not datasets
                tk._(
                    "Imported datasets: %(created)s new, %(updated)s updated,"
                    " %(unchanged)s unchanged"
                )
                % result
            )
            return tk.redirect_to("nd47.bulk", org_id=org["name"])
        if result is not None and (result["created"] or result["updated"]):
            checked = {"content": base64.b64encode(data).decode("ascii"), "filename": filename}
    return tk.render(
        "nd47/bulk/index.html",
        {
            "group_dict": org,
            "group_type": "organization",
            "errors": errors,
            "result": result,
            "checked": checked,
        },
    )


def bulk_file(org_id: str, kind: str, fmt: str) -> Any:
    """The template or the agency's datasets as .xlsx or .csv."""
    org = _bulk_page(org_id)
    try:
        found = tk.get_action("nd47_dataset_bulk_export")(
            _context(),
            {"organization_id": org["id"], "format": fmt, "template": kind == "template"},
        )
    except tk.ValidationError:
        return tk.abort(404, tk._("No such file format"))
    response = make_response(base64.b64decode(found["content"]))
    response.headers["Content-Type"] = found["mimetype"]
    response.headers["Content-Disposition"] = f'attachment; filename="{found["filename"]}"'
    return response


nd47.add_url_rule("/master-data", view_func=index, endpoint="master_data_index")
nd47.add_url_rule("/master-data/<code>", view_func=read, endpoint="master_data_read")
nd47.add_url_rule(
    "/organization/<org_id>/bulk", view_func=bulk, endpoint="bulk", methods=["GET", "POST"]
)
nd47.add_url_rule(
    "/organization/<org_id>/bulk/<any(template, export):kind>.<any(xlsx, csv):fmt>",
    view_func=bulk_file,
    endpoint="bulk_file",
)
