"""Dataset URL names proposed from the Vietnamese title."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.nd47.logic.slug import slug_from_title
from tests import factories


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Dữ liệu dân cư", "du-lieu-dan-cu"),
        ("ĐƯỜNG GIAO THÔNG Đồng Tháp", "duong-giao-thong-dong-thap"),
        ("Thu, chi ngân sách: 2025 (quý I)", "thu-chi-ngan-sach-2025-quy-i"),
        ("Kỹ thuật – lý thuyết", "ky-thuat-ly-thuyet"),
        ("a", "a-dataset"),
        ("???", "dataset"),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slug_from_title(title) == slug


def test_slug_is_at_most_100_characters() -> None:
    slug = slug_from_title("Dữ liệu " * 40)
    assert len(slug) <= 100
    assert not slug.endswith("-")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSlugInTheApi:
    def test_name_made_from_title_and_unique(self) -> None:
        first = factories.Dataset(name=None, title="Dữ liệu dân cư")
        second = factories.Dataset(name=None, title="Dữ liệu dân cư")
        third = factories.Dataset(name="", title="Dữ liệu dân cư")
        assert [first["name"], second["name"], third["name"]] == [
            "du-lieu-dan-cu",
            "du-lieu-dan-cu-2",
            "du-lieu-dan-cu-3",
        ]

    def test_deleted_dataset_keeps_its_name(self) -> None:
        first = factories.Dataset(name=None, title="Đất đai")
        helpers.call_action("package_delete", id=first["id"])
        assert factories.Dataset(name=None, title="Đất đai")["name"] == "dat-dai-2"

    def test_given_name_is_kept_and_update_keeps_name(self) -> None:
        ds = factories.Dataset(name="ten-rieng", title="Dữ liệu dân cư")
        assert ds["name"] == "ten-rieng"
        data = dict(ds)
        data.pop("name")
        data["title"] = "Tên mới"
        assert helpers.call_action("package_update", **data)["name"] == "ten-rieng"
