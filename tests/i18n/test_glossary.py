"""One Vietnamese label per field, one Vietnamese text per msgid.

For every field of our schemas (dataset, resource, agency), of a plan and a
plan item, and every column of our spreadsheets (plan files, the open-data
list, the bulk dataset files), the test collects each Vietnamese label the
portal can show for it: the schema's own label, the catalogue's translation
(under any message context) of its English label and of the labels
ckanext-dcat's and ckanext-scheming's schemas give the same field (the DCAT
pages show those), and the hard-coded Vietnamese headers of the files. Two
different terms for one field fail; docs/i18n.md's glossary records which one
was kept.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from ckanext.nd47 import catalogues, translations
from ckanext.nd47.plans import fields, opendata_list, workflow
from tests.i18n import test_catalogue

VI_DIR = translations.I18N_DIR / "vi" / "LC_MESSAGES"
CATALOGUES = (VI_DIR / "ckanext-nd47.po", VI_DIR / f"{catalogues.UPSTREAM_DOMAIN}.po")
SCHEMA_DIR = Path(catalogues.__file__).parent / "schemas"

# English msgids CKAN and the extensions use for many kinds of things, whose
# translation is the plain word ("Tên", "Tiêu đề"); a field's own label says
# which name or title it is ("Tên tài nguyên"), so these name no field.
GENERIC = frozenset(
    {
        "Title",
        "Name",
        "Description",
        "URL",
        "Label",
        "Type",
        "Start",
        "End",
        "Organization",
        "Agent",
    }
)
# The open-data list's columns that are plan-item fields (others are its own).
LIST_FIELDS = {
    "name": "title",
    "theme": "theme",
    "description": "description",
    "formats": "formats",
    "access_mode": "access_mode",
    "update_cadence": "update_cadence",
}
# Fields of different objects that are one concept, so one term.
SAME_CONCEPT = (
    (("item", "theme"), ("dataset", "theme")),
    (("item", "update_cadence"), ("dataset", "frequency")),
)


def _catalogue(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def translated() -> dict[str, set[tuple[str | None, str]]]:
    """msgid -> every (context, Vietnamese text) our catalogues give it."""
    found: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    for path in CATALOGUES:
        for m in _catalogue(path):
            if m.id and isinstance(m.id, str) and m.string:
                found[m.id].add((m.context, m.string))
    return found


def _term(label: str) -> str:
    """The term a label uses: a trailing "(…)" only qualifies it ("Dung lượng (byte)")."""
    return re.sub(r"\s*\([^)]*\)$", "", label.strip()).casefold()


def _schema_fields(fields_: list[dict[str, Any]], prefix: str = "") -> dict[str, Any]:
    found = {}
    for field in fields_:
        path = prefix + field["field_name"]
        found[path] = field.get("label")
        found.update(_schema_fields(field.get("repeating_subfields", []), path + "/"))
    return found


def _schemas(paths: list[Path]) -> dict[tuple[str, str], Any]:
    """(kind, field path) -> label, kind being dataset, resource or agency."""
    found = {}
    for path in paths:
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, kind in (
            ("dataset_fields", "dataset"),
            ("resource_fields", "resource"),
            ("fields", "agency"),
        ):
            for name, label in _schema_fields(schema.get(key, [])).items():
                found[(kind, name)] = label
    return found


def _upstream_schemas() -> list[dict[tuple[str, str], Any]]:
    schemas = []
    for name, files in catalogues.SCHEMAS.items():
        root = catalogues.package_dir(catalogues.EXTENSIONS[name])
        if root is not None:
            schemas.append(_schemas([root / f for f in files if (root / f).exists()]))
    return schemas


@pytest.fixture
def labels(app, translated) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(object, field) -> Vietnamese term -> where the portal shows it."""
    from ckanext.nd47.logic import bulk

    found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add(key: tuple[str, str], label: str, where: str) -> None:
        if label:
            found[key][_term(label)].add(f"{where}: {label!r}")

    def add_msgid(key: tuple[str, str], msgid: str, where: str) -> None:
        if msgid in GENERIC:
            return
        for context, text in translated.get(msgid, ()):
            add(key, text, f"{where} {msgid!r} (msgctxt {context})")

    ours = _schemas([SCHEMA_DIR / "dataset.yaml", SCHEMA_DIR / "agency.yaml"])
    for key, label in ours.items():
        if isinstance(label, dict):
            add(key, label["vi"], "schema")
            add_msgid(key, label["en"], "catalogue")
    for upstream in _upstream_schemas():
        for key, label in upstream.items():
            if key in ours and isinstance(label, str):
                add_msgid(key, label, "upstream schema")
    with app.flask_app.test_request_context():
        for column in bulk.dataset_columns():
            add(("dataset", column.field), column.vi, "bulk file")
        for column in bulk.resource_columns():
            add(("resource", column.field), column.vi, "bulk file")
    for kind, declared in (("plan", fields.PLAN_FIELDS), ("item", fields.ITEM_FIELDS)):
        for field in declared:
            add((kind, field.name), workflow.vi(field.label), "plan form")
            add((kind, field.name), field.sheet_vi, "plan file")
    for column in opendata_list.COLUMNS:
        key = (
            ("item", LIST_FIELDS[column.key]) if column.key in LIST_FIELDS else ("list", column.key)
        )
        add(key, column.vi, "open-data list")
    for first, *others in SAME_CONCEPT:
        for other in others:
            for term, where in found[other].items():
                found[first][term] |= {f"{other[1]} {w}" for w in where}
    return found


