"""Safe reading of the spreadsheets people upload (.xlsx and CSV), cells, header rows.

Both spreadsheet importers (a plan's items, an agency's datasets) read their
files through this module, so a file is trusted or refused by one set of
guards: not a spreadsheet, an old .xls or a password-protected workbook, a
macro-enabled workbook, formulas, a CSV in a legacy encoding, a sheet
declaring more rows than the import may take, a file over the size limit.
What the refusal says tells the person how to save the file instead.

It also holds what both importers need of the cells themselves: loose
comparison of headers and labels (``norm``), multi-valued cells
(``split_multi``), dates typed as Excel dates or "31/12/2026", and the
escaping of text that a spreadsheet program would run as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.text import fold

__all__ = [
    "ALIASES",
    "FORMATS",
    "FORMULA_STARTS",
    "MAX_COLUMNS",
    "MIMETYPES",
    "FileError",
    "blank",
    "cell",
    "date_cell",
    "escape",
    "format_of",
    "norm",
    "parse_date",
    "read_csv",
    "read_upload",
    "read_xlsx",
    "row_cap",
    "split_multi",
    "unescape",
    "write_headers",
]

FORMATS = ("xlsx", "csv")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Common spellings of vocabulary values that are neither a code nor a label,
# by vocabulary. Keys are compared after norm(), so "Mỗi năm", "moi nam" and
# "MỖI NĂM" are one key.
ALIASES: dict[str, dict[str, str]] = {
    "file_type": {
        "excel": "XLSX",
        "ms excel": "XLSX",
        "microsoft excel": "XLSX",
        "excel 2007": "XLSX",
        "excel 97 2003": "XLS",
        "word": "DOCX",
        "shapefile": "SHP",
        "shp": "SHP",
        "rdf": "RDF_XML",
        "ttl": "RDF_TURTLE",
        "jsonld": "JSON_LD",
        "txt": "TXT",
    },
    "frequency": {
        "mot nam mot lan": "ANNUAL",
        "1 nam 1 lan": "ANNUAL",
        "moi nam": "ANNUAL",
        "yearly": "ANNUAL",
        "nua nam": "ANNUAL_2",
        "6 thang": "ANNUAL_2",
        "6 thang mot lan": "ANNUAL_2",
        "6 thang 1 lan": "ANNUAL_2",
        "hang quy": "QUARTERLY",
        "3 thang": "QUARTERLY",
        "moi thang": "MONTHLY",
        "moi ngay": "DAILY",
        "moi tuan": "WEEKLY",
        "dot xuat": "IRREG",
    },
}

# The widest sheet read: our layouts are narrower; anything past this is ignored
MAX_COLUMNS = 64


class FileError(Exception):
    """A file that cannot be trusted or read; the message says what to do."""


def format_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def read_upload(data_dict: dict[str, Any], max_mb: int) -> tuple[bytes, str]:
    """The bytes and format ("xlsx"/"csv") of ``data_dict["upload"]``, or a ValidationError.

    The format is ``data_dict["format"]`` or the file name's extension; at
    most ``max_mb`` megabytes are read.
    """
    upload = data_dict.get("upload")
    if upload is None or not hasattr(upload, "read"):
        raise tk.ValidationError({"upload": [tk._("Choose an .xlsx or .csv file")]})
    fmt = (data_dict.get("format") or "").lower() or format_of(
        getattr(upload, "filename", "") or ""
    )
    if fmt not in FORMATS:
        raise tk.ValidationError({"upload": [tk._("Choose an .xlsx or .csv file")]})
    # one byte more than allowed is enough to know it is too large
    data = upload.read(max_mb * 1024 * 1024 + 1)
    if len(data) > max_mb * 1024 * 1024:
        raise tk.ValidationError(
            {"upload": [tk._("The file is larger than %(max)s MB") % {"max": max_mb}]}
        )
    return data, fmt


# --- cells ----------------------------------------------------------------------
# A cell starting with one of these is a formula to Excel and LibreOffice
# (CSV included): exported text gets a leading "'" and the import removes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def cell(value: Any) -> Any:
    """A value as an exported cell: lists comma-joined, formula-like text escaped."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return escape(value) if isinstance(value, str) else value


def write_headers(sheet: Any, *rows: list[str]) -> None:
    """Append the header rows of a sheet: the first bold on blue, the others grey italic."""
    from openpyxl.styles import Font, PatternFill

    for number, row in enumerate(rows):
        sheet.append(row)
        for written in sheet[sheet.max_row]:
            if number == 0:
                written.font = Font(bold=True)
                written.fill = PatternFill("solid", fgColor="DDEBF7")
            else:
                written.font = Font(italic=True, color="666666")


def norm(text: Any) -> str:
    """A cell compared loosely: no case, diacritics, punctuation or repeated spaces."""
    folded = fold(str(text or "")).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def split_multi(value: Any) -> list[str]:
    """The values of a multi-valued cell ("CSV, Excel; JSON"): commas, semicolons, lines."""
    return [p.strip() for p in re.split(r"[,;\n]", str(value)) if p.strip()]


