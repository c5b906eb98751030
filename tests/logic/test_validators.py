"""Every validator, accept and reject, directly and through the actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.nd47.logic import validators as v
from tests import factories


def _errors(action: str, **data: Any) -> dict[str, Any]:
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action(action, **data)
    return e.value.error_dict


@pytest.mark.usefixtures("with_request_context")
class TestTextFormats:
    @pytest.mark.parametrize(
        "number",
        [
            "47/2020/NĐ-CP",
            "2439/QĐ-TTg",
            "123/QĐ-UBND",
            "20/2023/QH15",
            "60/2024/QH15",
            "05/2019/TT-BTTTT",
            "19/2025/QĐ-TTg",
            "12/NQ-HĐND",
        ],
    )
    def test_legal_document_number_accepts(self, number: str) -> None:
        assert v.nd47_legal_document_number(number) == number

    def test_legal_document_number_normalises_eth_and_spaces(self) -> None:
        assert v.nd47_legal_document_number("47/2020/ NÐ-CP") == "47/2020/NĐ-CP"

    @pytest.mark.parametrize(
        "number",
        ["47-2020-NĐ-CP", "Nghị định 47", "47/20/NĐ-CP", "/2020/NĐ-CP", "47/2020/", "QĐ-TTg/2439"],
    )
    def test_legal_document_number_rejects(self, number: str) -> None:
        with pytest.raises(tk.Invalid) as e:
            v.nd47_legal_document_number(number)
        assert "Legal document number" in e.value.error
        assert number in e.value.error

    @pytest.mark.parametrize("email", ["a@b.vn", "huong.nt@nghean.gov.vn", "x+y@mail.example.com"])
    def test_email_accepts(self, email: str) -> None:
        assert v.nd47_email(email) == email

    @pytest.mark.parametrize("email", ["huong", "a@b", "a b@c.vn", "@nghean.gov.vn"])
    def test_email_rejects(self, email: str) -> None:
        with pytest.raises(tk.Invalid) as e:
            v.nd47_email(email)
        assert e.value.error.startswith("Email:")

    @pytest.mark.parametrize("url", ["https://data.gov.vn", "http://syt.nghean.gov.vn/a?b=c"])
    def test_url_accepts(self, url: str) -> None:
        assert v.nd47_url(url) == url

    @pytest.mark.parametrize(
        "url", ["data.gov.vn", "ftp://data.gov.vn/x", "https://", "javascript:x"]
    )
    def test_url_rejects(self, url: str) -> None:
        with pytest.raises(tk.Invalid) as e:
            v.nd47_url(url)
        assert e.value.error.startswith("URL:")

    def test_phone(self) -> None:
        assert v.nd47_phone("+84 238 3844 788") == "+84 238 3844 788"
        with pytest.raises(tk.Invalid):
            v.nd47_phone("gọi tôi")

    def test_province_code(self) -> None:
        assert v.nd47_province_code("40") == "40"
        for bad in ("4", "00004", "VN", "99"):
            with pytest.raises(tk.Invalid) as e:
                v.nd47_province_code(bad)
            assert e.value.error.startswith("Province:")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAgencyValidators:
    def test_identifier_is_normalised_and_stored(self) -> None:
        org = factories.Agency(agency_identifier=" 000.00.00.g12 ")
        assert org["agency_identifier"] == "000.00.00.G12"

    @pytest.mark.parametrize(
        "identifier", ["G12", "000-00-00-G12", "000..G12", "000.00.00.G12.", "A" * 30 + ".12345"]
    )
    def test_identifier_format_rejected(self, identifier: str) -> None:
        errors = _errors(
            "organization_create", name="co-quan", agency_identifier=identifier, agency_level="bo"
        )
        assert errors["agency_identifier"][0].startswith("Electronic identifier:")

    def test_identifier_must_be_unique(self) -> None:
        first = factories.Agency(agency_identifier="000.00.00.H41")
        errors = _errors(
            "organization_create",
            name="khac",
            agency_identifier="000.00.00.H41",
            agency_level="tinh",
        )
        assert "already used" in errors["agency_identifier"][0]
        # the agency keeps its own identifier on update
        helpers.call_action("organization_patch", id=first["id"], title="UBND tỉnh Nghệ An")
        shown = helpers.call_action("organization_show", id=first["id"])
        assert (shown["title"], shown["agency_identifier"]) == (
            "UBND tỉnh Nghệ An",
            "000.00.00.H41",
        )

    def test_level_is_a_choice(self) -> None:
        errors = _errors(
            "organization_create", name="co-quan", agency_identifier="1.2", agency_level="vua"
        )
        assert "agency_level" in errors

    def test_province_and_commune(self) -> None:
        org = factories.Agency(province_code="40", commune_code="16681", agency_level="xa")
        assert (org["province_code"], org["commune_code"]) == ("40", "16681")
        errors = _errors(
            "organization_create",
            name="xa-sai",
            agency_identifier="000.00.99.X01",
            agency_level="xa",
            province_code="01",
            commune_code="16681",
        )
        assert errors["commune_code"][0].startswith("Commune:")
        errors = _errors(
            "organization_create",
            name="xa-sai",
            agency_identifier="000.00.99.X01",
            agency_level="xa",
            commune_code="40",
        )
        assert "Decision 19/2025" in errors["commune_code"][0]

    def test_parent_agency(self) -> None:
        parent = factories.Agency(name="bo-tai-chinh")
        child = factories.Agency(parent_agency="bo-tai-chinh")
        assert child["parent_agency"] == parent["name"]
        errors = _errors(
            "organization_create",
            name="mo-coi",
            agency_identifier="000.00.98.X01",
            agency_level="bo",
            parent_agency="khong-ton-tai",
        )
        assert errors["parent_agency"][0].startswith("Parent agency:")

    def test_emails_and_website(self) -> None:
        errors = _errors(
            "organization_create",
            name="co-quan",
            agency_identifier="000.00.97.X01",
            agency_level="bo",
            contact_email="khong-phai-email",
            data_officer_email="x@",
            website="syt.nghean.gov.vn",
        )
        assert set(errors) >= {"contact_email", "data_officer_email", "website"}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetValidators:
    def test_admin_unit_codes(self) -> None:
        ds = factories.Dataset(admin_units=["VN", "01", "00004"])
        assert ds["admin_units"] == ["VN", "01", "00004"]
        ds = factories.Dataset(admin_units="40,16681")
        assert ds["admin_units"] == ["40", "16681"]
        errors = _errors("package_create", **_required(admin_units=["01", "99999"]))
        assert "99999" in errors["admin_units"][0]

    def test_temporal_coverage_start_not_after_end(self) -> None:
        ok = factories.Dataset(temporal_coverage=[{"start": "2024", "end": "2024-12-31"}])
        assert ok["temporal_coverage"] == [{"start": "2024", "end": "2024-12-31"}]
        errors = _errors(
            "package_create",
            **_required(temporal_coverage=[{"start": "2025-06-01", "end": "2025-01-31"}]),
        )
        assert errors["temporal_coverage"][0]["end"][0].startswith("Temporal coverage:")

    def test_modified_not_before_issued(self) -> None:
        factories.Dataset(issued="2025-01-01", modified="2025-01-01")
        errors = _errors("package_create", **_required(issued="2025-05-01", modified="2024-12-31"))
        assert errors["modified"][0].startswith("Modification date:")

    def test_legal_basis_number_required_and_checked(self) -> None:
        ds = factories.Dataset(legal_basis=[{"number": "2439/QĐ-TTg", "issued": "2023-12-29"}])
        assert ds["legal_basis"][0]["number"] == "2439/QĐ-TTg"
        errors = _errors("package_create", **_required(legal_basis=[{"number": "số 47"}]))
        assert errors["legal_basis"][0]["number"][0].startswith("Legal document number:")
        errors = _errors("package_create", **_required(legal_basis=[{"title": "Không số"}]))
        assert "number" in errors["legal_basis"][0]

    def test_contact_email_and_urls(self) -> None:
        errors = _errors(
            "package_create",
            **_required(contact=[{"name": "A", "email": "a-at-b"}], master_source="csdl"),
        )
        assert errors["contact"][0]["email"][0].startswith("Email:")
        assert errors["master_source"][0].startswith("Master source:")

    def test_choices(self) -> None:
        errors = _errors(
            "package_create",
            **_required(
                sharing_class="cong-khai", importance="x", theme=["the-thao"], frequency="OFTEN"
            ),
        )
        assert set(errors) >= {"sharing_class", "importance", "theme", "frequency"}
        errors = _errors("package_create", name="thieu", owner_org=factories.Agency()["id"])
        assert set(errors) >= {"title", "notes", "sharing_class", "importance", "theme"}

    def test_access_rights_follow_sharing_class(self) -> None:
        assert factories.Dataset(sharing_class="mo")["access_rights"] == "PUBLIC"
        shared = factories.Dataset(sharing_class="dung-chung", access_rights="PUBLIC")
        assert shared["access_rights"] == "RESTRICTED"
        assert factories.Dataset(sharing_class="dung-rieng")["access_rights"] == "NON_PUBLIC"

    def test_resource_format_and_media_type(self) -> None:
        ds = factories.Dataset(
            resources=[
                {"url": "https://example.vn/a.csv", "format": "csv"},
                {"url": "https://example.vn/b.json"},
                {"url": "https://example.vn/c", "format": "application/geo+json"},
                {"url": "https://example.vn/d.xlsx", "format": "XLSX", "mimetype": "x/custom"},
            ]
        )
        got = [(r["format"], r.get("mimetype")) for r in ds["resources"]]
        assert got == [
            ("CSV", "text/csv"),
            ("JSON", "application/json"),
            ("GEOJSON", "application/geo+json"),
            ("XLSX", "x/custom"),
        ]
        errors = _errors(
            "package_create", **_required(resources=[{"url": "https://x.vn/a", "format": "FOO"}])
        )
        assert errors["resources"][0]["format"][0].startswith("Format:")


def _required(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "Dữ liệu thử",
        "notes": "Mô tả",
        "owner_org": factories.Agency()["id"],
        "sharing_class": "mo",
        "importance": "khac",
        "theme": ["y-te"],
        "database_kind": "khac",
        "personal_data_reviewed": True,
    }
    data.update(extra)
    return data


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestMoreRejections:
    def test_agency_cannot_be_its_own_parent(self) -> None:
        org = factories.Agency(name="so-tai-chinh")
        errors = _errors("organization_patch", id=org["id"], parent_agency="so-tai-chinh")
        assert "own parent" in errors["parent_agency"][0]

    def test_name_needs_a_title_to_be_made_from(self) -> None:
        errors = _errors("package_create", **_required(title="", name=""))
        assert errors["name"][0].startswith("URL:")

    def test_access_rights_without_sharing_class_must_be_a_code(self) -> None:
        errors = _errors("package_create", **_required(sharing_class="", access_rights="OPEN"))
        assert errors["access_rights"][0].startswith("Access rights:")
        assert "sharing_class" in errors


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestForms:
    def test_dataset_and_agency_forms_render_in_vietnamese(self, app) -> None:
        from ckan.tests import factories as ckan_factories

        user = ckan_factories.SysadminWithToken()
        factories.Agency(title="Bộ Tài chính")
        headers = {"Authorization": user["token"]}
        page = app.get("/vi/dataset/new", headers=headers).body
        for text in ("Phân loại chia sẻ", "Dữ liệu dùng chung", "Giáo dục đào tạo", "Hằng năm"):
            assert text in page, text
        assert "Phường Thành Vinh, Tỉnh Nghệ An" in page  # commune choices, searchable
        assert 'data-module="autocomplete"' in page
        page = app.get("/vi/organization/new", headers=headers).body
        for text in ("Mã định danh điện tử", "Cấp cơ quan", "Sở, ban, ngành", "Bộ Tài chính"):
            assert text in page, text
        assert page.count("<option") > 3321 + 34
