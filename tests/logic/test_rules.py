"""The sharing-class rules of docs/metadata.md, each with its config switch."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.nd47.logic import rules
from tests import factories


def _create(**data: Any) -> dict[str, Any]:
    return factories.Dataset(**data)


def _errors(**data: Any) -> dict[str, Any]:
    base = {
        "title": "Dữ liệu thử",
        "notes": "Mô tả",
        "owner_org": factories.Agency()["id"],
        "theme": ["y-te"],
        "database_kind": "khac",
    }
    base.update(data)
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("package_create", **base)
    return e.value.error_dict


def test_is_open_public() -> None:
    assert rules.is_open_public({"private": False, "state": "active", "sharing_class": "mo"})
    assert not rules.is_open_public({"private": True, "sharing_class": "mo"})
    assert not rules.is_open_public({"private": False, "state": "draft", "sharing_class": "mo"})
    assert not rules.is_open_public({"private": False, "sharing_class": "dung-chung"})


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSharingClassRules:
    @pytest.mark.parametrize("sharing_class", ["dung-chung", "dung-rieng"])
    def test_non_open_dataset_is_saved_private(self, sharing_class: str) -> None:
        ds = _create(sharing_class=sharing_class, private=False)
        assert ds["private"] is True
        # and it stays private on update
        updated = helpers.call_action("package_patch", id=ds["id"], private=False)
        assert updated["private"] is True

    def test_open_dataset_may_be_public(self) -> None:
        ds = _create(sharing_class="mo", private=False)
        assert ds["private"] is False
        assert rules.is_open_public(ds)

    @pytest.mark.ckan_config("ckanext.nd47.force_private_unless_open", "false")
    def test_force_private_switch(self) -> None:
        assert _create(sharing_class="dung-chung", private=False)["private"] is False

    @pytest.mark.parametrize("importance", ["cot-loi", "quan-trong"])
    def test_core_or_important_data_cannot_be_open(self, importance: str) -> None:
        errors = _errors(sharing_class="mo", importance=importance, personal_data_reviewed=True)
        assert "Law on Data 2024" in errors["sharing_class"][0]
        # the same data is fine when shared, not open
        assert _create(sharing_class="dung-chung", importance=importance)["private"] is True

    @pytest.mark.ckan_config("ckanext.nd47.allow_open_core_data", "true")
    def test_operator_may_allow_open_core_data(self) -> None:
        assert _create(sharing_class="mo", importance="cot-loi")["importance"] == "cot-loi"

    def test_public_open_dataset_needs_personal_data_review(self) -> None:
        errors = _errors(sharing_class="mo", importance="khac", private=False)
        assert errors["personal_data_reviewed"][0].startswith("Personal-data review:")
        # a private open dataset (not yet published) may wait for the review
        ds = _create(sharing_class="mo", private=True, personal_data_reviewed=False)
        assert ds["personal_data_reviewed"] is False
        with pytest.raises(tk.ValidationError):
            helpers.call_action("package_patch", id=ds["id"], private=False)

    @pytest.mark.ckan_config("ckanext.nd47.require_personal_data_review", "false")
    def test_personal_data_review_switch(self) -> None:
        assert _create(personal_data_reviewed=False, private=False)["private"] is False

    def test_open_format_is_a_warning_by_default(self) -> None:
        ds = _create(resources=[{"url": "https://x.vn/a.pdf"}])
        assert ds["resources"][0]["format"] == "PDF"
        assert rules.open_format_missing(ds)
        assert not rules.open_format_missing(_create(resources=[{"url": "https://x.vn/a.csv"}]))

    @pytest.mark.ckan_config("ckanext.nd47.require_open_format", "true")
    def test_open_format_enforced_when_switched_on(self) -> None:
        errors = _errors(
            sharing_class="mo",
            importance="khac",
            personal_data_reviewed=True,
            resources=[{"url": "https://x.vn/a.pdf"}],
        )
        assert "Art. 43(2)" in errors["sharing_class"][0]
        ds = _create(resources=[{"url": "https://x.vn/a.pdf"}, {"url": "https://x.vn/a.json"}])
        assert [r["format"] for r in ds["resources"]] == ["PDF", "JSON"]