def blank(row: list[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in row)


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# serial numbers of 1954-10-13 .. 2173-10-14: a date cell that lost its format
_EXCEL_SERIALS = range(20000, 100000)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def date_cell(value: Any) -> Any:
    """An Excel serial number (a date cell shown as a number) as a date."""
    if isinstance(value, int) and not isinstance(value, bool) and value in _EXCEL_SERIALS:
        return _EXCEL_EPOCH + datetime.timedelta(days=value)
    return value


def parse_date(value: Any) -> datetime.date | None:
    """A date cell (Excel date, serial number, "31/12/2026", "2026-12-31"); None if not one."""
    value = date_cell(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --- reading --------------------------------------------------------------------
def row_cap(max_rows: int) -> int:
    """Rows scanned at most: the item limit, with room for headers and blank lines."""
    return 2 * max_rows + 1000


def _too_large(max_rows: int) -> FileError:
    return FileError(
        tk._("The file has too many rows: at most %(n)s items per file") % {"n": max_rows}
    )


def _decode_csv(data: bytes) -> str:
    """The CSV's text: UTF-8 (with or without BOM) or UTF-16 with a BOM; else refused.

    Excel's "Unicode text" is UTF-16 with a BOM and decodes safely. A legacy
    Vietnamese encoding (Windows-1258, TCVN3, VNI) cannot be told apart
    reliably and would store wrong letters, so it is refused with the way out.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise FileError(tk._("The CSV file is damaged UTF-16 text")) from err
    if b"\x00" in data[:4096]:
        raise FileError(
            tk._(
                "The CSV file is UTF-16 without a byte-order mark: "
                'save it again as "CSV UTF-8 (Comma delimited)"'
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileError(
            tk._(
                "The CSV file is not UTF-8 (probably Windows-1258 or another old "
                'Vietnamese encoding): save it again as "CSV UTF-8 (Comma delimited)"'
            )
        ) from err


def read_csv(data: bytes, max_rows: int) -> list[list[Any]]:
    """The CSV's rows (delimiter guessed from the first line: comma, semicolon or tab)."""
    text = _decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows: list[list[Any]] = []
    cap = row_cap(max_rows)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) >= cap:
                raise _too_large(max_rows)
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as err:
        # e.g. a cell over csv.field_size_limit() (128 KiB)
        raise FileError(
            tk._("A CSV cell is too long or malformed (at most %(n)s characters)")
            % {"n": csv.field_size_limit()}
        ) from err
    return rows


def _sheet_rows(sheet: Any, cap: int, max_rows: int) -> list[list[Any]]:
    """The sheet's rows, never more than ``cap`` rows of MAX_COLUMNS cells.

    The declared dimension is checked first, so a sheet claiming a million
    rows is refused before anything is read; the scan stops at the cap
    whatever the file declares.
    """
    declared = sheet.max_row
    if declared is not None and declared > cap:
        raise _too_large(max_rows)
    rows = []
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if len(rows) >= cap:
            raise _too_large(max_rows)
        rows.append(list(row))
    return rows


# An OLE2 compound file: an old .xls workbook, or an encrypted .xlsx
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A formula cell in the sheet XML (<f>, <f t="shared" .../>, a prefixed <x:f>)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Sheet XML read at most, per sheet, to look for formulas
_SCAN_CHUNK = 1024 * 1024


def _has_formula(member: Any) -> bool:
    # streamed in chunks (with an overlap for a tag cut in two), never whole
    tail = b""
    while chunk := member.read(_SCAN_CHUNK):
        if _FORMULA.search(tail + chunk):
            return True
        tail = chunk[-16:]
    return False


def _check_package(data: bytes) -> None:
    """Refuse what openpyxl would read wrongly or unsafely: old, macro or formula books."""
    if data.startswith(_OLE2):
        raise FileError(
            tk._(
                "This is an old Excel .xls file or a password-protected workbook: "
                "save it as an Excel workbook (.xlsx) without a password"
            )
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise FileError(tk._("This is not an Excel .xlsx file")) from err
    with package:
        content_types = (
            package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        )
        if any(n.lower().endswith("vbaproject.bin") for n in names) or (
            b"macroEnabled" in content_types
        ):
            raise FileError(
                tk._(
                    "The workbook contains macros (.xlsm): save it as an Excel "
                    "workbook (.xlsx) without macros"
                )
            )
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with package.open(name) as member:
                    if _has_formula(member):
                        raise FileError(
                            tk._(
                                "The workbook contains formulas: copy the cells and paste "
                                "them as values only (Paste Special, Values), then save"
                            )
                        )


def read_xlsx(
    data: bytes, max_rows: int, sheets: dict[str, int], first: str
) -> dict[str, list[list[Any]]]:
    """The rows of the named sheets of a workbook, after the package checks.

    ``sheets`` maps a sheet name to the rows read from it at most (``row_cap``
    of its item limit); ``max_rows`` is the limit a refusal names; ``first``
    is the main sheet's name, read from the first sheet when no sheet has
    that name (a renamed sheet). Sheets the workbook lacks are left out.
    """
    from openpyxl import load_workbook

    _check_package(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a bad file
        raise FileError(tk._("This is not an Excel .xlsx file")) from err
    found: dict[str, list[list[Any]]] = {}
    try:
        for name, cap in sheets.items():
            if name in book.sheetnames:
                sheet = book[name]
            elif name == first:
                sheet = book.worksheets[0]
            else:
                continue
            found[name] = _sheet_rows(sheet, cap, max_rows)
    finally:
        book.close()
    return found
