"""Excel/CSV template, import (all-or-nothing, every row error, idempotent), export round trip."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.nd47.plans import spreadsheet, workflow
from tests.factories import Dataset
from tests.plans.conftest import open_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def plan(agency):
    return helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)


def fill_template(rows, fmt="xlsx", plan_values=None):
    data = spreadsheet.template(fmt)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(row)
        return (text + out.getvalue()).encode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[spreadsheet.ITEMS_SHEET]
    for row in rows:
        sheet.append(row)
    if plan_values:
        head = book[spreadsheet.PLAN_SHEET]
        for r in head.iter_rows(min_row=2):
            if r[0].value in plan_values:
                r[2].value = plan_values[r[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def do_import(plan, data, fmt="xlsx", user=None):
    context = {"user": user["name"], "ignore_auth": False} if user else {}
    return helpers.call_action(
        "nd47_plan_import",
        context=context,
        id=plan["id"],
        upload=FileStorage(io.BytesIO(data), filename=f"ke-hoach.{fmt}"),
    )


def items(plan):
    shown = helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)
    return {i["code"]: i for i in shown["items"]}


GOOD = [
    [
        "DM01",
        "Danh mục cơ sở khám chữa bệnh",
        "y-te",
        "Mô tả",
        "CSDL y tế",
        "CSV, XLSX",
        "download",
        "ANNUAL",
        "30/06/2026",
        "high",
        "Sở Y tế",
        "Sở TT&TT",
    ],
    [
        "DM02",
        "Danh sách trường học",
        "giao-duc-dao-tao",
        "",
        "",
        "JSON",
        "API",
        "quarterly",
        "2026-09-30",
        "Thấp",
        "Sở GD&ĐT",
        "",
    ],
]


class TestTemplate:
    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_vietnamese_headers_then_english(self, fmt):
        data = spreadsheet.template(fmt)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        else:
            book = openpyxl.load_workbook(io.BytesIO(data))
            assert book.sheetnames == [
                spreadsheet.ITEMS_SHEET,
                spreadsheet.PLAN_SHEET,
                spreadsheet.HELP_SHEET,
                spreadsheet.LISTS_SHEET,
            ]
            rows = [list(r) for r in book[spreadsheet.ITEMS_SHEET].iter_rows(values_only=True)]
        assert rows[0][:3] == ["Mã", "Tên dữ liệu", "Chủ đề"]
        assert rows[1][:3] == ["Code", "Dataset title", "Theme"]
        assert len(rows) == 2


class TestImport:
    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_import_filled_template(self, plan, agency, fmt):
        result = do_import(plan, fill_template(GOOD, fmt), fmt, user=agency.editor)
        assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
        got = items(plan)
        assert got["DM01"]["formats"] == ["CSV", "XLSX"]
        assert got["DM01"]["due_date"] == "2026-06-30"
        assert got["DM01"]["status"] == workflow.PLANNED
        assert got["DM02"]["access_mode"] == "api"
        assert got["DM02"]["priority"] == "low"
        assert got["DM02"]["update_cadence"] == "QUARTERLY"
        assert got["DM02"]["description"] is None

    def test_plan_sheet_updates_the_header(self, plan):
        data = fill_template(
            GOOD,
            plan_values={
                "Số quyết định phê duyệt": "123/QĐ-UBND",
                "Ngày quyết định": "15/01/2026",
                "Kỳ kế hoạch (năm)": 2026,
            },
        )
        do_import(plan, data)
        shown = helpers.call_action("nd47_plan_show", id=plan["id"])
        assert shown["decision_number"] == "123/QĐ-UBND"
        assert shown["decision_date"] == "2026-01-15"

    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_every_row_error_and_nothing_written(self, plan, fmt):
        rows = [
            GOOD[0],
            ["", "Thiếu mã"],  # row 4
            ["DM03", "", "y-te", "", "", "", "fax"],  # row 5: title, access mode
            ["DM01", "Trùng mã"],  # row 6: duplicate code
            ["DM04", "Ngày sai", "", "", "", "", "", "", "31/02/2026"],  # row 7
            [
                "DM05",
                "Không có tập dữ liệu",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "khong-ton-tai",
            ],  # row 8
        ]
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, fill_template(rows, fmt), fmt)
        found = {(e["row"], e["column"]) for e in err.value.error_dict["rows"]}
        assert found == {
            (4, "Mã"),
            (5, "Tên dữ liệu"),
            (5, "Hình thức cung cấp"),
            (6, "Mã"),
            (7, "Thời hạn công bố"),
            (8, "Bộ dữ liệu liên kết"),
        }
        assert all(e["message"] for e in err.value.error_dict["rows"])
        assert items(plan) == {}

    def test_errors_follow_the_language(self, app, plan, agency):
        """Through the web API, messages come in the request's language."""
        data = fill_template([["DM01", "X", "", "", "", "", "", "", "hôm qua"]])
        for lang, word in (("vi", "ngày"), ("en", "date")):
            resp = app.post(
                f"/{lang}/api/3/action/nd47_plan_import"
                if lang != "en"
                else "/api/3/action/nd47_plan_import",
                data={"id": plan["id"], "upload": (io.BytesIO(data), "k.xlsx")},
                headers={
                    "Authorization": helpers.call_action(
                        "api_token_create", user=agency.editor["name"], name="t"
                    )["token"]
                },
                status=409,
            )
            error = resp.json["error"]["rows"][0]
            assert error["row"] == 3 and error["column"] == "Thời hạn công bố"
            assert word in error["message"].lower()

    def test_file_errors(self, plan):
        with pytest.raises(tk.ValidationError):
            do_import(plan, b"not a workbook", "xlsx")
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, "Tên dữ liệu\nA\n".encode(), "csv")
        assert err.value.error_dict["rows"][0]["column"] == "Mã"
        with pytest.raises(tk.ValidationError):
            helpers.call_action("nd47_plan_import", id=plan["id"])

    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_idempotent(self, plan, fmt):
        data = fill_template(GOOD, fmt)
        do_import(plan, data, fmt)
        trail = helpers.call_action("nd47_plan_audit_list", plan_id=plan["id"])["count"]
        again = do_import(plan, data, fmt)
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
        assert helpers.call_action("nd47_plan_audit_list", plan_id=plan["id"])["count"] == trail
        changed = [["DM01", "Tên mới", *GOOD[0][2:]]]
        result = do_import(plan, fill_template(changed, fmt), fmt)
        assert result["updated"] == 1
        assert items(plan)["DM01"]["title"] == "Tên mới"
        assert set(items(plan)) == {"DM01", "DM02"}  # items not in the file are kept

    def test_import_links_and_publishes(self, plan, agency):
        pkg = open_dataset(agency.org["id"])
        row = [*GOOD[0], pkg["name"]]
        do_import(plan, fill_template([row]))
        got = items(plan)["DM01"]
        assert got["package_id"] == pkg["id"]
        assert got["status"] == workflow.PUBLISHED

    def test_import_links_only_the_agencys_readable_datasets(self, plan, agency, other_agency):
        secret = Dataset(owner_org=other_agency.org["id"], private=True)
        public = open_dataset(other_agency.org["id"])
        rows = [
            [*GOOD[0], secret["name"]],
            [*GOOD[1], "bo-du-lieu-khong-co"],
            ["DM03", "Dữ liệu ba", *GOOD[1][2:], public["name"]],
        ]
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, fill_template(rows), user=agency.editor)
        got = [(e["row"], e["column"], e["message"]) for e in err.value.error_dict["rows"]]
        assert got == [
            (3, "Bộ dữ liệu liên kết", "Dataset not found"),
            (4, "Bộ dữ liệu liên kết", "Dataset not found"),
            (5, "Bộ dữ liệu liên kết", "Link only datasets of the plan's agency"),
        ]
        assert items(plan) == {}


