"""Bulk import and export of an agency's datasets as .xlsx or CSV.

Layout (the template and the export share it; the columns come from the
dataset schema, so a field added there appears here):

* sheet "Bộ dữ liệu" (CSV: the whole file): row 1 the Vietnamese field
  labels, row 2 the English ones, one dataset per row from row 3.
* sheet "Tài nguyên" (Excel only): the resources, one per row, keyed by the
  dataset's URL name in the first column.
* sheet "Hướng dẫn": every accepted value of each coded column.
* sheet "Danh sách" (hidden): the Vietnamese labels the drop-down lists offer.

Left out: the agency (the page's), fields the form does not show (derived
ones) and repeating groups (contacts, legal basis, time and spatial
coverage, other agents): the import leaves those as they are.

Import runs in two passes. The first sends every row through the actions
the form uses (``package_create``/``package_update``, so the same
validators and rules) without committing, notes what changed, and rolls
each back: that is the dry run, and every error of every row is collected.
Only when no row has an error does the second pass write the rows that
change something. Rows are matched to datasets by URL name, else by
identifier, else by the URL name their title makes, so importing the same
file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47 import sheets, vocab
from ckanext.nd47.logic.slug import slug_from_title
from ckanext.nd47.text import ui_lang

__all__ = [
    "DATASETS_SHEET",
    "HELP_SHEET",
    "LISTS_SHEET",
    "RESOURCES_SHEET",
    "Column",
    "dataset_columns",
    "agency_datasets",
    "export",
    "import_datasets",
    "resource_columns",
]

DATASETS_SHEET = "Bộ dữ liệu"
RESOURCES_SHEET = "Tài nguyên"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh sách"
DATASET_KEY = "dataset"
YES, NO = "Có", "Không"
_TRUE = {"co", "yes", "true", "1", "x", "da", "dung"}
_FALSE = {"khong", "no", "false", "0", "chua", "sai"}
# Fields that are not columns: the agency is the page's; the others are derived
_NOT_COLUMNS = {"owner_org"}

# A context key: the write is a trial that will be rolled back (the bulk
# import's dry run). Hooks with effects outside the database transaction
# (queued jobs, Redis) skip such writes.
DRY_RUN = "nd47_dry_run"


def is_dry_run(context: dict[str, Any] | None) -> bool:
    """Whether the write under ``context`` will be rolled back (see ``DRY_RUN``)."""
    return bool((context or {}).get(DRY_RUN))


@dataclass(frozen=True)
class Column:
    """A column of the file: the field, its headers and how its cells are read."""

    field: str
    vi: str
    en: str
    # text, code, codes, bool, date, list, tags, int
    kind: str = "text"
    vocabulary: str | None = None

    def header(self) -> str:
        return self.en if ui_lang() == "en" else self.vi


def _kind(field: dict[str, Any]) -> str:
    validators = str(field.get("validators") or "")
    snippet = str(field.get("form_snippet") or "")
    if field["field_name"] == "tag_string":
        return "tags"
    if field.get("nd47_vocabulary"):
        return "codes" if "multiple" in snippet or "multiple" in validators else "code"
    for word, kind in (
        ("boolean_validator", "bool"),
        ("dcat_date", "date"),
        ("scheming_multiple_text", "list"),
        ("int_validator", "int"),
    ):
        if word in validators:
            return kind
    return "text"


def _columns(fields: list[dict[str, Any]]) -> tuple[Column, ...]:
    found = []
    for field in fields:
        if (
            field["field_name"] in _NOT_COLUMNS
            or "repeating_subfields" in field
            or ("form_snippet" in field and field["form_snippet"] is None)
        ):
            continue
        label = field.get("label") or field["field_name"]
        vi, en = (label.get("vi"), label.get("en")) if isinstance(label, dict) else (label, label)
        found.append(
            Column(field["field_name"], vi, en, _kind(field), field.get("nd47_vocabulary"))
        )
    return tuple(found)


def _schema() -> dict[str, Any]:
    return tk.h.scheming_get_dataset_schema("dataset")


def dataset_columns() -> tuple[Column, ...]:
    """The columns of the datasets sheet, in the schema's order."""
    return _columns(_schema()["dataset_fields"])


