"""Excel (.xlsx) and CSV import and export of a plan with its items.

Layout (the template and the exports share it):

* sheet "Danh mục dữ liệu" (CSV: the whole file): row 1 the Vietnamese column
  headers, row 2 the English ones, items from row 3. Either header row is
  recognised on import, and the English row may be left out.
* sheet "Kế hoạch" (Excel only): the plan's header, one field per row —
  Vietnamese label, English label, value.
* sheet "Hướng dẫn" (Excel only): every accepted value of each coded column,
  generated from the vocabularies (``sheet_choices``).
* sheet "Danh sách" (Excel only, hidden): the Vietnamese labels the drop-down
  lists of the coded columns offer.

People fill the file as they fill any spreadsheet, and the import takes it:
labels instead of codes (without case or diacritics), dates as Excel dates
or as "31/12/2026", blank rows between items, the English header row
deleted, a title above the header row. Files it cannot trust — not a
spreadsheet, macro-enabled, with formulas, a CSV in a legacy encoding — are
refused with a message saying what to do.

Import is all-or-nothing: every row is validated first, and any error (row
number as the spreadsheet shows it, column header, message) stops the import
before anything is written. Items are matched by their code, so importing the
same file twice changes nothing the second time. An empty "linked dataset"
cell leaves the link as it is; other empty cells clear the value.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47 import sheets
from ckanext.nd47.plans import fields, sheet_choices, workflow
from ckanext.nd47.plans.logic import changes, schema
from ckanext.nd47.plans.model import Plan, PlanItem, items_of

__all__ = ["FORMATS", "MIMETYPES", "export_plan", "import_plan", "template"]

FORMATS = sheets.FORMATS
MIMETYPES = sheets.MIMETYPES
ITEMS_SHEET = "Danh mục dữ liệu"
PLAN_SHEET = "Kế hoạch"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh sách"

# (field, Vietnamese header, English header), from the field declarations.
# Headers are fixed, not translated: the file's layout must not depend on
# the user's language. The linked dataset's column carries its name.
ITEM_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (f.name, f.sheet_vi, f.sheet_en) for f in fields.ITEM_FIELDS if f.in_sheet
)
READ_ONLY = {"status"}
PLAN_ROWS: tuple[tuple[str, str, str], ...] = tuple(
    (f.name, f.sheet_vi, f.sheet_en) for f in fields.PLAN_FIELDS if f.in_sheet
)
PLAN_EDITABLE = fields.editable(fields.PLAN_FIELDS)
ITEM_EDITABLE = fields.editable(fields.ITEM_FIELDS)
_CODED = {column.field: column for column in sheet_choices.COLUMNS}


def _key(text: Any) -> str:
    # headers typed without diacritics or with other punctuation still match
    return sheets.norm(text)


def _index(declared: tuple[fields.Field, ...]) -> dict[str, str]:
    """Header -> field: both headers, and the older ones files made before a rename carry."""
    return {
        _key(header): f.name
        for f in declared
        if f.in_sheet and f.name not in READ_ONLY
        for header in (f.sheet_vi, f.sheet_en, *f.sheet_aliases)
    }


_HEADER_INDEX = _index(fields.ITEM_FIELDS)
_PLAN_INDEX = _index(fields.PLAN_FIELDS)
_VI_HEADER = {field: vi for field, vi, _en in ITEM_COLUMNS}
_VI_PLAN = {field: vi for field, vi, _en in PLAN_ROWS}
_PLAN_DATES = ("decision_date", "last_review", "next_review_due")


# --- export ---------------------------------------------------------------------
def _item_values(item: dict[str, Any]) -> list[Any]:
    """An item's row, in labels (the import reads them back as the same codes)."""
    row = []
    for field, _vi, _en in ITEM_COLUMNS:
        value = item.get(field)
        if field == "package_id":
            value = item.get("dataset_name") or ""
        elif field == "due_date" and value:
            value = datetime.date.fromisoformat(value)
        elif field == "status":
            value = workflow.vi(workflow.table("item_status").get(value, value or ""))
        elif field in _CODED and value:
            codes = value if isinstance(value, list) else [value]
            value = [sheet_choices.vi_label(field, code) for code in codes]
        row.append(sheets.cell(value))
    return row


