"""The register of master databases: its pages, the dataset page, operators' own entries."""

from __future__ import annotations

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