def resource_columns() -> tuple[Column, ...]:
    """The columns of the resources sheet: the dataset's URL name, then the fields."""
    key = Column(DATASET_KEY, "Bộ dữ liệu (đường dẫn)", "Dataset (URL name)")
    return (key, *_columns(_schema()["resource_fields"]))


@cache
def _spellings(vocabulary: str) -> dict[str, str]:
    # vocabularies are read-only data files: one index per process
    index: dict[str, str] = {}
    for term in vocab.get(vocabulary):
        for spelling in (term.code, term.vi, term.en):
            index.setdefault(sheets.norm(spelling), term.code)
    for spelling, code in sheets.ALIASES.get(vocabulary, {}).items():
        index.setdefault(sheets.norm(spelling), code)
    return index


def _max_rows() -> int:
    return tk.config.get("ckanext.nd47.bulk_max_rows")


# --- export ---------------------------------------------------------------------
def _date_value(value: str) -> Any:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def _export_value(column: Column, data: dict[str, Any]) -> Any:
    if column.kind == "tags":
        return sheets.cell(", ".join(t["name"] for t in data.get("tags") or []))
    value = data.get(column.field)
    if value in (None, "", []):
        return ""
    if column.kind in ("code", "codes"):
        codes = value if isinstance(value, list) else [value]
        labels = [vocab.label(column.vocabulary or "", c) for c in codes]
        if column.kind == "codes" and any(sheets.split_multi(label) != [label] for label in labels):
            # a label with a comma would read back as two values: the codes do not
            return sheets.cell(codes)
        return sheets.cell(labels)
    if column.kind == "bool":
        return YES if tk.asbool(value) else NO
    if column.kind == "date" and isinstance(value, str):
        return _date_value(value)
    if column.kind == "list" and isinstance(value, list):
        return sheets.cell("\n".join(value))
    return sheets.cell(value)