class TestExport:
    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_round_trip(self, plan, agency, fmt):
        pkg = open_dataset(agency.org["id"])
        do_import(plan, fill_template([[*GOOD[0], pkg["name"]], GOOD[1]]))
        helpers.call_action(
            "nd47_plan_update",
            id=plan["id"],
            decision_signer="Trần Thị B",
            decision_date="2026-01-15",
        )
        before = items(plan)
        shown = helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)
        data = spreadsheet.export_plan(shown, fmt)

        # into a fresh plan of another year: same items
        other = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2027)
        if fmt == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            head = book[spreadsheet.PLAN_SHEET]
            head["C2"].value = 2027
            out = io.BytesIO()
            book.save(out)
            data2 = out.getvalue()
        else:
            data2 = data
        result = do_import(other, data2, fmt)
        assert result["created"] == 2
        after = items(other)
        keys = [
            "title",
            "theme",
            "description",
            "source_database",
            "formats",
            "access_mode",
            "update_cadence",
            "due_date",
            "priority",
            "lead_agency",
            "cooperating_agencies",
            "package_id",
            "status",
        ]
        for code in before:
            assert {k: after[code][k] for k in keys} == {k: before[code][k] for k in keys}
        if fmt == "xlsx":
            assert helpers.call_action("nd47_plan_show", id=other["id"])["decision_signer"] == (
                "Trần Thị B"
            )
        # and back into the original plan: nothing changes
        again = do_import(plan, data, fmt)
        assert again["unchanged"] == 2

    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_export_is_in_labels(self, plan, fmt):
        do_import(plan, fill_template(GOOD[:1]))
        shown = helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)
        data = spreadsheet.export_plan(shown, fmt)
        if fmt == "csv":
            cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[2]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data))[spreadsheet.ITEMS_SHEET]
            cells = [cell.value for cell in sheet[3]]
        for label in ("Y tế", "Tải xuống", "Hằng năm", "Cao", "Trong kế hoạch"):
            assert label in cells, (label, cells)
        for code in ("y-te", "download", "ANNUAL", "high", "planned"):
            assert code not in cells
        if fmt == "csv":
            assert "30/06/2026" in cells


