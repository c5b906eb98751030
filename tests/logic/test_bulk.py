"""Bulk dataset import and export: workbooks made the way agencies make them, bad files,
the dry run, all-or-nothing, idempotence and the export -> import round trip."""

from __future__ import annotations

import base64
import datetime
import io
import unicodedata
import zipfile
from typing import Any

import openpyxl
import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.nd47.logic import bulk
from tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# What a clerk types: the Vietnamese headers (some columns only), labels not codes
HEADERS = [
    "Tên bộ dữ liệu",
    "Đường dẫn (URL)",
    "Mô tả",
    "Phân loại chia sẻ",
    "Mức độ quan trọng",
    "Chủ đề",
    "Loại cơ sở dữ liệu",
    "Đã rà soát dữ liệu cá nhân",
    "Tần suất cập nhật",
    "Ngày công bố",
    "Từ khóa",
]
SCHOOLS = [
    "Danh sách trường học",
    "danh-sach-truong-hoc",
    "Các trường phổ thông của tỉnh",
    "Dữ liệu mở",
    "dữ liệu khác",
    "Giáo dục đào tạo, y te",
    "Cơ sở dữ liệu địa phương",
    "Có",
    "Hằng năm",
    datetime.datetime(2026, 12, 31),
    "giáo dục, trường học",
]
CLINICS = [
    "Cơ sở khám chữa bệnh",
    "co-so-kham-chua-benh",
    "Danh sách cơ sở y tế",
    "Open data",
    "Other data",
    "Health",
    "Local database",
    "yes",
    "Monthly",
    "31/12/2026",
    "",
]
RESOURCE_HEADERS = ["Bộ dữ liệu (đường dẫn)", "Đường dẫn hoặc tệp", "Tên tài nguyên", "Định dạng"]
RESOURCES = [
    ["danh-sach-truong-hoc", "https://example.gov.vn/truong.csv", "Danh sách (CSV)", "csv"],
    ["danh-sach-truong-hoc", "https://example.gov.vn/truong.xlsx", "Danh sách (Excel)", "Excel"],
]


Agency = factories.StaffedAgency


@pytest.fixture
def agency() -> Agency:
    return Agency()