def _rows(datasets: list[dict[str, Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    columns, res_columns = dataset_columns(), resource_columns()
    rows, res_rows = [], []
    for data in datasets:
        rows.append([_export_value(c, data) for c in columns])
        for resource in data.get("resources") or []:
            res_rows.append([data["name"]] + [_export_value(c, resource) for c in res_columns[1:]])
    return rows, res_rows


def export(datasets: list[dict[str, Any]], fmt: str) -> bytes:
    """The datasets (``package_show`` dicts) as .xlsx or .csv bytes; [] gives the template."""
    rows, res_rows = _rows(datasets)
    columns = dataset_columns()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.vi for c in columns])
        writer.writerow([c.en for c in columns])
        for row in rows:
            writer.writerow(
                [v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for v in row]
            )
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(rows, res_rows)


def _xlsx(rows: list[list[Any]], res_rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = book.active
    first.title = DATASETS_SHEET
    second = book.create_sheet(RESOURCES_SHEET)
    for sheet, columns, body in (
        (first, dataset_columns(), rows),
        (second, resource_columns(), res_rows),
    ):
        sheets.write_headers(sheet, [c.vi for c in columns], [c.en for c in columns])
        for row in body:
            sheet.append(row)
        for number, column in enumerate(columns, start=1):
            letter = get_column_letter(number)
            sheet.column_dimensions[letter].width = 40 if column.kind == "text" else 22
            if column.kind == "date":
                for (cell,) in sheet.iter_rows(min_row=3, min_col=number, max_col=number):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "B3"
    _guide(book.create_sheet(HELP_SHEET))
    _drop_downs(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _coded(columns: tuple[Column, ...]) -> list[Column]:
    return [c for c in columns if c.kind in ("code", "codes", "bool")]


def _choices(column: Column) -> list[tuple[str, str, str]]:
    if column.kind == "bool":
        return [("true", YES, "Yes"), ("false", NO, "No")]
    return [(t.code, t.vi, t.en) for t in vocab.get(column.vocabulary or "")]


def _guide(guide: Any) -> None:
    """Every accepted value of each coded column, from the vocabularies."""
    sheets.write_headers(
        guide, ["Trang / Sheet", "Cột / Column", "Mã / Code", "Tiếng Việt", "English"]
    )
    done: set[tuple[str, str]] = set()
    for sheet, columns in (
        (DATASETS_SHEET, dataset_columns()),
        (RESOURCES_SHEET, resource_columns()),
    ):
        for column in _coded(columns):
            for code, vi, en in _choices(column):
                guide.append([sheet, column.vi, code, vi, en])
            if column.kind == "codes":
                guide.append(
                    [
                        sheet,
                        column.vi,
                        "",
                        "nhiều giá trị, cách nhau bởi dấu phẩy",
                        "several values, comma-separated",
                    ]
                )
            done.add((sheet, column.field))
        for column in columns:
            if column.kind == "date":
                guide.append([sheet, column.vi, "31/12/2026", "ngày/tháng/năm", "2026-12-31"])
            elif column.kind == "list":
                guide.append([sheet, column.vi, "", "mỗi giá trị một dòng", "one value per line"])
    guide.append(
        [
            DATASETS_SHEET,
            next(c.vi for c in dataset_columns() if c.field == "name"),
            "du-lieu-dan-cu",
            "để trống: tạo từ tên bộ dữ liệu",
            "empty: made from the title",
        ]
    )
    for letter, width in zip("ABCDE", (16, 30, 22, 44, 40), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"


def _drop_downs(book: Any) -> None:
    """Drop-down lists of Vietnamese labels on the coded columns, from a hidden sheet."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = _max_rows() + 2
    offered: dict[str, str] = {}  # one list per vocabulary, shared by its columns
    for sheet_name, columns in (
        (DATASETS_SHEET, dataset_columns()),
        (RESOURCES_SHEET, resource_columns()),
    ):
        sheet = book[sheet_name]
        positions = {c.field: n for n, c in enumerate(columns, start=1)}
        for column in _coded(columns):
            key = column.vocabulary or column.kind
            if key not in offered:
                number = len(offered) + 1
                letter = get_column_letter(number)
                choices = _choices(column)
                lists.cell(row=1, column=number, value=key)
                for row, (_code, vi, _en) in enumerate(choices, start=2):
                    lists.cell(row=row, column=number, value=vi)
                end = len(choices) + 1
                offered[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${end}"
            # a multi-valued cell may list several values, which no list can
            # offer: the drop-down helps there but does not refuse what it lacks
            validation = DataValidation(
                type="list",
                formula1=offered[key],
                allow_blank=True,
                showErrorMessage=column.kind != "codes",
                errorTitle=column.vi,
                error="Chọn một giá trị trong danh sách (xem trang Hướng dẫn)",
            )
            target = get_column_letter(positions[column.field])
            validation.add(f"{target}3:{target}{last_row}")
            sheet.add_data_validation(validation)


# --- reading --------------------------------------------------------------------
def _error(sheet: str, row: int, column: str, message: str) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": message}


def _header_row(rows: list[list[Any]], index: dict[str, str]) -> int | None:
    """The header row: the first naming two known columns (titles above are skipped)."""
    for number, row in enumerate(rows[:50]):
        if sum(1 for v in row if sheets.norm(v) in index) >= 2:
            return number
    return None


def _table(
    rows: list[list[Any]], columns: tuple[Column, ...], sheet: str, errors: list[dict[str, Any]]
) -> tuple[dict[int, Column], list[tuple[int, list[Any]]]]:
    """The columns found (by position) and the non-blank body rows with their numbers."""
    index: dict[str, str] = {}
    for column in columns:
        for header in (column.vi, column.en, column.field):
            index.setdefault(sheets.norm(header), column.field)
    by_field = {c.field: c for c in columns}
    header_at = _header_row(rows, index)
    if header_at is None:
        errors.append(_error(sheet, 1, "", tk._("No header row: use the template's headers")))
        return {}, []
    found = {
        i: by_field[index[sheets.norm(h)]]
        for i, h in enumerate(rows[header_at])
        if sheets.norm(h) in index
    }
    start = header_at + 1
    # the optional second header row (the other language): most of its cells
    # name their column (a description that reads "Mô tả" does not make one)
    if start < len(rows):
        cells = [(i, v) for i, v in enumerate(rows[start]) if i in found and not sheets.blank([v])]
        named = sum(1 for i, v in cells if index.get(sheets.norm(v)) == found[i].field)
        if named and 2 * named >= len(cells):
            start += 1
    body = [(n + 1, r) for n, r in enumerate(rows) if n >= start and not sheets.blank(r)]
    return found, body


def _value(column: Column, value: Any) -> tuple[Any, str | None]:
    """A cell as the value the actions take, or the error saying what is wrong."""
    if isinstance(value, str):
        value = sheets.unescape(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or value == "":
        return ([] if column.kind in ("codes", "list") else ""), None
    if column.kind in ("code", "codes"):
        parts = sheets.split_multi(value) if column.kind == "codes" else [value]
        codes = []
        for part in parts:
            code = _spellings(column.vocabulary or "").get(sheets.norm(part))
            if code is None:
                return value, tk._(
                    'Unknown value "%(value)s": choose one from the drop-down list '
                    '(every accepted value is on the sheet "%(sheet)s")'
                ) % {"value": part, "sheet": HELP_SHEET}
            codes.append(code)
        return (codes if column.kind == "codes" else codes[0]), None
    if column.kind == "bool":
        word = sheets.norm(value)
        if word in _TRUE or value is True:
            return True, None
        if word in _FALSE or value is False:
            return False, None
        return value, tk._('Write "%(yes)s" or "%(no)s"') % {"yes": YES, "no": NO}
    if column.kind == "date":
        when = sheets.parse_date(value)
        if when is not None and not (
            isinstance(value, datetime.datetime) and value.time() != datetime.time()
        ):
            return when.isoformat(), None
        # a year, a month or a time: the date validator judges it
        return (value.isoformat() if isinstance(value, datetime.datetime) else str(value)), None
    if column.kind == "list":
        return [p.strip() for p in str(value).replace(";", "\n").split("\n") if p.strip()], None
    if column.kind == "int":
        return value, None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10], None
    return str(value), None


def _parse(
    rows: list[list[Any]], columns: tuple[Column, ...], sheet: str, errors: list[dict[str, Any]]
) -> tuple[dict[int, Column], list[tuple[int, dict[str, Any]]]]:
    found, body = _table(rows, columns, sheet, errors)
    parsed = []
    for number, row in body:
        values: dict[str, Any] = {}
        for i, column in found.items():
            value, problem = _value(column, row[i] if i < len(row) else None)
            if problem:
                # left out: the actions still check the rest of the row
                errors.append(_error(sheet, number, column.header(), problem))
                continue
            values[column.field] = value
        parsed.append((number, values))
    return found, parsed


# --- import ---------------------------------------------------------------------
def _read(data: bytes, fmt: str) -> tuple[list[list[Any]], list[list[Any]]]:
    limit = _max_rows()
    try:
        # a workbook saved under a .csv name is still read as the workbook
        if fmt == "csv" and not data.startswith(b"PK\x03\x04"):
            return sheets.read_csv(data, limit), []
        # a dataset has a few resources; the resources sheet may be longer
        found = sheets.read_xlsx(
            data,
            limit,
            {DATASETS_SHEET: sheets.row_cap(limit), RESOURCES_SHEET: sheets.row_cap(limit * 5)},
            first=DATASETS_SHEET,
        )
    except sheets.FileError as err:
        raise tk.ValidationError({"upload": [str(err)]}) from err
    return found[DATASETS_SHEET], found.get(RESOURCES_SHEET, [])


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    name: str
    before: dict[str, Any] | None = None
    resources: list[tuple[int, dict[str, Any]]] | None = None
    data: dict[str, Any] | None = None
    changes: list[str] | None = None


class _Foreign(Exception):
    """The URL name belongs to another agency's dataset."""


def _stored(context: dict[str, Any], org_id: str, name: str) -> dict[str, Any] | None:
    """The agency's dataset of this URL name as stored, or None.

    Read from the database, not the search index, which may not have caught
    up with a dataset written a moment ago.
    """
    pkg = model.Package.get(name)
    if pkg is None or pkg.state == "deleted":
        return None
    if pkg.owner_org != org_id:
        raise _Foreign(name)
    return tk.get_action("package_show")({"user": context.get("user")}, {"id": pkg.id})


def _name_of_identifier(context: dict[str, Any], org_id: str, identifier: str) -> str | None:
    """The URL name of the agency's dataset with this identifier, through the search index.

    (CKAN 2.11 keeps schema fields as extras, 2.12 in the dataset row: the
    index is the one place that answers the same on both.)
    """
    quoted = identifier.replace("\\", "\\\\").replace('"', '\\"')
    found = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "fq": f'owner_org:"{org_id}" AND identifier:"{quoted}"',
            "include_private": True,
            "rows": 1,
            "fl": "name",
        },
    )["results"]
    return found[0]["name"] if found else None


def agency_datasets(context: dict[str, Any], org_id: str) -> list[dict[str, Any]]:
    datasets: list[dict[str, Any]] = []
    while True:
        page = tk.get_action("package_search")(
            {"user": context.get("user")},
            {
                "fq": f'owner_org:"{org_id}"',
                "include_private": True,
                "rows": 1000,
                "start": len(datasets),
                "sort": "name asc",
            },
        )
        datasets.extend(page["results"])
        if not page["results"] or len(datasets) >= page["count"]:
            return datasets


def _merge_resources(
    before: list[dict[str, Any]], rows: list[tuple[int, dict[str, Any]]]
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The dataset's resources with the sheet's rows laid over them; list index -> row."""
    merged = [dict(r) for r in before]
    numbers: dict[int, int] = {}
    for number, values in rows:
        match = None
        for i, resource in enumerate(merged):
            if i in numbers:
                continue
            if (values.get("url") and resource.get("url") == values["url"]) or (
                not values.get("url")
                and values.get("name")
                and resource.get("name") == values["name"]
            ):
                match = i
                break
        fields = {k: v for k, v in values.items() if k != DATASET_KEY}
        if match is None:
            merged.append({k: v for k, v in fields.items() if v not in ("", [])})
            match = len(merged) - 1
        else:
            merged[match].update(fields)
        numbers[match] = number
    return merged, numbers


def _compare(
    before: dict[str, Any] | None, after: dict[str, Any], columns: list[Column]
) -> list[str]:
    """The headers of the columns whose stored value the row changes."""
    if before is None:
        return [c.header() for c in columns if _shown(after, c) not in ("", [], None)]
    return [c.header() for c in columns if _shown(before, c) != _shown(after, c)]


def _shown(data: dict[str, Any], column: Column) -> Any:
    if column.kind == "tags":
        return sorted(t["name"] for t in data.get("tags") or [])
    value = data.get(column.field)
    return None if value in ("", [], None) else value


def _resources_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    columns = resource_columns()[1:]
    old = [[_shown(r, c) for c in columns] for r in (before or {}).get("resources") or []]
    new = [[_shown(r, c) for c in columns] for r in after.get("resources") or []]
    return old != new


def _action_errors(
    row: _Row,
    error: dict[str, Any],
    columns: dict[str, Column],
    res_columns: dict[str, Column],
    res_numbers: dict[int, int],
) -> list[dict[str, Any]]:
    found = []
    for field, messages in error.items():
        if field == "resources" and isinstance(messages, list):
            for i, res_error in enumerate(messages):
                if not res_error:
                    continue
                number = res_numbers.get(i, row.number)
                sheet = RESOURCES_SHEET if i in res_numbers else DATASETS_SHEET
                for res_field, res_messages in res_error.items():
                    header = (
                        res_columns[res_field].header() if res_field in res_columns else res_field
                    )
                    for message in _flat(res_messages):
                        found.append(_error(sheet, number, header, message))
            continue
        column = columns.get("tag_string" if field == "tags" else field)
        header = column.header() if column else field
        for message in _flat(messages):
            found.append(_error(DATASETS_SHEET, row.number, header, message))
    return found


def _flat(messages: Any) -> list[str]:
    if isinstance(messages, list):
        return [m for item in messages for m in _flat(item)]
    if isinstance(messages, dict):
        return [m for item in messages.values() for m in _flat(item)]
    return [str(messages)] if messages else []


def import_datasets(
    context: dict[str, Any], org: dict[str, Any], data: bytes, fmt: str, dry_run: bool
) -> dict[str, Any]:
    """Check every row through the dataset actions, then write all rows or none.

    Returns ``{"created", "updated", "unchanged", "datasets": [{"name",
    "title", "action", "changes", "row"}], "dry_run"}``; raises a
    ValidationError ``{"rows": [{"sheet", "row", "column", "message"}]}``.
    """
    rows, res_rows = _read(data, fmt)
    errors: list[dict[str, Any]] = []
    columns, res_columns = dataset_columns(), resource_columns()
    found, parsed = _parse(rows, columns, DATASETS_SHEET, errors)
    res_parsed = _parse(res_rows, res_columns, RESOURCES_SHEET, errors)[1] if res_rows else []
    present = list(found.values())
    # the file as a whole: without these nothing else is worth checking
    problems = []
    if found and not any(c.field in ("title", "name", "identifier") for c in present):
        title = next(c for c in columns if c.field == "title")
        problems.append(_error(DATASETS_SHEET, 1, title.header(), tk._("This column is missing")))
    if len(parsed) > _max_rows():
        limit = tk._("At most %(n)s rows per file") % {"n": _max_rows()}
        problems.append(_error(DATASETS_SHEET, parsed[_max_rows()][0], "", limit))
    if problems or not found:
        raise tk.ValidationError({"rows": problems or errors})
    # a cell that could not be read is reported once, not again by the actions
    bad = {(e["sheet"], e["row"], e["column"]) for e in errors}

    by_name: dict[str, _Row] = {}
    work: list[_Row] = []
    name_header = next(c for c in columns if c.field == "name").header()
    for number, values in parsed:
        key = values.get("name")
        if not key and values.get("identifier"):
            key = _name_of_identifier(context, org["id"], values["identifier"])
        if not key and values.get("title"):
            key = slug_from_title(values["title"])
        try:
            before = _stored(context, org["id"], key) if key else None
        except _Foreign:
            if values.get("name"):
                message = tk._("Another agency's dataset has this URL name")
                errors.append(_error(DATASETS_SHEET, number, name_header, message))
                continue
            before = None  # a title like another agency's: a new dataset, its own name
        except tk.NotAuthorized:
            message = tk._("You may not edit the dataset %(name)s") % {"name": key}
            errors.append(_error(DATASETS_SHEET, number, name_header, message))
            continue
        name = (
            values.get("name")
            or (before or {}).get("name")
            or slug_from_title(values.get("title") or "")
        )
        if name in by_name:
            errors.append(
                _error(
                    DATASETS_SHEET,
                    number,
                    name_header,
                    tk._("The dataset %(name)s is also on row %(row)s")
                    % {"name": name, "row": by_name[name].number},
                )
            )
            continue
        row = _Row(number, values, name, before, [])
        by_name[name] = row
        work.append(row)
    dataset_header = res_columns[0].header()
    for number, values in res_parsed:
        key = values.get(DATASET_KEY) or ""
        if key not in by_name:
            errors.append(
                _error(
                    RESOURCES_SHEET,
                    number,
                    dataset_header,
                    tk._('No dataset "%(name)s" on the sheet "%(sheet)s"')
                    % {"name": key, "sheet": DATASETS_SHEET},
                )
            )
            continue
        by_name[key].resources.append((number, values))

    # first pass: every row through the actions, rolled back
    by_field = {c.field: c for c in columns}
    res_by_field = {c.field: c for c in res_columns}
    for row in work:
        data, res_numbers = _data_dict(row, org, present)
        row.data = data
        action = "package_update" if row.before else "package_create"
        try:
            after = tk.get_action(action)(
                {"user": context.get("user"), "defer_commit": True, DRY_RUN: True}, dict(data)
            )
        except tk.ValidationError as err:
            found_errors = _action_errors(row, err.error_dict, by_field, res_by_field, res_numbers)
            errors.extend(e for e in found_errors if (e["sheet"], e["row"], e["column"]) not in bad)
            continue
        except tk.NotAuthorized:
            errors.append(
                _error(
                    DATASETS_SHEET,
                    row.number,
                    name_header,
                    tk._("You may not edit the dataset %(name)s") % {"name": row.name},
                )
            )
            continue
        finally:
            model.Session.rollback()
        row.changes = _compare(row.before, after, present)
        if _resources_changed(row.before, after):
            row.changes.append(RESOURCES_SHEET)
    if errors:
        errors.sort(key=lambda e: (e["sheet"] != DATASETS_SHEET, e["row"]))
        raise tk.ValidationError({"rows": errors})

    summary: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "dry_run": dry_run}
    report = []
    for row in work:
        verb = "create" if row.before is None else "update" if row.changes else "unchanged"
        summary[{"create": "created", "update": "updated", "unchanged": "unchanged"}[verb]] += 1
        report.append(
            {
                "row": row.number,
                "name": row.name,
                "title": (row.data or {}).get("title") or row.name,
                "action": verb,
                "changes": row.changes or [],
            }
        )
    summary["datasets"] = report
    if not dry_run:
        _write(context, [r for r in work if r.before is None or r.changes])
    return summary


def _data_dict(
    row: _Row, org: dict[str, Any], present: list[Column]
) -> tuple[dict[str, Any], dict[int, int]]:
    values = dict(row.values)
    if row.before is None:
        data = {k: v for k, v in values.items() if v not in ("", [])}
        data["owner_org"] = org["id"]
        resources, numbers = _merge_resources([], row.resources or [])
    else:
        data = dict(row.before)
        if "tag_string" in values:
            data.pop("tags", None)
        if not values.get("name"):
            values.pop("name", None)  # an empty URL name keeps the dataset's
        data.update(values)
        resources, numbers = _merge_resources(
            row.before.get("resources") or [], row.resources or []
        )
    data["resources"] = resources
    return data, numbers


def _write(context: dict[str, Any], rows: list[_Row]) -> None:
    """Write the rows; if one fails after all (a name taken meanwhile), undo the others."""
    done: list[_Row] = []
    try:
        for row in rows:
            action = "package_update" if row.before else "package_create"
            result = tk.get_action(action)({"user": context.get("user")}, dict(row.data or {}))
            row.name = result["name"]
            done.append(row)
    except (tk.ValidationError, tk.NotAuthorized):
        model.Session.rollback()
        for row in reversed(done):
            if row.before is None:
                tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": row.name})
            else:
                tk.get_action("package_update")({"ignore_auth": True}, dict(row.before))
        raise