class TestHostileFiles:
    FORMULAS = {
        "title": '=HYPERLINK("http://evil.example","click")',
        "lead_agency": "@SUM(A1)",
        "cooperating_agencies": "+1+1",
        "source_database": "-2+3",
    }

    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_exports_escape_formulas_and_import_restores_them(self, plan, fmt):
        item = helpers.call_action(
            "nd47_plan_item_create", plan_id=plan["id"], code="F1", **self.FORMULAS
        )
        shown = helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)
        data = spreadsheet.export_plan(shown, fmt)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            cells = rows[2]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data))[spreadsheet.ITEMS_SHEET]
            assert "f" not in {cell.data_type for cell in sheet[3]}  # no formula cell
            cells = [cell.value for cell in sheet[3]]
        for value in self.FORMULAS.values():
            assert "'" + value in cells
            assert value not in cells
        # export -> import is lossless
        result = do_import(plan, data, fmt)
        assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 1)
        again = helpers.call_action("nd47_plan_item_show", id=item["id"])
        assert {field: again[field] for field in self.FORMULAS} == self.FORMULAS

    def test_sheet_reaching_column_xfd_is_read_within_bounds(self, plan):
        book = openpyxl.load_workbook(io.BytesIO(fill_template(GOOD)))
        book[spreadsheet.ITEMS_SHEET]["XFD3000"] = "x"
        out = io.BytesIO()
        book.save(out)
        result = do_import(plan, out.getvalue())
        assert result["created"] == 2

    def test_sheet_declaring_a_million_rows_is_refused_before_reading(self, plan):
        book = openpyxl.load_workbook(io.BytesIO(fill_template(GOOD)))
        book[spreadsheet.ITEMS_SHEET]["A1048576"] = "x"
        out = io.BytesIO()
        book.save(out)
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, out.getvalue())
        assert err.value.error_dict == {
            "upload": ["The file has too many rows: at most 5000 items per file"]
        }
        assert items(plan) == {}

    @pytest.mark.ckan_config("ckanext.nd47.plans.import_max_mb", "1")
    def test_upload_size_limit(self, plan):
        row = ["DM01", "A" * 900, *GOOD[0][2:]]
        data = fill_template([row] * 1200, "csv")
        assert len(data) > 1024 * 1024
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, data, "csv")
        assert err.value.error_dict == {"upload": ["The file is larger than 1 MB"]}

    def test_csv_cell_over_128_kib(self, plan):
        data = fill_template([["DM01", "x" * (200 * 1024), *GOOD[0][2:]]], "csv")
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, data, "csv")
        assert err.value.error_dict == {
            "upload": ["A CSV cell is too long or malformed (at most 131072 characters)"]
        }

    def test_text_length_limits_name_the_field(self, plan):
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action(
                "nd47_plan_item_create", plan_id=plan["id"], code="L", title="x" * 1001
            )
        assert err.value.error_dict == {"title": ["Use at most 1000 characters"]}
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action("nd47_plan_update", id=plan["id"], decision_signer="y" * 1001)
        assert err.value.error_dict == {"decision_signer": ["Use at most 1000 characters"]}
        row = ["DM01", "z" * 1001, *GOOD[0][2:]]
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, fill_template([row]))
        got = [(e["row"], e["column"], e["message"]) for e in err.value.error_dict["rows"]]
        assert got == [(3, "Tên dữ liệu", "Use at most 1000 characters")]

    def test_text_is_stored_in_nfc(self, plan):
        decomposed = "Kê\u0301 hoa\u0323ch"
        item = helpers.call_action(
            "nd47_plan_item_create", plan_id=plan["id"], code="N", title=decomposed
        )
        assert item["title"] == "Kế hoạch"