def workbook(
    rows: list[list[Any]],
    *,
    headers: list[str] = HEADERS,
    resources: list[list[Any]] | None = None,
    title: str | None = None,
    english: list[str] | None = None,
    gaps: bool = False,
) -> bytes:
    """A workbook made from scratch, as an agency's clerk makes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = bulk.DATASETS_SHEET
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
    sheet.append(headers)
    if english:
        sheet.append(english)
    for row in rows:
        sheet.append(row)
        if gaps:
            sheet.append([])
    if resources is not None:
        res = book.create_sheet(bulk.RESOURCES_SHEET)
        res.append(RESOURCE_HEADERS)
        for row in resources:
            res.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def do_import(
    agency: Agency, data: bytes, fmt: str = "xlsx", dry_run: bool = False, user: Any = None
) -> dict[str, Any]:
    user = user or agency.editor
    return helpers.call_action(
        "nd47_dataset_bulk_import",
        context={"user": user["name"], "ignore_auth": False},
        organization_id=agency.org["name"],
        upload=FileStorage(io.BytesIO(data), filename=f"bo-du-lieu.{fmt}"),
        dry_run=dry_run,
    )


def refused(agency: Agency, data: bytes, fmt: str = "xlsx") -> dict[str, Any]:
    with pytest.raises(tk.ValidationError) as err:
        do_import(agency, data, fmt)
    assert datasets(agency) == {}
    return err.value.error_dict


def datasets(agency: Agency) -> dict[str, dict[str, Any]]:
    found = helpers.call_action(
        "package_search",
        fq=f'owner_org:"{agency.org["id"]}"',
        include_private=True,
        rows=100,
    )["results"]
    return {d["name"]: d for d in found}


def export(agency: Agency, fmt: str = "xlsx", template: bool = False) -> bytes:
    found = helpers.call_action(
        "nd47_dataset_bulk_export",
        context={"user": agency.editor["name"], "ignore_auth": False},
        organization_id=agency.org["id"],
        format=fmt,
        template=template,
    )
    return base64.b64decode(found["content"])


class TestTemplate:
    def test_layout_headers_and_drop_downs(self, agency):
        book = openpyxl.load_workbook(io.BytesIO(export(agency, template=True)))
        assert book.sheetnames == [
            bulk.DATASETS_SHEET,
            bulk.RESOURCES_SHEET,
            bulk.HELP_SHEET,
            bulk.LISTS_SHEET,
        ]
        assert book[bulk.LISTS_SHEET].sheet_state == "hidden"
        sheet = book[bulk.DATASETS_SHEET]
        vi = [c.value for c in sheet[1]]
        en = [c.value for c in sheet[2]]
        assert vi[:3] == ["Tên bộ dữ liệu", "Tên tiếng Anh", "Đường dẫn (URL)"]
        assert en[:3] == ["Title", "English title", "URL"]
        # no agency column (the page's), no derived or repeating field
        assert "Cơ quan công bố" not in vi and "Quyền truy cập" not in vi
        assert "Căn cứ pháp lý" not in vi
        assert book[bulk.RESOURCES_SHEET]["A1"].value == "Bộ dữ liệu (đường dẫn)"
        # a drop-down list on every coded column, offering the Vietnamese labels
        lists = book[bulk.LISTS_SHEET]
        offered = {
            lists.cell(row=1, column=c).value: [
                lists.cell(row=r, column=c).value for r in range(2, lists.max_row + 1)
            ]
            for c in range(1, lists.max_column + 1)
        }
        assert "Y tế" in offered["themes"] and "Dữ liệu mở" in offered["sharing_class"]
        validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
        for header in ("Chủ đề", "Phân loại chia sẻ", "Tần suất cập nhật", "Giấy phép"):
            letter = openpyxl.utils.get_column_letter(vi.index(header) + 1)
            assert f"{letter}3" in validated, header
        guide = [r for r in book[bulk.HELP_SHEET].iter_rows(min_row=2, values_only=True)]
        assert (bulk.DATASETS_SHEET, "Chủ đề", "y-te", "Y tế", "Health") in guide

    def test_csv_template_has_both_header_rows(self, agency):
        lines = export(agency, "csv", template=True).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Tên bộ dữ liệu,") and lines[1].startswith("Title,")
        assert len(lines) == 2


class TestAgencyWorkbooks:
    def test_labels_dates_title_gaps_no_english_row(self, agency):
        data = workbook(
            [SCHOOLS, CLINICS],
            resources=RESOURCES,
            title="DANH MỤC BỘ DỮ LIỆU CỦA SỞ GIÁO DỤC",
            gaps=True,
        )
        result = do_import(agency, data)
        assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
        found = datasets(agency)
        schools = found["danh-sach-truong-hoc"]
        assert sorted(schools["theme"]) == ["giao-duc-dao-tao", "y-te"]
        assert schools["sharing_class"] == "mo" and schools["importance"] == "khac"
        assert schools["database_kind"] == "dia-phuong" and schools["frequency"] == "ANNUAL"
        assert schools["personal_data_reviewed"] is True
        assert schools["issued"] == "2026-12-31"
        assert sorted(t["name"] for t in schools["tags"]) == ["giáo dục", "trường học"]
        assert [(r["name"], r["format"]) for r in schools["resources"]] == [
            ("Danh sách (CSV)", "CSV"),
            ("Danh sách (Excel)", "XLSX"),
        ]
        clinics = found["co-so-kham-chua-benh"]
        assert clinics["issued"] == "2026-12-31" and clinics["frequency"] == "MONTHLY"

    def test_english_header_row_is_skipped(self, agency):
        english = ["Title", "URL", "Description"]
        result = do_import(agency, workbook([SCHOOLS], english=english))
        assert result["created"] == 1

    def test_english_headers_only(self, agency):
        headers = [
            "Title",
            "URL",
            "Description",
            "Sharing class",
            "Importance",
            "Themes",
            "Database kind",
            "Personal-data review done",
        ]
        result = do_import(agency, workbook([CLINICS[:8]], headers=headers))
        assert result["created"] == 1

    def test_csv_with_labels_and_semicolons(self, agency):
        lines = [
            ";".join(HEADERS[:8]),
            "Danh sách trường học;;Mô tả;Dữ liệu mở;Dữ liệu khác;Giáo dục đào tạo;"
            "Cơ sở dữ liệu địa phương;Có",
        ]
        result = do_import(agency, "\n".join(lines).encode("utf-8"), "csv")
        assert result["datasets"][0]["name"] == "danh-sach-truong-hoc"
        assert "danh-sach-truong-hoc" in datasets(agency)

    def test_excel_serial_number_as_date(self, agency):
        row = [*SCHOOLS]
        row[9] = 46387  # 31/12/2026 in a cell that lost its date format
        do_import(agency, workbook([row]))
        assert datasets(agency)["danh-sach-truong-hoc"]["issued"] == "2026-12-31"


class TestDryRunAndAllOrNothing:
    def test_dry_run_reports_and_writes_nothing(self, agency):
        result = do_import(agency, workbook([SCHOOLS, CLINICS]), dry_run=True)
        assert result["dry_run"] is True
        assert [(d["name"], d["action"]) for d in result["datasets"]] == [
            ("danh-sach-truong-hoc", "create"),
            ("co-so-kham-chua-benh", "create"),
        ]
        assert "Themes" in result["datasets"][0]["changes"]
        assert datasets(agency) == {}
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("package_show", id="danh-sach-truong-hoc")

    def test_dry_run_of_an_update_names_the_changed_columns(self, agency):
        do_import(agency, workbook([SCHOOLS]))
        row = [*SCHOOLS]
        row[2] = "Mô tả mới"
        result = do_import(agency, workbook([row]), dry_run=True)
        assert result["datasets"][0]["action"] == "update"
        assert result["datasets"][0]["changes"] == ["Description"]
        assert datasets(agency)["danh-sach-truong-hoc"]["notes"] == SCHOOLS[2]

    def test_every_row_error_and_nothing_written(self, agency):
        do_import(agency, workbook([SCHOOLS]))
        changed = [*SCHOOLS]
        changed[2] = "Mô tả đã sửa"
        no_description = [*CLINICS]
        no_description[2] = ""
        unknown_theme = [*CLINICS]
        unknown_theme[0], unknown_theme[1], unknown_theme[5] = "Khác", "khac", "Giáo dục"
        data = workbook([changed, no_description, unknown_theme], english=["Title"])
        with pytest.raises(tk.ValidationError) as err:
            do_import(agency, data)
        got = [(e["sheet"], e["row"], e["column"]) for e in err.value.error_dict["rows"]]
        assert got == [
            (bulk.DATASETS_SHEET, 4, "Description"),
            (bulk.DATASETS_SHEET, 5, "Themes"),
        ]
        messages = [e["message"] for e in err.value.error_dict["rows"]]
        assert "Giáo dục" in messages[1] and bulk.HELP_SHEET in messages[1]
        # the valid change on row 3 was not written either
        assert set(datasets(agency)) == {"danh-sach-truong-hoc"}
        assert datasets(agency)["danh-sach-truong-hoc"]["notes"] == SCHOOLS[2]

    def test_resource_error_names_the_resources_sheet(self, agency):
        resources = [[*RESOURCES[0]], ["khong-co", "https://example.gov.vn/x.csv", "X", "CSV"]]
        resources[0][3] = "Định dạng lạ"
        with pytest.raises(tk.ValidationError) as err:
            do_import(agency, workbook([SCHOOLS], resources=resources))
        got = [(e["sheet"], e["row"], e["column"]) for e in err.value.error_dict["rows"]]
        assert got == [
            (bulk.RESOURCES_SHEET, 2, "Format"),
            (bulk.RESOURCES_SHEET, 3, "Dataset (URL name)"),
        ]
        assert datasets(agency) == {}

    def test_the_same_dataset_twice(self, agency):
        with pytest.raises(tk.ValidationError) as err:
            do_import(agency, workbook([SCHOOLS, SCHOOLS]))
        assert err.value.error_dict["rows"][0]["row"] == 3
        assert "also on row 2" in err.value.error_dict["rows"][0]["message"]

    def test_another_agencys_dataset_is_not_taken_over(self, agency):
        factories.Dataset(name="danh-sach-truong-hoc")
        with pytest.raises(tk.ValidationError) as err:
            do_import(agency, workbook([SCHOOLS]))
        assert "Another agency" in err.value.error_dict["rows"][0]["message"]


class TestIdempotence:
    def test_reimport_changes_nothing(self, agency):
        data = workbook([SCHOOLS, CLINICS], resources=RESOURCES)
        do_import(agency, data)
        before = datasets(agency)
        result = do_import(agency, data)
        assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 2)
        after = datasets(agency)
        assert {n: d["metadata_modified"] for n, d in after.items()} == {
            n: d["metadata_modified"] for n, d in before.items()
        }

    def test_without_url_name_matched_by_title(self, agency):
        row = [*SCHOOLS]
        row[1] = ""
        do_import(agency, workbook([row]))
        result = do_import(agency, workbook([row]))
        assert result["unchanged"] == 1 and list(datasets(agency)) == ["danh-sach-truong-hoc"]

    def test_matched_by_identifier(self, agency):
        factories.Dataset(
            owner_org=agency.org["id"], name="ten-cu", identifier="000.00.01.G01-DL01"
        )
        headers = ["Mã định danh", "Tên bộ dữ liệu", *HEADERS[2:8]]
        row = ["000.00.01.G01-DL01", "Tên mới", *SCHOOLS[2:8]]
        result = do_import(agency, workbook([row], headers=headers))
        assert (result["created"], result["updated"]) == (0, 1)
        assert datasets(agency)["ten-cu"]["title"] == "Tên mới"

    def test_member_may_not_import(self, agency):
        with pytest.raises(tk.NotAuthorized):
            do_import(agency, workbook([SCHOOLS]), user=agency.member)
        other = Agency()
        with pytest.raises(tk.NotAuthorized):
            do_import(agency, workbook([SCHOOLS]), user=other.editor)


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["xlsx", "csv"])
    def test_export_then_import_changes_nothing(self, agency, fmt):
        factories.Dataset(
            owner_org=agency.org["id"],
            name="du-lieu-day-du",
            title="=Dữ liệu bắt đầu bằng dấu bằng",
            title_en="Full dataset",
            tag_string="dân cư, y tế",
            theme=["y-te", "xa-hoi"],
            frequency="MONTHLY",
            issued="2025-01-15",
            modified="2026-03",
            language=["VIE", "ENG"],
            version="1.0",
            identifier="DL-01",
            documentation=["https://example.gov.vn/a", "https://example.gov.vn/b"],
            license_id="CC-BY-4.0",
            resources=[
                {"url": "https://example.gov.vn/a.csv", "name": "A", "format": "CSV", "size": 1024},
                {"url": "https://example.gov.vn/b.json", "name": "B", "format": "JSON"},
            ],
        )
        factories.Dataset(owner_org=agency.org["id"], name="rieng", sharing_class="dung-rieng")
        before = datasets(agency)
        data = export(agency, fmt)
        if fmt == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            assert book[bulk.RESOURCES_SHEET].max_row == 4
        result = do_import(agency, data, fmt)
        assert [d for d in result["datasets"] if d["action"] != "unchanged"] == []
        assert result["unchanged"] == 2
        after = datasets(agency)
        assert (
            after["du-lieu-day-du"]["metadata_modified"]
            == (before["du-lieu-day-du"]["metadata_modified"])
        )
        assert after["du-lieu-day-du"]["title"] == "=Dữ liệu bắt đầu bằng dấu bằng"


class TestRefusedFiles:
    def test_not_a_spreadsheet(self, agency):
        assert refused(agency, b"%PDF-1.4 not a workbook") == {
            "upload": ["This is not an Excel .xlsx file"]
        }

    @pytest.mark.ckan_config("ckanext.nd47.bulk_max_mb", "19")
    def test_20_mb(self, agency):
        assert refused(agency, b"PK" + b"\0" * (20 * 1024 * 1024)) == {
            "upload": ["The file is larger than 19 MB"]
        }

    def test_50000_rows(self, agency):
        lines = [",".join(HEADERS[:3])] + [f"Dữ liệu {n},,Mô tả" for n in range(50000)]
        errors = refused(agency, "\n".join(lines).encode("utf-8"), "csv")
        assert "too many rows" in errors["upload"][0]

    def test_formulas(self, agency):
        book = openpyxl.load_workbook(io.BytesIO(workbook([SCHOOLS])))
        book.active["C2"] = '=CONCATENATE("Danh sách", " trường")'
        out = io.BytesIO()
        book.save(out)
        assert "formulas" in refused(agency, out.getvalue())["upload"][0]

    def test_macro_enabled_workbook(self, agency):
        source = io.BytesIO(workbook([SCHOOLS]))
        out = io.BytesIO()
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
            for name in old.namelist():
                new.writestr(name, old.read(name))
            new.writestr("xl/vbaProject.bin", b"\0" * 64)
        assert "macros" in refused(agency, out.getvalue())["upload"][0]

    def test_xlsm_file_name(self, agency):
        assert refused(agency, workbook([SCHOOLS]), "xlsm") == {
            "upload": ["Choose an .xlsx or .csv file"]
        }

    def test_csv_in_windows_1258(self, agency):
        text = ",".join(HEADERS[:3]) + "\nDữ liệu giáo dục,,Mô tả\n"
        data = unicodedata.normalize("NFD", text).encode("cp1258", errors="ignore")
        assert "Windows-1258" in refused(agency, data, "csv")["upload"][0]

    def test_csv_in_utf16_without_bom(self, agency):
        text = ",".join(HEADERS[:3]) + "\nDữ liệu,,Mô tả\n"
        assert "UTF-16" in refused(agency, text.encode("utf-16-le"), "csv")["upload"][0]

    def test_sheet_declaring_a_million_rows(self, agency):
        book = openpyxl.load_workbook(io.BytesIO(workbook([SCHOOLS])))
        book.active["A1048576"] = "x"
        out = io.BytesIO()
        book.save(out)
        assert "too many rows" in refused(agency, out.getvalue())["upload"][0]

    @pytest.mark.ckan_config("ckanext.nd47.bulk_max_rows", "1")
    def test_more_rows_than_allowed(self, agency):
        with pytest.raises(tk.ValidationError) as err:
            do_import(agency, workbook([SCHOOLS, CLINICS]))
        assert [e["message"] for e in err.value.error_dict["rows"]] == ["At most 1 rows per file"]
        assert datasets(agency) == {}


@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "true")
@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_debounce", "0")
def test_a_dry_run_queues_no_job(agency):
    """The dry run's writes are rolled back, so the other plugins' hooks queue
    nothing for them (no quality assessment, no dump rebuild); the real
    import does."""
    from ckan.lib.jobs import get_queue
    from ckan.lib.redis import connect_to_redis

    queue = get_queue()
    queue.empty()
    connect_to_redis().flushdb()  # no debounce mark left by an earlier test
    do_import(agency, workbook([SCHOOLS, CLINICS]), dry_run=True)
    assert queue.jobs == []
    do_import(agency, workbook([SCHOOLS]))
    assert queue.jobs, "the real import queues the assessment and the rebuild"
    queue.empty()
