"""The shared reading of uploaded spreadsheets: guards, CSV encodings, cells and dates.

Each importer's own tests (plans, bulk datasets) check that these refusals
reach the user as a validation error and that nothing is written.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from ckan.plugins import toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.nd47 import sheets


def book(*rows: list[object], name: str = "Trang") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = name
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(data: bytes) -> list[list[object]]:
    rows = sheets.read_xlsx(data, 10, {"Trang": sheets.row_cap(10)}, first="Trang")["Trang"]
    assert all(len(row) <= sheets.MAX_COLUMNS for row in rows)
    return [[v for v in row if v is not None] for row in rows]


class TestWorkbooks:
    def test_rows_of_the_named_or_first_sheet(self):
        assert read(book(["a", 1], ["b", 2])) == [["a", 1], ["b", 2]]
        assert read(book(["a"], name="Sheet1")) == [["a"]]

    def test_not_a_workbook(self):
        with pytest.raises(sheets.FileError, match="not an Excel .xlsx"):
            read(b"%PDF-1.4")

    def test_old_xls_or_password(self):
        with pytest.raises(sheets.FileError, match=r"\.xls file or a password"):
            read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)

    def test_macros(self):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(book(["a"]))) as old, zipfile.ZipFile(out, "w") as new:
            for name in old.namelist():
                new.writestr(name, old.read(name))
            new.writestr("xl/vbaProject.bin", b"\0")
        with pytest.raises(sheets.FileError, match="macros"):
            read(out.getvalue())

    def test_formulas(self):
        with pytest.raises(sheets.FileError, match="formulas"):
            read(book(["=1+1"]))

    def test_declared_dimension_over_the_cap(self):
        workbook = openpyxl.load_workbook(io.BytesIO(book(["a"])))
        workbook.active["A1048576"] = "x"
        out = io.BytesIO()
        workbook.save(out)
        with pytest.raises(sheets.FileError, match="at most 10 items"):
            read(out.getvalue())


class TestCsv:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_delimiter_guessed(self, delimiter):
        text = delimiter.join(["Tên", "Mô tả"]) + "\nA" + delimiter + '"B, c"\n'
        assert sheets.read_csv(text.encode("utf-8-sig"), 10) == [["Tên", "Mô tả"], ["A", "B, c"]]

    def test_utf16_with_bom(self):
        assert sheets.read_csv("Tên\tX\nDữ liệu\t1\n".encode("utf-16"), 10)[1] == ["Dữ liệu", "1"]

    def test_utf16_without_bom(self):
        with pytest.raises(sheets.FileError, match="UTF-16 without a byte-order mark"):
            sheets.read_csv("Tên,X\n".encode("utf-16-le"), 10)

    def test_windows_1258(self):
        data = unicodedata.normalize("NFD", "Tên,Dữ liệu\n").encode("cp1258", errors="ignore")
        with pytest.raises(sheets.FileError, match="Windows-1258"):
            sheets.read_csv(data, 10)

    def test_too_many_rows(self):
        with pytest.raises(sheets.FileError, match="at most 10 items"):
            sheets.read_csv(("a\n" * 2000).encode(), 10)


class TestCells:
    @pytest.mark.parametrize(
        "value",
        [
            datetime.datetime(2026, 12, 31),
            datetime.date(2026, 12, 31),
            46387,
            "31/12/2026",
            "2026-12-31",
            "31.12.2026",
        ],
    )
    def test_dates(self, value):
        assert sheets.parse_date(value) == datetime.date(2026, 12, 31)

    def test_not_a_date(self):
        assert sheets.parse_date("2026") is None
        assert sheets.parse_date(12) is None

    def test_loose_comparison(self):
        assert sheets.norm("  Giáo  dục – ĐÀO TẠO ") == sheets.norm("giao duc dao tao")

    def test_formula_escape_round_trip(self):
        for text in ("=SUM(A1)", "+84 912", "-", "@x", "bình thường"):
            assert sheets.unescape(sheets.cell(text)) == text
        assert sheets.cell("=1") == "'=1"
        assert sheets.cell(["a", "b"]) == "a, b"

    def test_split_multi(self):
        assert sheets.split_multi("CSV, Excel; JSON\nXML") == ["CSV", "Excel", "JSON", "XML"]


@pytest.mark.usefixtures("with_plugins")
class TestUpload:
    def test_size_and_format(self):
        data, fmt = sheets.read_upload({"upload": FileStorage(io.BytesIO(b"a,b"), "x.CSV")}, 1)
        assert (data, fmt) == (b"a,b", "csv")
        for bad in ({}, {"upload": FileStorage(io.BytesIO(b""), "x.xlsm")}):
            with pytest.raises(tk.ValidationError) as err:
                sheets.read_upload(bad, 1)
            assert err.value.error_dict == {"upload": ["Choose an .xlsx or .csv file"]}
        big = FileStorage(io.BytesIO(b"\0" * (1024 * 1024 + 1)), "x.xlsx")
        with pytest.raises(tk.ValidationError) as err:
            sheets.read_upload({"upload": big}, 1)
        assert err.value.error_dict == {"upload": ["The file is larger than 1 MB"]}
