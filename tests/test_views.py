"""The register of master databases: its pages, the dataset page, operators' own entries;
the bulk dataset import page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from ckanext.nd47 import vocab
from tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_register_lists_every_database_with_its_managing_body(app: Any) -> None:
    body = app.get("/vi/master-data").get_data(as_text=True)
    for term in vocab.get("master_database"):
        assert term.vi in body
    assert "Bộ Công an" in body


def test_entry_page_lists_the_derived_datasets_the_visitor_may_see(app: Any) -> None:
    agency = factories.Agency()
    for name, master_source, sharing_class in (
        ("dan-cu-nghe-an", "dan-cu", "mo"),
        ("dan-cu-noi-bo", "dan-cu", "dung-rieng"),
        ("dat-dai-nghe-an", "dat-dai", "mo"),
    ):
        factories.Dataset(
            name=name,
            owner_org=agency["id"],
            master_source=master_source,
            sharing_class=sharing_class,
            admin_units=["40"],
        )
    body = app.get("/vi/master-data/dan-cu").get_data(as_text=True)
    assert "Cơ sở dữ liệu quốc gia về dân cư" in body
    assert "26/2023/QH15" in body
    assert "/dataset/dan-cu-nghe-an" in body
    assert "/dataset/dan-cu-noi-bo" not in body  # private: not for a visitor
    assert "/dataset/dat-dai-nghe-an" not in body
    # a member of the agency sees its private derived dataset too
    member = ckan_factories.UserWithToken()
    from ckan.tests import helpers

    helpers.call_action(
        "organization_member_create",
        {"ignore_auth": True},
        id=agency["id"],
        username=member["name"],
        role="editor",
    )
    body = app.get("/master-data/dan-cu", headers={"Authorization": member["token"]}).get_data(
        as_text=True
    )
    assert "/dataset/dan-cu-noi-bo" in body


def test_unknown_entry_is_404(app: Any) -> None:
    assert app.get("/master-data/khong-co").status_code == 404


def test_dataset_page_says_derived_from_the_database(app: Any) -> None:
    agency = factories.Agency()
    factories.Dataset(
        name="dan-cu-nghe-an", owner_org=agency["id"], master_source="dan-cu", admin_units=["40"]
    )
    body = app.get("/vi/dataset/dan-cu-nghe-an").get_data(as_text=True)
    assert "/master-data/dan-cu" in body
    assert "Cơ sở dữ liệu quốc gia về dân cư" in body


def test_master_source_accepts_a_url_and_refuses_anything_else() -> None:
    agency = factories.Agency()
    url = "https://csdl.nghean.gov.vn/dan-cu"
    created = factories.Dataset(owner_org=agency["id"], master_source=url, admin_units=["VN"])
    assert created["master_source"] == url
    uri = vocab.term("master_database", "dat-dai").uri
    assert factories.Dataset(owner_org=agency["id"], master_source=uri, admin_units=["VN"])[
        "master_source"
    ] == ("dat-dai")
    from ckan.tests import helpers

    with pytest.raises(helpers.logic.ValidationError) as err:
        factories.Dataset(owner_org=agency["id"], master_source="csdl dân cư", admin_units=["VN"])
    assert "master_source" in err.value.error_dict


@pytest.fixture
def local_register(tmp_path: Any, ckan_config: Any, monkeypatch: Any) -> Iterator[None]:
    path = tmp_path / "local.yaml"
    path.write_text(
        "terms:\n"
        "  - code: ho-tich-nghe-an\n"
        "    vi: Cơ sở dữ liệu hộ tịch tỉnh Nghệ An\n"
        "    en: Civil status database of Nghe An\n"
        "    managing_body_vi: Sở Tư pháp tỉnh Nghệ An\n"
        "    managing_body_en: Nghe An Department of Justice\n"
        "    legal_basis_confirmed: false\n",
        encoding="utf-8",
    )
    # no cache to clear: the file named in the config is part of the cache key
    monkeypatch.setitem(ckan_config, "ckanext.nd47.master_databases_file", str(path))
    yield


@pytest.mark.usefixtures("local_register")
def test_operators_add_local_databases_in_config(app: Any) -> None:
    local = vocab.term("master_database", "ho-tich-nghe-an")
    assert local is not None and local.uri.endswith("/vocab/master-database/ho-tich-nghe-an")
    assert vocab.term("master_database", "dan-cu") is not None
    assert "Sở Tư pháp tỉnh Nghệ An" in app.get("/vi/master-data").get_data(as_text=True)


# --- bulk dataset import (/organization/<id>/bulk) ---------------------------------


def test_bulk_import_page_dry_run_then_confirm(app: Any) -> None:
    from ckan.tests import helpers as ckan_helpers

    from tests.logic.test_bulk import CLINICS, SCHOOLS, Agency, workbook
    from tests.plans.test_views import forms_have_csrf, token

    agency = Agency()
    auth = token(agency.editor)
    url = f"/vi/organization/{agency.org['name']}/bulk"
    page = app.get(url, headers=auth).get_data(as_text=True)
    assert "Nhập hàng loạt" in page and forms_have_csrf(page)
    # the tab on the agency page, for its editors only
    assert url in app.get(f"/vi/organization/{agency.org['name']}", headers=auth).body
    assert url not in app.get(f"/vi/organization/{agency.org['name']}").body
    app.get(url, status=403)
    app.get(url, headers=token(agency.member), status=403)
    for kind in ("template", "export"):
        got = app.get(f"{url}/{kind}.xlsx", headers=auth)
        assert got.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in got.headers["Content-Disposition"]

    data = workbook([SCHOOLS, CLINICS])
    checked = app.post(url, data={"upload": (io.BytesIO(data), "bo-du-lieu.xlsx")}, headers=auth)
    body = checked.get_data(as_text=True)
    assert "nd47-bulk-create" in body and "nd47-bulk-confirm" in body
    assert ckan_helpers.call_action("package_search", include_private=True)["count"] == 0
    content = re.search(r'name="content" value="([^"]+)"', body).group(1)
    done = app.post(
        url,
        data={"content": content, "filename": "bo-du-lieu.xlsx", "confirm": "1"},
        headers=auth,
        follow_redirects=False,
    )
    assert done.status_code == 302
    assert ckan_helpers.call_action("package_search", include_private=True)["count"] == 2
    # the same file again: nothing to confirm
    again = app.post(url, data={"upload": (io.BytesIO(data), "b.xlsx")}, headers=auth).body
    assert "nd47-bulk-unchanged" in again and "nd47-bulk-confirm" not in again
    bad = app.post(url, data={"upload": (io.BytesIO(b"x"), "b.xlsx")}, headers=auth).body
    assert "nd47-import-errors" in bad