@pytest.mark.usefixtures("with_plugins")
def test_every_field_has_one_vietnamese_label(labels) -> None:
    assert len(labels) > 100
    twice = {
        f"{kind} {name}": {term: sorted(where) for term, where in terms.items()}
        for (kind, name), terms in labels.items()
        if len(terms) > 1
    }
    assert not twice, "\n".join(f"{k}: {v}" for k, v in sorted(twice.items()))


def test_one_msgid_has_one_vietnamese_text(translated) -> None:
    """Across our catalogues each msgid has one text, except in the contexts
    that exist for a different sense (the plan's "Withdrawn")."""
    contextual = {(workflow.PLAN_CONTEXT, m) for m in workflow.CONTEXTUAL}
    differ = {}
    for msgid, entries in translated.items():
        texts = {text for context, text in entries if (context, msgid) not in contextual}
        if len(texts) > 1:
            differ[msgid] = sorted(texts)
    assert not differ, differ


# Modules that write Vietnamese text into files (headers, guide sheets) by hand.
HARD_CODED = (
    "sheets.py",
    "logic/bulk.py",
    "plans/fields.py",
    "plans/spreadsheet.py",
    "plans/opendata_list.py",
    "plans/sheet_choices.py",
)
# Terms the glossary rules out, with its word ("lĩnh vực": the dataset pages say "chủ đề").
RULED_OUT = {**test_catalogue.RULED_OUT, "lĩnh vực": "chủ đề"}


def _vietnamese_literals(path: Path) -> list[str]:
    """The string literals of a module, except docstrings and the old headers
    (and spellings) the import still reads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        id(node)
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword) and keyword.arg == "sheet_aliases"
        for node in ast.walk(keyword.value)
    } | {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in aliases
    ]


def test_hard_coded_vietnamese_keeps_to_the_glossary() -> None:
    """Headers and guide texts written by hand, not through the catalogues."""
    root = Path(catalogues.__file__).parent
    found = [
        (name, text, term)
        for name in HARD_CODED
        if (root / name).exists()
        for text in _vietnamese_literals(root / name)
        for term in RULED_OUT
        if term in text.lower()
    ]
    assert not found, found


def test_plan_files_write_the_glossarys_headers() -> None:
    """ "Chủ đề" as the dataset pages say, "bộ dữ liệu" as the glossary says."""
    headers = [f.sheet_vi for f in fields.ITEM_FIELDS] + [c.vi for c in opendata_list.COLUMNS]
    assert "Chủ đề" in headers
    assert "Bộ dữ liệu liên kết" in headers
    assert not {"Lĩnh vực", "Tập dữ liệu liên kết"} & set(headers)
