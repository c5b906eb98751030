"""Pages of the oversight plugin: the national and agency dashboards and their exports."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response

from ckanext.nd47 import vocab
from ckanext.nd47.oversight import export
from ckanext.nd47.text import ui_lang

__all__ = ["oversight"]

oversight = Blueprint("nd47_oversight", __name__, url_prefix="/oversight")


def _filters() -> dict[str, Any]:
    args = tk.request.args
    return {key: args.get(key) for key in ("period", "province", "level") if args.get(key)}


def _figures(agency: str | None) -> dict[str, Any]:
    data = {**_filters(), **({"agency": agency} if agency else {})}
    context = {"user": tk.current_user.name if tk.current_user else ""}
    return tk.get_action("nd47_dashboard_show")(context, data)


def _page(agency: str | None) -> Any:
    try:
        figures = _figures(agency)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Agency not found"))
    except tk.ValidationError as exc:
        tk.h.flash_error("; ".join(f"{k}: {', '.join(v)}" for k, v in exc.error_dict.items()))
        figures = tk.get_action("nd47_dashboard_show")({}, {"agency": agency} if agency else {})
    org = None
    if agency:
        org = tk.get_action("organization_show")({}, {"id": agency, "include_datasets": False})
    lang = ui_lang()
    return tk.render(
        "nd47/oversight/dashboard.html",
        {
            "figures": figures,
            "org": org,
            "filters": _filters(),
            "levels": [(t.code, t.label(lang)) for t in vocab.get("agency_level")],
            "provinces": [
                (t.code, t.label(lang))
                for t in vocab.get("admin_unit")
                if t.extra.get("level") == "province"
            ],
        },
    )


def _export(agency: str | None, fmt: str) -> Any:
    if fmt not in export.FORMATS:
        return tk.abort(404)
    try:
        figures = _figures(agency)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Agency not found"))
    except tk.ValidationError:
        return tk.abort(400, tk._("The period must be a year, e.g. 2026"))
    body = {"csv": export.as_csv, "xlsx": export.as_xlsx, "json": export.as_json}[fmt](figures)
    response = make_response(body)
    response.headers["Content-Type"] = export.FORMATS[fmt]
    name = f"oversight-{agency or 'national'}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@oversight.route("/")
def national() -> Any:
    return _page(None)


@oversight.route("/agency/<agency>")
def agency_page(agency: str) -> Any:
    return _page(agency)


@oversight.route("/export.<fmt>")
def national_export(fmt: str) -> Any:
    return _export(None, fmt)


@oversight.route("/agency/<agency>/export.<fmt>")
def agency_export(agency: str, fmt: str) -> Any:
    return _export(agency, fmt)
