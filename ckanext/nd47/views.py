"""Pages of the nd47 plugin: the register of master databases.

``/master-data`` lists the national and sector databases of the register
(vocabulary ``master_database``); ``/master-data/<code>`` shows one with the
datasets derived from it (``master_source``) that the visitor may see.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

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


nd47.add_url_rule("/master-data", view_func=index, endpoint="master_data_index")
nd47.add_url_rule("/master-data/<code>", view_func=read, endpoint="master_data_read")
