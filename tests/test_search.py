"""Vietnamese search on the real Solr: diacritic-insensitive both ways, facets."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.nd47.text import fold
from tests import factories


def test_fold() -> None:
    assert fold("Dữ liệu dân cư") == "Du lieu dan cu"
    assert fold("ĐƯỜNG đi") == "DUONG di"
    assert fold("Kỹ thuật, lý thuyết") == "Ky thuat, ly thuyet"


def _titles(q: str, **kw: object) -> set[str]:
    return {r["title"] for r in helpers.call_action("package_search", q=q, **kw)["results"]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestVietnameseSearch:
    @pytest.fixture(autouse=True)
    def datasets(self, with_plugins: None, clean_db: None, clean_index: None) -> None:
        factories.Dataset(title="Dữ liệu dân cư tỉnh Nghệ An", notes="Số liệu theo xã")
        factories.Dataset(title="Đường giao thông Đồng Tháp", notes="Bản đồ đường bộ")
        factories.Dataset(title="Du lieu khong dau", notes="Nhap bang ban phim khong dau")
        factories.Dataset(
            title="Chất lượng không khí", notes="Quan trắc", tags=[{"name": "môi trường"}]
        )

    @pytest.mark.parametrize("q", ["du lieu dan cu", "dữ liệu dân cư", "DU LIEU DAN CU", "dân cư"])
    def test_with_or_without_diacritics(self, q: str) -> None:
        assert "Dữ liệu dân cư tỉnh Nghệ An" in _titles(q)

    @pytest.mark.parametrize(
        "q", ["duong giao thong", "Đường giao thông", "ĐỒNG THÁP", "dong thap"]
    )
    def test_d_with_stroke(self, q: str) -> None:
        assert _titles(q) == {"Đường giao thông Đồng Tháp"}

    def test_accented_query_finds_unaccented_text(self) -> None:
        assert "Du lieu khong dau" in _titles("dữ liệu không dấu")

    def test_both_forms_of_du_lieu(self) -> None:
        expected = {"Dữ liệu dân cư tỉnh Nghệ An", "Du lieu khong dau"}
        assert _titles("DU LIEU") == expected
        assert _titles("dữ liệu") == expected

    def test_tags_and_notes_are_folded(self) -> None:
        assert _titles("moi truong") == {"Chất lượng không khí"}
        assert _titles("ban do duong bo") == {"Đường giao thông Đồng Tháp"}

    def test_field_queries_keep_their_accents(self) -> None:
        assert _titles('tags:"môi trường"') == {"Chất lượng không khí"}
        assert _titles("title:Đường") == {"Đường giao thông Đồng Tháp"}

    def test_unrelated_query_finds_nothing(self) -> None:
        assert _titles("tài chính công") == set()


HOSTILE_QUERIES = [
    "ngân sách:",
    ": 2025",
    'tags:"môi trường',
    "(ngân sách",
    "ngân sách)",
    "[2025 TO",
    "{!lucene}ngân sách",
    "AND",
    "ngân sách AND",
    "OR ngân sách",
    "NOT",
    "-",
    "+",
    '"',
    "\\",
    "a:b:c",
    "title:(ngân",
    "tags:x (",
    "name:a\\",
    "*:* AND",
    "~ ^ ? * ! / &&",
    "ngân sách " * 50,
    "ư" * 500,
]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCitizenQueries:
    """What people type: a colon after a word is not a field query, nothing is a syntax error."""

    @pytest.fixture(autouse=True)
    def datasets(self, with_plugins: None, clean_db: None, clean_index: None) -> None:
        factories.Dataset(title="Dự toán ngân sách tỉnh năm 2025", notes="Ngân sách địa phương")
        factories.Dataset(title="Dân số trung bình", notes="Năm 2024")

    @pytest.mark.parametrize("q", ["ngân sách: 2025", "Ngân sách : 2025", "ngan sach:2025"])
    def test_colon_after_a_word(self, q: str) -> None:
        assert _titles(q) == {"Dự toán ngân sách tỉnh năm 2025"}

    def test_known_fields_stay_field_queries(self) -> None:
        assert _titles("title:Dân") == {"Dân số trung bình"}
        assert _titles("title:Dân OR title:Dự") == {
            "Dân số trung bình",
            "Dự toán ngân sách tỉnh năm 2025",
        }
        assert _titles("sharing_class:mo ngân sách") == {"Dự toán ngân sách tỉnh năm 2025"}
        assert len(_titles("*:*")) == 2

    @pytest.mark.parametrize("q", HOSTILE_QUERIES)
    def test_no_query_is_an_error(self, q: str) -> None:
        result = helpers.call_action("package_search", q=q)
        assert result["count"] >= 0

    def test_search_page_answers_every_query(self, app) -> None:
        for q in HOSTILE_QUERIES + ["ngân sách: 2025"]:
            page = app.get("/dataset/", params={"q": q}, status=200).body
            assert "search-error" not in page and "Search error" not in page, q
        page = app.get("/dataset/", params={"q": "ngân sách: 2025"}).body
        assert "Dự toán ngân sách tỉnh năm 2025" in page


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestFacets:
    def test_facets_on_theme_sharing_class_province_level_and_format(self) -> None:
        ministry = factories.Agency(agency_level="bo")
        province = factories.Agency(agency_level="tinh")
        factories.Dataset(
            owner_org=ministry["id"],
            theme=["y-te", "xa-hoi"],
            admin_units=["VN"],
            resources=[{"url": "https://x.vn/a.csv"}],
        )
        factories.Dataset(
            owner_org=province["id"],
            theme=["y-te"],
            admin_units=["40", "00004"],
            resources=[{"url": "https://x.vn/a.json"}],
        )
        facets = [
            "vocab_nd47_theme",
            "sharing_class",
            "vocab_nd47_province",
            "nd47_agency_level",
            "res_format",
        ]
        result = helpers.call_action(
            "package_search", q="", **{"facet.field": __import__("json").dumps(facets)}
        )
        assert result["facets"]["vocab_nd47_theme"] == {"y-te": 2, "xa-hoi": 1}
        assert result["facets"]["sharing_class"] == {"mo": 2}
        assert result["facets"]["vocab_nd47_province"] == {"40": 1, "01": 1}
        assert result["facets"]["nd47_agency_level"] == {"bo": 1, "tinh": 1}
        assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1}
        themes = {
            i["name"]: i["display_name"]
            for i in result["search_facets"]["vocab_nd47_theme"]["items"]
        }
        # the API speaks the site's default locale (en in test.ini)
        assert themes == {"y-te": "Health", "xa-hoi": "Society"}
        # filtering on a facet
        filtered = helpers.call_action("package_search", fq='vocab_nd47_province:"40"')
        assert filtered["count"] == 1

    def test_search_page_shows_vietnamese_facets(self, app) -> None:
        factories.Dataset(theme=["moi-truong"], resources=[{"url": "https://x.vn/a.csv"}])
        html = app.get("/vi/dataset/").body
        assert "Chủ đề" in html
        assert "Phân loại chia sẻ" in html
        assert "Môi trường" in html
        assert "Dữ liệu mở" in html


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_renamed_agency_is_renamed_on_its_datasets() -> None:
    # package_show answers from the search document while the dataset is
    # unchanged: the agency's edit must index its datasets again
    agency = factories.Agency(agency_level="bo")
    dataset = factories.Dataset(owner_org=agency["id"])
    helpers.call_action(
        "organization_patch", id=agency["id"], name="so-tu-phap", title="Sở Tư pháp"
    )
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert (shown["organization"]["name"], shown["organization"]["title"]) == (
        "so-tu-phap",
        "Sở Tư pháp",
    )
    found = helpers.call_action("package_search", fq="organization:so-tu-phap")
    assert [r["id"] for r in found["results"]] == [dataset["id"]]
