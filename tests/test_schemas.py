"""The schemas: vi/en labels, full round trip, display of labels, both locales."""

from __future__ import annotations

import json
import os
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "data")


def _load(name: str) -> dict[str, Any]:
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def _create_agency() -> dict[str, Any]:
    """The example agency, after its parent (UBND tỉnh Nghệ An) exists."""
    user = ckan_factories.Sysadmin()
    factories.Agency(
        name="ubnd-tinh-nghe-an",
        title="Ủy ban nhân dân tỉnh Nghệ An",
        agency_identifier="000.00.00.H41",
        agency_level="tinh",
        province_code="40",
    )
    return helpers.call_action(
        "organization_create", context={"user": user["name"]}, **_load("example_agency.json")
    )


def _walk_fields(fields: list[dict[str, Any]]):
    for field in fields:
        yield field
        yield from _walk_fields(field.get("repeating_subfields", []))


def _assert_bilingual(fields: list[dict[str, Any]]) -> None:
    for field in _walk_fields(fields):
        for key in ("label", "help_text", "repeating_label", "form_placeholder"):
            if key in field and field[key] and field["field_name"] not in ("name",):
                value = field[key]
                if key == "form_placeholder" and isinstance(value, str):
                    continue  # codes and examples, the same in both languages
                assert isinstance(value, dict), (field["field_name"], key)
                assert list(value)[:2] == ["vi", "en"], (field["field_name"], key)
                assert value["vi"] and value["en"], (field["field_name"], key)


