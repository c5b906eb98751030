"""Chained package_create/package_update: blank repeating groups are dropped."""

from __future__ import annotations

import unicodedata

import pytest
from ckan.tests import helpers

from ckanext.nd47.logic.action import drop_empty_groups
from tests import factories


def test_drop_empty_groups_in_lists_and_form_keys() -> None:
    data = {
        "legal_basis": [{"number": "", "title": " "}, {"number": "2439/QĐ-TTg"}],
        "contact-0-name": "",
        "contact-0-email": "",
        "contact-1-name": "Phòng Dữ liệu",
        "contact-1-email": "",
        "title": "",
    }
    drop_empty_groups(data, {"legal_basis", "contact"})
    assert data == {
        "legal_basis": [{"number": "2439/QĐ-TTg"}],
        "contact-1-name": "Phòng Dữ liệu",
        "contact-1-email": "",
        "title": "",
    }


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_blank_groups_are_not_stored() -> None:
    ds = factories.Dataset(
        legal_basis=[{"number": "", "issued": "", "title": "", "url": ""}],
        contact=[{"name": "", "email": ""}, {"name": "Phòng Dữ liệu", "email": "a@b.vn"}],
    )
    shown = helpers.call_action("package_show", id=ds["id"])
    assert "legal_basis" not in shown or shown["legal_basis"] == []
    assert shown["contact"] == [{"name": "Phòng Dữ liệu", "email": "a@b.vn"}]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestTextIsStoredNfc:
    def test_dataset_title_pasted_in_nfd(self) -> None:
        typed = "Dữ liệu dân cư tỉnh Nghệ An"
        pasted = unicodedata.normalize("NFD", typed)
        assert pasted != typed
        ds = factories.Dataset(title=pasted, notes=pasted, contact=[{"name": pasted}])
        shown = helpers.call_action("package_show", id=ds["id"])
        assert shown["title"] == typed
        assert shown["notes"] == typed
        assert shown["contact"][0]["name"] == typed
        patched = helpers.call_action("package_patch", id=ds["id"], title=pasted + " 2")
        assert patched["title"] == typed + " 2"

    def test_agency_fields_pasted_in_nfd(self) -> None:
        typed = "Sở Tài chính tỉnh Nghệ An"
        pasted = unicodedata.normalize("NFD", typed)
        org = factories.Agency(title=pasted, address=pasted)
        shown = helpers.call_action("organization_show", id=org["id"])
        assert (shown["title"], shown["address"]) == (typed, typed)
        helpers.call_action("organization_patch", id=org["id"], address=pasted + "!")
        assert helpers.call_action("organization_show", id=org["id"])["address"] == typed + "!"


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDataOfficerIsInternal:
    """The data officer's name and e-mail: the agency's members and sysadmins only."""

    INTERNAL = ("data_officer_name", "data_officer_email")

    @pytest.fixture
    def agency(self) -> dict:
        from ckan.tests import factories as ckan_factories

        self.member = ckan_factories.User()
        self.outsider = ckan_factories.User()
        return factories.Agency(
            data_officer_name="Nguyễn Thị Hương",
            data_officer_email="huong@nghean.gov.vn",
            users=[{"name": self.member["name"], "capacity": "member"}],
        )

    def _show(self, agency: dict, user: str | None) -> dict:
        context = {"user": user or "", "ignore_auth": False}
        return helpers.call_action("organization_show", context=context, id=agency["id"])

    def test_organization_show(self, agency: dict, sysadmin: dict) -> None:
        for user in (None, self.outsider["name"]):
            shown = self._show(agency, user)
            assert not set(self.INTERNAL) & set(shown), user
            assert shown["agency_identifier"] == agency["agency_identifier"]
        for user in (self.member["name"], sysadmin["name"]):
            assert self._show(agency, user)["data_officer_email"] == "huong@nghean.gov.vn"

    def test_organization_list_all_fields(self, agency: dict) -> None:
        def listed(user: str) -> dict:
            result = helpers.call_action(
                "organization_list",
                context={"user": user, "ignore_auth": False},
                all_fields=True,
                include_extras=True,
            )
            return next(org for org in result if org["id"] == agency["id"])

        assert not set(self.INTERNAL) & set(listed(self.outsider["name"]))
        assert listed(self.member["name"])["data_officer_name"] == "Nguyễn Thị Hương"

    def test_agency_pages(self, app, agency: dict) -> None:
        for path in (f"/organization/about/{agency['name']}", f"/organization/{agency['name']}"):
            page = app.get(path).body
            assert "huong@nghean.gov.vn" not in page and "Nguyễn Thị Hương" not in page, path
        page = app.get(
            f"/organization/about/{agency['name']}",
            headers={"Authorization": self._token(self.member["name"])},
        ).body
        assert "huong@nghean.gov.vn" in page

    @staticmethod
    def _token(user: str) -> str:
        from ckan.tests import factories as ckan_factories

        return ckan_factories.APIToken(user=user)["token"]
