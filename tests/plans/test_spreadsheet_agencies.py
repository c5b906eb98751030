"""The plan template filled the way agencies fill it, and the files the import refuses."""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.nd47 import vocab
from ckanext.nd47.plans import sheet_choices, spreadsheet
from tests.plans.test_spreadsheet import do_import, items

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

VI_HEADERS = [vi for _f, vi, _en in spreadsheet.ITEM_COLUMNS]
EN_HEADERS = [en for _f, _vi, en in spreadsheet.ITEM_COLUMNS]

# What people type: the labels the pages show, in any case, with or without diacritics
LABELLED = [
    "DM01",
    "Danh sách trường học",
    "Giáo dục đào tạo",
    "Danh sách các trường",
    "CSDL giáo dục",
    "Excel, csv",
    "Tải về",
    "Hằng năm",
    datetime.datetime(2026, 12, 31),
    "Cao",
    "Sở GD&ĐT",
    "",
]


@pytest.fixture
def plan(agency):
    return helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)


def workbook(rows, *, title=None, english=True, gaps=False):
    """A workbook made from scratch, as an agency's clerk makes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(VI_HEADERS))
        sheet.append([])
    sheet.append(VI_HEADERS)
    if english:
        sheet.append(EN_HEADERS)
    for row in rows:
        sheet.append(row)
        if gaps:
            sheet.append([])
            sheet.append([None, "   "])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(plan, data, fmt="xlsx"):
    with pytest.raises(tk.ValidationError) as err:
        do_import(plan, data, fmt)
    assert items(plan) == {}
    return err.value.error_dict


class TestTemplate:
    def test_drop_down_lists_of_vietnamese_labels(self):
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template("xlsx")))
        lists = book[spreadsheet.LISTS_SHEET]
        assert lists.sheet_state == "hidden"
        sheet = book[spreadsheet.ITEMS_SHEET]
        letters = {
            field: openpyxl.utils.get_column_letter(i)
            for i, (field, _vi, _en) in enumerate(spreadsheet.ITEM_COLUMNS, start=1)
        }
        validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
        for column in sheet_choices.COLUMNS:
            validation = validations[f"{letters[column.field]}3"]
            assert validation.type == "list"
            # the list names a range of the hidden sheet holding the Vietnamese labels
            ref = validation.formula1.split("!")[1].replace("$", "")
            offered = [c.value for row in lists[ref] for c in row]
            assert offered == [c.vi for c in column.choices]
            assert offered[0] == column.choices[0].vi
        themes = [c.value for c in lists["A"][1:] if c.value]
        assert "Giáo dục đào tạo" in themes

    def test_guide_lists_every_accepted_value_correctly_labelled(self):
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template("xlsx")))
        rows = list(book[spreadsheet.HELP_SHEET].iter_rows(min_row=2, values_only=True))
        by_code = {(r[0], r[1]): r for r in rows}
        for term in vocab.get("themes"):
            assert by_code[("Chủ đề", term.code)][2:4] == (term.vi, term.en)
        for term in vocab.get("frequency"):
            assert by_code[("Tần suất cập nhật", term.code)][2:4] == (term.vi, term.en)
        assert by_code[("Tần suất cập nhật", "DAILY")][2] == "Hằng ngày"
        assert by_code[("Hình thức cung cấp", "download")][2] == "Tải xuống"
        assert "excel" in by_code[("Định dạng", "XLSX")][4]


class TestAgencyWorkbooks:
    def test_labels_instead_of_codes(self, plan):
        do_import(plan, workbook([LABELLED]))
        item = items(plan)["DM01"]
        assert item["theme"] == "giao-duc-dao-tao"
        assert item["formats"] == ["XLSX", "CSV"]
        assert item["access_mode"] == "download"
        assert item["update_cadence"] == "ANNUAL"
        assert item["due_date"] == "2026-12-31"
        assert item["priority"] == "high"

    @pytest.mark.parametrize(
        ("field", "typed", "code"),
        [
            ("theme", "GIAO DUC DAO TAO", "giao-duc-dao-tao"),
            ("theme", "Education and training", "giao-duc-dao-tao"),
            ("theme", "kinh tế - thương mại", "kinh-te-thuong-mai"),
            ("update_cadence", "hàng năm", "ANNUAL"),
            ("update_cadence", "Quarterly", "QUARTERLY"),
            ("update_cadence", "6 tháng một lần", "ANNUAL_2"),
            ("access_mode", "tai ve va API", "download_api"),
            ("access_mode", "Download", "download"),
            ("priority", "trung bình", "medium"),
            ("formats", "Excel (XLSX); JSON", ["XLSX", "JSON"]),
        ],
    )
    def test_spellings(self, plan, field, typed, code):
        row = ["DM01", "Dữ liệu"] + [""] * (len(VI_HEADERS) - 2)
        row[[f for f, _vi, _en in spreadsheet.ITEM_COLUMNS].index(field)] = typed
        do_import(plan, workbook([row]))
        assert items(plan)["DM01"][field] == code

    def test_dates_as_excel_dates_numbers_and_text(self, plan):
        rows = [
            ["DM01", "A", *[""] * 6, datetime.date(2026, 12, 31)],
            # a date cell whose format was lost shows Excel's serial number
            ["DM02", "B", *[""] * 6, 46387],
            ["DM03", "C", *[""] * 6, "31/12/2026"],
        ]
        do_import(plan, workbook(rows))
        assert {i["due_date"] for i in items(plan).values()} == {"2026-12-31"}

    def test_title_blank_rows_and_no_english_header(self, plan):
        second = ["DM02", "Dữ liệu hai", "Y tế", *[""] * 3, "API"]
        data = workbook(
            [LABELLED, second], title="KẾ HOẠCH MỞ DỮ LIỆU 2026", english=False, gaps=True
        )
        summary = do_import(plan, data)
        assert summary["created"] == 2
        assert items(plan)["DM02"]["access_mode"] == "api"

    def test_csv_with_labels(self, plan):
        lines = [
            ",".join(VI_HEADERS),
            "DM01,Dữ liệu,Giáo dục đào tạo,,,Excel,Tải về,Hằng năm,31/12/2026",
        ]
        do_import(plan, "\n".join(lines).encode("utf-8"), "csv")
        assert items(plan)["DM01"]["update_cadence"] == "ANNUAL"

    def test_unknown_label_names_cell_and_guide(self, plan):
        row = [*LABELLED]
        row[2] = "Giáo dục"
        errors = refused(plan, workbook([row]))["rows"]
        assert errors[0]["row"] == 3 and errors[0]["column"] == "Chủ đề"
        assert "Giáo dục" in errors[0]["message"] and "Hướng dẫn" in errors[0]["message"]


class TestRefusedFiles:
    def test_not_a_spreadsheet(self, plan):
        errors = refused(plan, b"%PDF-1.4 not a workbook")
        assert errors == {"upload": ["This is not an Excel .xlsx file"]}

    def test_old_xls(self, plan):
        errors = refused(plan, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        assert ".xls" in errors["upload"][0]

    @pytest.mark.ckan_config("ckanext.nd47.plans.import_max_mb", "19")
    def test_20_mb(self, plan):
        errors = refused(plan, b"PK" + b"\0" * (20 * 1024 * 1024))
        assert errors == {"upload": ["The file is larger than 19 MB"]}

    def test_50000_rows(self, plan):
        lines = [",".join(VI_HEADERS)] + [f"DM{n},Dữ liệu {n}" for n in range(50000)]
        errors = refused(plan, "\n".join(lines).encode("utf-8"), "csv")
        assert "too many rows" in errors["upload"][0]

    def test_formulas(self, plan):
        book = openpyxl.load_workbook(io.BytesIO(workbook([LABELLED])))
        book.active["B3"] = '=CONCATENATE("Danh sách", " trường")'
        out = io.BytesIO()
        book.save(out)
        errors = refused(plan, out.getvalue())
        assert "formulas" in errors["upload"][0]

    def test_macro_enabled_workbook(self, plan):
        # an .xlsm renamed .xlsx: the package still carries its VBA project
        source = io.BytesIO(workbook([LABELLED]))
        out = io.BytesIO()
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
            for name in old.namelist():
                new.writestr(name, old.read(name))
            new.writestr("xl/vbaProject.bin", b"\0" * 64)
        errors = refused(plan, out.getvalue())
        assert "macros" in errors["upload"][0]

    def test_xlsm_file_name(self, plan):
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, workbook([LABELLED]), "xlsm")
        assert err.value.error_dict == {"upload": ["Choose an .xlsx or .csv file"]}

    def test_csv_in_windows_1258_is_refused(self, plan):
        text = ",".join(VI_HEADERS) + "\nDM01,Dữ liệu giáo dục\n"
        # Windows-1258 writes tones as combining marks after the base letter
        data = unicodedata.normalize("NFD", text).encode("cp1258", errors="ignore")
        assert b"\xd0" in data
        errors = refused(plan, data, "csv")
        assert "Windows-1258" in errors["upload"][0]

    def test_csv_in_utf16_without_bom_is_refused(self, plan):
        text = ",".join(VI_HEADERS) + "\nDM01,Dữ liệu\n"
        errors = refused(plan, text.encode("utf-16-le"), "csv")
        assert "UTF-16" in errors["upload"][0]

    def test_csv_in_utf16_with_bom_is_read(self, plan):
        # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        text = "\t".join(VI_HEADERS) + "\nDM01\tDữ liệu giáo dục\tGiáo dục đào tạo\n"
        do_import(plan, text.encode("utf-16"), "csv")
        assert items(plan)["DM01"]["title"] == "Dữ liệu giáo dục"