def _plan_value(plan: dict[str, Any], field: str) -> Any:
    value = plan.get(field)
    if field in ("decision_date", "last_review") and value:
        return datetime.date.fromisoformat(value)
    if field == "next_review_due":
        # export only a deadline set by hand; a computed one is recomputed
        return datetime.date.fromisoformat(value) if plan.get("next_review_due_set") else ""
    return sheets.cell(value)


def export_plan(plan: dict[str, Any] | None, fmt: str) -> bytes:
    """The plan (``nd47_plan_show`` with items) as .xlsx or .csv bytes; None: the template."""
    items = (plan or {}).get("items") or []
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([vi for _f, vi, _en in ITEM_COLUMNS])
        writer.writerow([en for _f, _vi, en in ITEM_COLUMNS])
        for item in items:
            writer.writerow(
                [
                    v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v
                    for v in _item_values(item)
                ]
            )
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(plan, items)


def template(fmt: str) -> bytes:
    return export_plan(None, fmt)


def _xlsx(plan: dict[str, Any] | None, items: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    book = Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    sheets.write_headers(
        sheet, [vi for _f, vi, _en in ITEM_COLUMNS], [en for _f, _vi, en in ITEM_COLUMNS]
    )
    for item in items:
        sheet.append(_item_values(item))
    for row in sheet.iter_rows(min_row=3, min_col=9, max_col=9):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    for letter, width in zip(
        "ABCDEFGHIJKLMN", (10, 40, 16, 40, 24, 14, 16, 14, 14, 12, 24, 24, 24, 16), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B3"

    head = book.create_sheet(PLAN_SHEET)
    head.append(["Thông tin", "Field", "Giá trị / Value"])
    for cell in head[1]:
        cell.font, cell.fill = bold, fill
    for field, vi, en in PLAN_ROWS:
        head.append([vi, en, _plan_value(plan, field) if plan else ""])
        if field in _PLAN_DATES:
            head.cell(row=head.max_row, column=3).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABC", (32, 28, 40), strict=True):
        head.column_dimensions[letter].width = width

    _guide(book.create_sheet(HELP_SHEET), bold, fill)
    _drop_downs(book, sheet)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide(guide: Any, bold: Any, fill: Any) -> None:
    """Every accepted value of each coded column, from the vocabularies."""
    guide.append(["Cột / Column", "Mã / Code", "Tiếng Việt", "English", "Cũng nhận / Also"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for column in sheet_choices.COLUMNS:
        aliases: dict[str, list[str]] = {}
        for spelling, code in column.aliases.items():
            aliases.setdefault(code, []).append(spelling)
        for choice in column.choices:
            also = ", ".join(aliases.get(choice.code, []))
            guide.append([_VI_HEADER[column.field], choice.code, choice.vi, choice.en, also])
        if column.multiple:
            guide.append(
                [
                    _VI_HEADER[column.field],
                    "CSV, XLSX",
                    "nhiều giá trị, cách nhau bởi dấu phẩy",
                    "several values, comma-separated",
                    "",
                ]
            )
    guide.append(
        [_VI_HEADER["due_date"], "31/12/2026", "ngày/tháng/năm", "day/month/year", "2026-12-31"]
    )
    guide.append(
        [_VI_HEADER["package_id"], "ten-bo-du-lieu", "tên (slug) trên cổng", "dataset name", ""]
    )
    for letter, width in zip("ABCDE", (26, 18, 34, 30, 40), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"


def _drop_downs(book: Any, sheet: Any) -> None:
    """Drop-down lists of Vietnamese labels on the coded columns, from a hidden sheet."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = tk.config.get("ckanext.nd47.plans.import_max_rows") + 2
    positions = {field: i for i, (field, _vi, _en) in enumerate(ITEM_COLUMNS, start=1)}
    for number, column in enumerate(sheet_choices.COLUMNS, start=1):
        letter = get_column_letter(number)
        lists.cell(row=1, column=number, value=_VI_HEADER[column.field])
        for row, choice in enumerate(column.choices, start=2):
            lists.cell(row=row, column=number, value=choice.vi)
        end = len(column.choices) + 1
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${end}"
        # a formats cell may list several values, which no list can offer:
        # the drop-down helps there but does not refuse what it lacks
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=not column.multiple,
            errorTitle=_VI_HEADER[column.field],
            error="Chọn một giá trị trong danh sách (xem trang Hướng dẫn)",
        )
        target = get_column_letter(positions[column.field])
        validation.add(f"{target}3:{target}{last_row}")
        sheet.add_data_validation(validation)


# --- reading --------------------------------------------------------------------
def _max_rows() -> int:
    return tk.config.get("ckanext.nd47.plans.import_max_rows")


def _read_xlsx(data: bytes) -> tuple[list[list[Any]], list[list[Any]] | None]:
    # the plan sheet has one row per header field
    found = sheets.read_xlsx(
        data,
        _max_rows(),
        {ITEMS_SHEET: sheets.row_cap(_max_rows()), PLAN_SHEET: len(PLAN_ROWS) + 100},
        first=ITEMS_SHEET,
    )
    return found[ITEMS_SHEET], found.get(PLAN_SHEET)


def _error(row: int, column: str, message: str, sheet: str = ITEMS_SHEET) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": message}


def _coded(field: str, value: Any) -> tuple[Any, str | None]:
    """A coded cell as its code(s), or the error naming the unknown value."""
    if value in (None, ""):
        return value, None
    column = _CODED[field]
    parts = sheets.split_multi(value) if column.multiple else [value]
    codes = []
    for part in parts:
        code = sheet_choices.lookup(field, part)
        if code is None:
            message = tk._(
                'Unknown value "%(value)s": choose one from the drop-down list '
                '(every accepted value is on the sheet "%(sheet)s")'
            ) % {"value": part, "sheet": HELP_SHEET}
            return value, message
        codes.append(code)
    return ",".join(codes) if column.multiple else codes[0], None


def _header_row(rows: list[list[Any]]) -> int | None:
    """The header row: the first naming two known columns (titles above are skipped)."""
    first = None
    for number, row in enumerate(rows[:50]):
        if sheets.blank(row):
            continue
        first = number if first is None else first
        if sum(1 for v in row if _key(v) in _HEADER_INDEX) >= 2:
            return number
    return first


def _messages(errors: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            out.append((field, str(message)))
    return out


# --- import ---------------------------------------------------------------------
def _parse_items(
    rows: list[list[Any]], plan: Plan, context: dict[str, Any], errors: list[dict[str, Any]]
) -> list[tuple[int, dict[str, Any]]]:
    header_at = _header_row(rows)
    if header_at is None:
        errors.append(_error(1, _VI_HEADER["code"], tk._("The file has no rows")))
        return []
    columns = {i: _HEADER_INDEX.get(_key(h)) for i, h in enumerate(rows[header_at])}
    for required in ("code", "title"):
        if required not in columns.values():
            errors.append(
                _error(header_at + 1, _VI_HEADER[required], tk._("This column is missing"))
            )
    if errors:
        return []
    start = header_at + 1
    # the optional second header row (the other language)
    if start < len(rows) and any(
        _HEADER_INDEX.get(_key(v)) == columns.get(i) and columns.get(i)
        for i, v in enumerate(rows[start])
    ):
        start += 1
    body = [(n + 1, r) for n, r in enumerate(rows) if n >= start and not sheets.blank(r)]
    limit = tk.config.get("ckanext.nd47.plans.import_max_rows")
    if len(body) > limit:
        errors.append(
            _error(body[limit][0], "", tk._("At most %(n)s rows per file") % {"n": limit})
        )
        return []

    item_schema = schema.item_schema()
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, row in body:
        raw: dict[str, Any] = {"plan_id": plan.id}
        for i, value in enumerate(row):
            field = columns.get(i)
            if not field:
                continue
            if isinstance(value, str):
                value = sheets.unescape(value.strip())
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if field in _CODED:
                value, problem = _coded(field, value)
                if problem:
                    errors.append(_error(number, _VI_HEADER[field], problem))
                    continue
            elif field == "due_date":
                value = sheets.date_cell(value)
            if field == "package_id":
                # an empty cell leaves the link as it is
                if value not in (None, ""):
                    raw["package_id"] = value
                continue
            raw[field] = "" if value is None else value
        data, row_errors = tk.navl_validate(raw, item_schema, {**context})
        for field, message in _messages(row_errors):
            column = _VI_HEADER.get(field, field)
            errors.append(_error(number, column, message))
        linked = data.get("package_id")
        if linked and not row_errors:
            refused = changes.check_dataset(context, plan, linked)
            if refused:
                errors.append(_error(number, _VI_HEADER["package_id"], refused))
        code = data.get("code")
        if code and not row_errors:
            if code in seen:
                errors.append(
                    _error(
                        number,
                        _VI_HEADER["code"],
                        tk._("The code %(code)s is also on row %(row)s")
                        % {"code": code, "row": seen[code]},
                    )
                )
            seen[code] = number
        present = {columns[i] for i in columns if columns[i]}
        data = {k: v for k, v in data.items() if k in present or k == "package_id"}
        for field in present - {"package_id"}:
            data.setdefault(field, None)
        parsed.append((number, data))
    return parsed


def _parse_plan(
    rows: list[list[Any]], plan: Plan, context: dict[str, Any], errors: list[dict[str, Any]]
) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    numbers: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        cells = list(row) + [None, None, None]
        field = _PLAN_INDEX.get(_key(cells[0])) or _PLAN_INDEX.get(_key(cells[1]))
        if not field:
            continue
        value = cells[2]
        if value is None or str(value).strip() == "":
            continue  # an empty header cell leaves the field as it is
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        raw[field] = sheets.unescape(value.strip()) if isinstance(value, str) else value
        numbers[field] = number
    data, plan_errors = tk.navl_validate(
        {"id": plan.id, **raw}, schema.plan_update_schema(), context
    )
    for field, message in _messages(plan_errors):
        errors.append(
            _error(numbers.get(field, 1), _VI_PLAN.get(field, field), message, PLAN_SHEET)
        )
    if data.get("period") and data["period"] != plan.period:
        errors.append(
            _error(
                numbers["period"],
                _VI_PLAN["period"],
                tk._("The file is for %(file)s, this plan for %(plan)s")
                % {"file": data["period"], "plan": plan.period},
                PLAN_SHEET,
            )
        )
    return {k: v for k, v in data.items() if k in raw and k != "period"}


def import_plan(context: dict[str, Any], plan: Plan, data: bytes, fmt: str) -> dict[str, Any]:
    """Validate every row, then write everything (the caller commits) or nothing."""
    errors: list[dict[str, Any]] = []
    head_rows = None
    try:
        # a workbook saved under a .csv name is still read as the workbook
        if fmt == "csv" and not data.startswith(b"PK\x03\x04"):
            rows = sheets.read_csv(data, _max_rows())
        else:
            rows, head_rows = _read_xlsx(data)
    except sheets.FileError as err:
        raise tk.ValidationError({"upload": [str(err)]}) from err

    header = _parse_plan(head_rows, plan, context, errors) if head_rows else {}
    items = _parse_items(rows, plan, context, errors)
    if errors:
        errors.sort(key=lambda e: (e["sheet"] != PLAN_SHEET, e["row"]))
        raise tk.ValidationError({"rows": errors})

    summary = {"created": 0, "updated": 0, "unchanged": 0}
    diff = changes.apply(plan, header, PLAN_EDITABLE)
    if diff:
        changes.record(context, plan.id, "plan", "import", diff)
    existing = {item.code: item for item in items_of(plan.id)}
    for _number, values in items:
        item = existing.get(values["code"])
        if item is None:
            item = PlanItem(plan_id=plan.id, status=workflow.PLANNED)
            model.Session.add(item)
            diff = changes.apply(item, values, ITEM_EDITABLE)
            model.Session.flush()
            changes.record(
                context, plan.id, "item", "create", diff, item_id=item.id, reason="import"
            )
            summary["created"] += 1
        else:
            diff = changes.apply(item, values, ITEM_EDITABLE)
            if diff:
                changes.record(context, plan.id, "item", "import", diff, item_id=item.id)
        linked = values.get("package_id")
        relinked = bool(linked) and linked != item.package_id
        if relinked:
            changes.link(context, item, linked)
        if item.id in {i.id for i in existing.values()}:
            summary["updated" if (diff or relinked) else "unchanged"] += 1
    return summary
