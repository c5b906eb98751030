"""The open-data list: rows from approved plans and open data, agreeing files, the package."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import openpyxl
import pytest
import rdflib
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import helpers
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.nd47.plans import opendata_list
from tests.factories import Dataset
from tests.plans.conftest import call_as, make_item, make_plan, open_dataset

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def listed(agency, other_agency):
    """An agency with an approved plan, open, private and shared data, and a draft elsewhere."""
    plan = make_plan(agency)
    make_item(
        agency,
        plan,
        "DM01",
        title="Danh sách trường học",
        theme="giao-duc-dao-tao",
        formats="CSV,XLSX",
        access_mode="download",
        update_cadence="ANNUAL",
        due_date="2026-12-31",
    )
    withdrawn = make_item(agency, plan, "DM02", title="Dữ liệu rút khỏi kế hoạch")
    published = open_dataset(agency.org["id"], title="Cơ sở khám chữa bệnh")
    linked = make_item(agency, plan, "DM03", title="Cơ sở khám chữa bệnh (kế hoạch)")
    call_as(agency.editor, "nd47_plan_item_link", id=linked["id"], package_id=published["id"])
    call_as(
        agency.editor,
        "nd47_plan_item_status_update",
        id=withdrawn["id"],
        status="withdrawn",
        reason="Gộp vào DM01",
    )
    call_as(agency.admin, "nd47_plan_approve", id=plan["id"])
    unplanned = open_dataset(agency.org["id"], title="Giá đất", frequency="ANNUAL")
    Dataset(owner_org=agency.org["id"], private=True, title="Hồ sơ cán bộ")
    Dataset(
        owner_org=agency.org["id"], private=True, sharing_class="dung-chung", title="Dùng chung"
    )
    draft = make_plan(other_agency)
    make_item(other_agency, draft, "NB01", title="Dữ liệu kế hoạch nháp")
    other_open = open_dataset(other_agency.org["id"], title="Đường giao thông")
    return {"published": published, "unplanned": unplanned, "other_open": other_open}


def show(**data):
    return helpers.call_action("nd47_opendata_list_show", context={"user": ""}, **data)


def names(rows):
    return [row["name"] for row in rows]


class TestRows:
    def test_agency_list(self, agency, listed):
        shown = show(owner_org=agency.org["name"])
        assert names(shown["rows"]) == [
            "Danh sách trường học",
            "Cơ sở khám chữa bệnh (kế hoạch)",
            "Giá đất",
        ]
        planned, published, unplanned = shown["rows"]
        assert planned["status"] == "Dự kiến" and planned["date"] == "2026-12-31"
        assert planned["theme"] == "Giáo dục đào tạo"
        assert planned["formats"] == "CSV, Excel (XLSX)"
        assert planned["access_mode"] == "Tải xuống"
        assert planned["update_cadence"] == "Hằng năm"
        assert planned["link"] == ""
        assert published["status"] == "Đã công bố"
        assert published["link"].endswith("/dataset/" + listed["published"]["name"])
        assert unplanned["update_cadence"] == "Hằng năm"
        assert [c["key"] for c in shown["columns"]] == [c.key for c in opendata_list.COLUMNS]

    def test_national_list_never_shows_private_shared_or_draft(self, agency, listed):
        rows = show()["rows"]
        assert "Đường giao thông" in names(rows)
        for hidden in ("Hồ sơ cán bộ", "Dùng chung", "Dữ liệu kế hoạch nháp", "Dữ liệu rút"):
            assert not any(name.startswith(hidden) for name in names(rows))

    def test_a_dataset_made_private_leaves_the_list(self, agency, listed):
        helpers.call_action("package_patch", id=listed["unplanned"]["id"], private=True)
        assert "Giá đất" not in names(show(owner_org=agency.org["id"])["rows"])

    @pytest.mark.ckan_config("ckanext.nd47.plans.opendata_list_columns", "link name")
    def test_columns_from_the_option_in_fixed_order(self, agency, listed):
        shown = show(owner_org=agency.org["id"])
        assert [c["key"] for c in shown["columns"]] == ["name", "link"]
        data = opendata_list.render(shown["rows"], "csv", "")
        header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert header == ["Tên dữ liệu", "Đường dẫn"]

    def test_unknown_agency(self):
        with pytest.raises(helpers.logic.NotFound):
            show(owner_org="khong-co")


class TestFiles:
    def test_exports_agree(self, app, agency, listed):
        org = agency.org["name"]
        got = {}
        for fmt in opendata_list.FORMATS:
            resp = app.get(f"/plan/list/{org}.{fmt}")
            assert resp.status_code == 200
            assert resp.headers["Content-Type"].startswith(opendata_list.MIMETYPES[fmt][:10])
            got[fmt] = resp.data
        keys = [c.key for c in opendata_list.COLUMNS]
        from_csv = list(csv.reader(io.StringIO(got["csv"].decode("utf-8-sig"))))[2:]
        book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
        from_xlsx = [
            ["" if v is None else v for v in row]
            for row in book.active.iter_rows(min_row=3, values_only=True)
        ]
        document = json.loads(got["json"])
        from_json = [[row[k] for k in keys] for row in document["rows"]]
        assert from_csv == from_xlsx == from_json
        assert len(from_json) == 3
        graph = rdflib.Graph().parse(data=got["ttl"], format="turtle")
        catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
        titles = {str(graph.value(d, DCTERMS.title)) for d in graph.objects(catalog, DCAT.dataset)}
        published = {row[0] for row in from_json if row[keys.index("link")]}
        assert titles == published == {"Cơ sở khám chữa bệnh (kế hoạch)", "Giá đất"}

    def test_pages(self, app, agency, listed):
        page = app.get(f"/plan/list/{agency.org['name']}").body
        assert "Danh sách trường học" in page and "Hồ sơ cán bộ" not in page
        national = app.get("/plan/list").body
        assert "Đường giao thông" in national
        assert app.get("/plan/list/khong-co", status=404)
        assert app.get("/plan/list.pdf", status=404)


class TestExportCommand:
    def test_package_and_last_sent(self, cli, agency, listed, tmp_path):
        before = show(owner_org=agency.org["id"])
        assert before["last_sent"] is None
        out = tmp_path / "goi"
        result = cli.invoke(
            ckan_cli,
            ["nd47-plans", "list", "export", "--agency", agency.org["name"], "--out", str(out)],
        )
        assert result.exit_code == 0, result.output
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["rows"] == 3
        assert sorted(f["file"].rsplit(".", 1)[1] for f in manifest["files"]) == sorted(
            opendata_list.FORMATS
        )
        for entry in manifest["files"]:
            assert (out / entry["file"]).is_file()
        after = show(owner_org=agency.org["id"])
        assert after["last_sent"]["rows"] == 3
        assert after["last_sent"]["checksum"] == after["checksum"]

    def test_recording_is_for_agency_admins(self, agency, listed):
        with pytest.raises(helpers.logic.NotAuthorized):
            call_as(agency.editor, "nd47_opendata_list_sent_create", owner_org=agency.org["id"])
        sent = call_as(agency.admin, "nd47_opendata_list_sent_create", owner_org=agency.org["id"])
        assert sent["rows"] == 3


def load_demo() -> None:
    """The demo portal exactly as scripts/demo_data.py loads it."""
    spec = importlib.util.spec_from_file_location("demo_data", ROOT / "scripts" / "demo_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._load_all()


# the demo's feedback comes from a few addresses: loading it again within the
# hour must not meet the feedback rate limit (kept in Redis across tests)
@pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", "0")
@pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_ip", "0")
@pytest.mark.usefixtures("with_request_context")
def test_demo_populates_every_agencys_list(app):
    load_demo()
    national = show()
    agencies = {row["agency"] for row in national["rows"]}
    assert len(agencies) == 6
    statuses = {row["status"] for row in national["rows"]}
    assert statuses == {"Đã công bố", "Dự kiến"}
    page = app.get("/plan/list").body
    assert national["rows"][0]["name"] in page
