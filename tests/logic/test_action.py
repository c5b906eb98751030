"""Chained package_create/package_update: blank repeating groups are dropped."""

from __future__ import annotations

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