class TestPromises:
    @pytest.mark.ckan_config("ckanext.nd47.plans.import_max_rows", "3")
    def test_import_max_rows(self, plan):
        rows = [[f"DM{n}", f"Dữ liệu {n}"] for n in range(1, 5)]
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, fill_template(rows, "csv"), "csv")
        got = [(e["row"], e["message"]) for e in err.value.error_dict["rows"]]
        assert got == [(6, "At most 3 rows per file")]
        assert items(plan) == {}
        do_import(plan, fill_template(rows[:3], "csv"), "csv")
        assert sorted(items(plan)) == ["DM1", "DM2", "DM3"]

    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_csv_delimiters_and_no_english_header(self, plan, delimiter):
        header = [vi for _field, vi, _en in spreadsheet.ITEM_COLUMNS]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)  # the Vietnamese header row only
        writer.writerow(["DM01", "Dữ liệu; có dấu, phẩy", "y-te"])
        result = do_import(plan, out.getvalue().encode("utf-8-sig"), "csv")
        assert result["created"] == 1
        got = items(plan)["DM01"]
        assert (got["title"], got["theme"]) == ("Dữ liệu; có dấu, phẩy", "y-te")

    def test_plan_sheet_for_another_year_is_refused(self, plan):
        data = fill_template(GOOD, plan_values={"Kỳ kế hoạch (năm)": 2030})
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, data)
        got = [(e["sheet"], e["column"], e["message"]) for e in err.value.error_dict["rows"]]
        assert got == [
            (
                spreadsheet.PLAN_SHEET,
                "Kỳ kế hoạch (năm)",
                "The file is for 2030, this plan for 2026",
            )
        ]
        assert items(plan) == {}

    def test_files_with_the_old_headers_still_import(self, plan, agency):
        """ "Lĩnh vực", "Tập dữ liệu liên kết" and "Năm kế hoạch" were renamed
        to the glossary's words; agencies' existing files keep importing."""
        dataset = open_dataset(agency.org["id"])
        old = {"Chủ đề": "Lĩnh vực", "Bộ dữ liệu liên kết": "Tập dữ liệu liên kết"}
        header = [old.get(vi, vi) for _field, vi, _en in spreadsheet.ITEM_COLUMNS]
        assert "Lĩnh vực" in header and "Tập dữ liệu liên kết" in header
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        row = dict.fromkeys(header, "")
        row.update({"Mã": "DM01", "Tên dữ liệu": "Dữ liệu cũ", "Lĩnh vực": "y-te"})
        row["Tập dữ liệu liên kết"] = dataset["name"]
        writer.writerow(list(row.values()))
        assert do_import(plan, out.getvalue().encode("utf-8-sig"), "csv")["created"] == 1
        got = items(plan)["DM01"]
        assert (got["theme"], got["package_id"]) == ("y-te", dataset["id"])

        book = openpyxl.load_workbook(io.BytesIO(fill_template(GOOD)))
        head = book[spreadsheet.PLAN_SHEET]
        for cells in head.iter_rows(min_row=2):
            if cells[0].value == "Kỳ kế hoạch (năm)":
                cells[0].value, cells[2].value = "Năm kế hoạch", 2030
        data = io.BytesIO()
        book.save(data)
        with pytest.raises(tk.ValidationError) as err:
            do_import(plan, data.getvalue())
        columns = [e["column"] for e in err.value.error_dict["rows"]]
        assert columns == ["Kỳ kế hoạch (năm)"]
