"""Excel (.xlsx) and CSV import and export of a plan with its items.

Layout (the template and the exports share it):

* sheet "Danh mục dữ liệu" (CSV: the whole file): row 1 the Vietnamese column
  headers, row 2 the English ones, items from row 3. Either header row is
  recognised on import, and the English row may be left out.
* sheet "Kế hoạch" (Excel only): the plan's header, one field per row —
  Vietnamese label, English label, value.
* sheet "Hướng dẫn" (Excel only): the allowed codes.

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

from ckanext.nd47.plans import fields, workflow
from ckanext.nd47.plans.logic import changes, schema
from ckanext.nd47.plans.model import Plan, PlanItem, items_of

__all__ = ["FORMATS", "MIMETYPES", "export_plan", "format_of", "import_plan", "template"]

FORMATS = ("xlsx", "csv")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
ITEMS_SHEET = "Danh mục dữ liệu"
PLAN_SHEET = "Kế hoạch"
HELP_SHEET = "Hướng dẫn"

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


def format_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


_HEADER_INDEX = {
    _key(h): field for field, vi, en in ITEM_COLUMNS for h in (vi, en) if field not in READ_ONLY
}
_PLAN_INDEX = {_key(h): field for field, vi, en in PLAN_ROWS for h in (vi, en)}
_VI_HEADER = {field: vi for field, vi, _en in ITEM_COLUMNS}
_VI_PLAN = {field: vi for field, vi, _en in PLAN_ROWS}
_PLAN_DATES = ("decision_date", "last_review", "next_review_due")


# --- export ---------------------------------------------------------------------
# A cell starting with one of these is a formula to Excel and LibreOffice
# (CSV included): exported text gets a leading "'" and the import removes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(value)
    return _escape(value) if isinstance(value, str) else value


def _item_values(item: dict[str, Any]) -> list[Any]:
    row = []
    for field, _vi, _en in ITEM_COLUMNS:
        if field == "package_id":
            value = item.get("dataset_name") or ""
        elif field == "due_date" and item.get("due_date"):
            value = datetime.date.fromisoformat(item["due_date"])
        else:
            value = item.get(field)
        row.append(_cell(value))
    return row


def _plan_value(plan: dict[str, Any], field: str) -> Any:
    value = plan.get(field)
    if field in ("decision_date", "last_review") and value:
        return datetime.date.fromisoformat(value)
    if field == "next_review_due":
        # export only a deadline set by hand; a computed one is recomputed
        return datetime.date.fromisoformat(value) if plan.get("next_review_due_set") else ""
    return _cell(value)


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
                [v.isoformat() if isinstance(v, datetime.date) else v for v in _item_values(item)]
            )
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(plan, items)


def template(fmt: str) -> bytes:
    return export_plan(None, fmt)


def _xlsx(plan: dict[str, Any] | None, items: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    grey = Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="DDEBF7")
    book = Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    sheet.append([vi for _f, vi, _en in ITEM_COLUMNS])
    sheet.append([en for _f, _vi, en in ITEM_COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for cell in sheet[2]:
        cell.font = grey
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

    guide = book.create_sheet(HELP_SHEET)
    guide.append(["Cột / Column", "Mã / Code", "Tiếng Việt", "English"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for field, table in (("access_mode", workflow.ACCESS_MODES), ("priority", workflow.PRIORITIES)):
        for code, en in table.items():
            guide.append([_VI_HEADER[field], code, workflow.vi(en), en])
    for code, months in workflow.CADENCE_MONTHS.items():
        guide.append([_VI_HEADER["update_cadence"], code, f"{months} tháng", f"{months} month(s)"])
    guide.append([_VI_HEADER["due_date"], "DD/MM/YYYY", "ngày/tháng/năm", "day/month/year"])
    guide.append(
        [_VI_HEADER["package_id"], "ten-tap-du-lieu", "tên (slug) trên cổng", "dataset name"]
    )
    for letter, width in zip("ABCD", (26, 18, 30, 30), strict=True):
        guide.column_dimensions[letter].width = width

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading --------------------------------------------------------------------
class FileError(Exception):
    pass


# The widest sheet read: our layout has 14 columns; anything past this is ignored
MAX_COLUMNS = 64


def _row_cap() -> int:
    """Rows scanned at most: the item limit, with room for headers and blank lines."""
    return 2 * tk.config.get("ckanext.nd47.plans.import_max_rows") + 1000


def _too_large() -> FileError:
    return FileError(
        tk._("The file has too many rows: at most %(n)s items per file")
        % {"n": tk.config.get("ckanext.nd47.plans.import_max_rows")}
    )


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileError(tk._("Save the CSV file as UTF-8")) from err
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) >= _row_cap():
                raise _too_large()
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as err:
        # e.g. a cell over csv.field_size_limit() (128 KiB)
        raise FileError(
            tk._("A CSV cell is too long or malformed (at most %(n)s characters)")
            % {"n": csv.field_size_limit()}
        ) from err
    return rows


def _sheet_rows(sheet: Any, cap: int) -> list[list[Any]]:
    """The sheet's rows, never more than ``cap`` rows of MAX_COLUMNS cells.

    The declared dimension is checked first, so a sheet claiming a million
    rows is refused before anything is read; the scan stops at the cap
    whatever the file declares.
    """
    declared = sheet.max_row
    if declared is not None and declared > cap:
        raise _too_large()
    rows = []
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if len(rows) >= cap:
            raise _too_large()
        rows.append(list(row))
    return rows


def _read_xlsx(data: bytes) -> tuple[list[list[Any]], list[list[Any]] | None]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a bad file
        raise FileError(tk._("This is not an Excel .xlsx file")) from err
    try:
        items = book[ITEMS_SHEET] if ITEMS_SHEET in book.sheetnames else book.worksheets[0]
        rows = _sheet_rows(items, _row_cap())
        head = None
        if PLAN_SHEET in book.sheetnames:
            # the plan sheet has one row per header field
            head = _sheet_rows(book[PLAN_SHEET], len(PLAN_ROWS) + 100)
    finally:
        book.close()
    return rows, head


def _blank(row: list[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in row)


def _error(row: int, column: str, message: str, sheet: str = ITEMS_SHEET) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": message}


def _choice_value(value: Any, table: dict[str, str]) -> Any:
    """Accept a code, its English label or its label in the user's language."""
    key = _key(value)
    for code, en in table.items():
        if key in (_key(code), _key(en), _key(tk._(en)), _key(workflow.vi(en))):
            return code
    return value


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
    header_at = next((i for i, r in enumerate(rows) if not _blank(r)), None)
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
    body = [(n + 1, r) for n, r in enumerate(rows) if n >= start and not _blank(r)]
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
                value = _unescape(value.strip())
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if field == "access_mode":
                value = _choice_value(value, workflow.ACCESS_MODES)
            elif field == "priority":
                value = _choice_value(value, workflow.PRIORITIES)
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
        raw[field] = _unescape(value.strip()) if isinstance(value, str) else value
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
        if fmt == "csv":
            rows = _read_csv(data)
        else:
            rows, head_rows = _read_xlsx(data)
    except FileError as err:
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