@pytest.mark.usefixtures("with_plugins")
class TestSchemaShow:
    def test_dataset_schema_has_vi_and_en_labels(self) -> None:
        schema = helpers.call_action("scheming_dataset_schema_show", type="dataset")
        names = [f["field_name"] for f in schema["dataset_fields"]]
        contract = [
            "title",
            "title_en",
            "name",
            "notes",
            "notes_en",
            "tag_string",
            "owner_org",
            "license_id",
            "sharing_class",
            "importance",
            "access_rights",
            "theme",
            "admin_units",
            "spatial_coverage",
            "legal_basis",
            "personal_data_reviewed",
            "database_kind",
            "master_source",
            "frequency",
            "language",
            "issued",
            "modified",
            "temporal_coverage",
            "contact",
            "version",
            "identifier",
            "alternate_identifier",
            "documentation",
            "conforms_to",
            "provenance",
            "qualified_attribution",
        ]
        assert names == contract
        _assert_bilingual(schema["dataset_fields"])
        _assert_bilingual(schema["resource_fields"])
        resource_names = {f["field_name"] for f in schema["resource_fields"]}
        assert {"format", "mimetype", "access_url", "download_url", "name_en"} <= resource_names
        sharing = next(f for f in schema["dataset_fields"] if f["field_name"] == "sharing_class")
        assert sharing["label"] == {"vi": "Phân loại chia sẻ", "en": "Sharing class"}

    def test_agency_schema_has_vi_and_en_labels(self) -> None:
        schema = helpers.call_action("scheming_organization_schema_show", type="organization")
        names = [f["field_name"] for f in schema["fields"]]
        for name in (
            "agency_identifier",
            "agency_level",
            "parent_agency",
            "province_code",
            "commune_code",
            "contact_email",
            "contact_phone",
            "address",
            "website",
            "data_officer_name",
            "data_officer_email",
            "title_en",
        ):
            assert name in names
        _assert_bilingual(schema["fields"])

    def test_choices_come_from_the_vocabularies(self) -> None:
        from ckanext.nd47.helpers import nd47_vocab_choices

        themes = nd47_vocab_choices({"nd47_vocabulary": "themes"})
        assert themes[0] == {"value": "y-te", "label": {"vi": "Y tế", "en": "Health"}}
        provinces = nd47_vocab_choices({"nd47_vocabulary": "admin_unit", "nd47_level": "province"})
        assert len(provinces) == 34
        communes = nd47_vocab_choices({"nd47_vocabulary": "admin_unit", "nd47_level": "commune"})
        assert len(communes) == 3321
        assert {
            "value": "16681",
            "label": {
                "vi": "Phường Thành Vinh, Tỉnh Nghệ An",
                "en": "Thanh Vinh Ward, Nghe An Province",
            },
        } in communes

    def test_agent_type_and_role_offer_labels_and_store_uris(self) -> None:
        from ckanext.nd47.helpers import nd47_vocab_choices

        roles = nd47_vocab_choices({"nd47_vocabulary": "agent_role", "nd47_store_uri": True})
        owner = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/owner"
        assert {"value": owner, "label": {"vi": "Chủ sở hữu", "en": "Owner"}} in roles
        types = nd47_vocab_choices({"nd47_vocabulary": "agent_type", "nd47_store_uri": True})
        assert {
            "value": "http://purl.org/adms/publishertype/RegionalAuthority",
            "label": {"vi": "Cơ quan cấp tỉnh", "en": "Regional authority"},
        } in types


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRoundTrip:
    def test_example_agency_round_trip(self) -> None:
        agency = _load("example_agency.json")
        created = _create_agency()
        shown = helpers.call_action("organization_show", id=created["id"])
        assert {k: shown.get(k) for k in agency} == agency

    def test_example_dataset_round_trip(self) -> None:
        org = _create_agency()
        dataset = _load("example_dataset.json")
        dataset["owner_org"] = org["id"]
        created = helpers.call_action("package_create", **dataset)
        shown = helpers.call_action("package_show", id=created["id"])
        tags = dataset.pop("tag_string").split(",")
        assert sorted(t["name"] for t in shown["tags"]) == sorted(tags)
        resource = dataset.pop("resources")[0]
        for key, value in dataset.items():
            assert shown[key] == value, key
        for key, value in resource.items():
            assert shown["resources"][0][key] == value, key
        assert shown["license_title"] == "Điều khoản sử dụng dữ liệu mở của Nhà nước"
        # an update with what package_show returned changes nothing
        again = helpers.call_action("package_update", **shown)
        for key in dataset:
            assert again[key] == shown[key], key


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDisplay:
    def test_dataset_page_shows_labels_not_codes(self, app) -> None:
        org = _create_agency()
        dataset = _load("example_dataset.json")
        dataset["owner_org"] = org["id"]
        helpers.call_action("package_create", **dataset)
        vi = app.get("/vi/dataset/co-so-kham-chua-benh-nghe-an").body
        for text in (
            "Phân loại chia sẻ",
            "Dữ liệu mở",
            "Dữ liệu khác",
            "Y tế",
            "Địa phương",
            "Tỉnh Nghệ An",
            "Phường Thành Vinh",
            "Cơ sở dữ liệu địa phương",
            "Hằng quý",
            "Tiếng Việt",
            "123/QĐ-UBND",
        ):
            assert text in vi, text
        en = app.get("/en/dataset/co-so-kham-chua-benh-nghe-an").body
        for text in ("Sharing class", "Open data", "Health", "Nghe An Province", "Quarterly"):
            assert text in en, text
        assert ">dia-phuong<" not in vi

    def test_form_offers_agent_type_and_role_by_label(self, app) -> None:
        org = _create_agency()
        dataset = _load("example_dataset.json")
        dataset["owner_org"] = org["id"]
        dataset["qualified_attribution"][0]["agent"][0]["type"] = "https://example.org/kind/x"
        helpers.call_action("package_create", **dataset)
        user = ckan_factories.SysadminWithToken()
        form = app.get(
            "/vi/dataset/edit/co-so-kham-chua-benh-nghe-an",
            headers={"Authorization": user["token"]},
        ).body
        owner = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/owner"
        assert f'<option value="{owner}" selected' in form
        assert ">Chủ sở hữu</option>" in form
        assert ">Cơ quan cấp tỉnh</option>" in form
        # a harvested URI outside the list stays selected, so a save keeps it
        assert '<option value="https://example.org/kind/x" selected' in form

    def test_resource_page_shows_labelled_values_only(self, app) -> None:
        org = _create_agency()
        dataset = _load("example_dataset.json")
        dataset["owner_org"] = org["id"]
        created = helpers.call_action("package_create", **dataset)
        resource = created["resources"][0]
        page = app.get(f"/vi/dataset/{created['name']}/resource/{resource['id']}").body
        assert "Kiểu phương tiện (IANA)" in page
        # CKAN's internal keys and empty fields are not shown
        for hidden in ("Has views", "Package id", "Position", ">State<", "Url type", "Mã dịch vụ"):
            assert hidden not in page, hidden
        assert ">active<" not in page

    def test_agency_about_page_in_labels(self, app) -> None:
        _create_agency()
        page = app.get("/vi/organization/about/ubnd-tinh-nghe-an").body
        assert "Ủy ban nhân dân tỉnh, thành phố" in page
        assert "Tỉnh Nghệ An" in page
        assert "<dd>tinh</dd>" not in page and "<dd>40</dd>" not in page

    def test_english_ui_shows_the_english_title_and_description(self, app) -> None:
        ds = factories.Dataset(title_en="Health facilities", notes_en="Facilities in Nghe An.")
        en = app.get(f"/en/dataset/{ds['name']}").body
        assert "Health facilities" in en.split("<h1")[1].split("</h1>")[0]
        assert "Facilities in Nghe An." in en
        vi = app.get(f"/vi/dataset/{ds['name']}").body
        assert ds["title"] in vi.split("<h1")[1].split("</h1>")[0]

    def test_open_data_badge_only_on_open_public_data(self, app) -> None:
        user = ckan_factories.SysadminWithToken()
        auth = {"Authorization": user["token"]}
        opened = factories.Dataset(license_id="CC-BY-4.0")
        shared = factories.Dataset(license_id="CC-BY-4.0", sharing_class="dung-chung")
        assert 'class="open-data"' in app.get(f"/vi/dataset/{opened['name']}", headers=auth).body
        page = app.get(f"/vi/dataset/{shared['name']}", headers=auth).body
        assert 'class="open-data"' not in page

    def test_private_reason_is_shown(self, app) -> None:
        user = ckan_factories.SysadminWithToken()
        ds = factories.Dataset(sharing_class="dung-chung", private=False)
        assert ds["private"] is True
        page = app.get(f"/vi/dataset/{ds['name']}", headers={"Authorization": user["token"]}).body
        assert "chỉ dữ liệu mở mới được công khai" in page
        assert "Dữ liệu dùng chung" in page

    def test_agency_page_shows_identifier_and_level(self, app) -> None:
        _create_agency()
        page = app.get("/vi/organization/so-y-te-nghe-an").body
        assert "000.31.30.H41" in page
        assert "Mã định danh điện tử" in page
        assert "Sở, ban, ngành" in page
        assert "Department" in app.get("/en/organization/so-y-te-nghe-an").body


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestMessagesInBothLocales:
    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("vi", 'Số, ký hiệu văn bản: "47-2020" không đúng dạng số hiệu văn bản'),
            ("en", 'Legal document number: "47-2020" is not a document number'),
        ],
    )
    def test_validation_error_language(self, app, lang: str, expected: str) -> None:
        org = factories.Agency()
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
            with pytest.raises(tk.ValidationError) as e:
                fields = factories.dataset_fields(
                    owner_org=org["id"], legal_basis=[{"number": "47-2020"}]
                )
                helpers.call_action("package_create", **fields)
        assert e.value.error_dict["legal_basis"][0]["number"][0].startswith(expected)

    def test_rule_message_in_vietnamese(self, app) -> None:
        org = factories.Agency()
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "vi"}):
            with pytest.raises(tk.ValidationError) as e:
                fields = factories.dataset_fields(
                    owner_org=org["id"], importance="cot-loi", database_kind="quoc-gia"
                )
                helpers.call_action("package_create", **fields)
        message = e.value.error_dict["sharing_class"][0]
        assert message.startswith("Phân loại chia sẻ: Dữ liệu cốt lõi không được là")
