"""Vietnamese search ranks what was typed: diacritics, words, adjacent syllables, codes.

Each test indexes a handful of datasets in the real Solr and looks at the
order of ``package_search``; the matching itself (what is found) stays the
folded, diacritic-insensitive one of tests/test_search.py.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.nd47 import search
from tests import factories


def _ranked(q: str, **kw: object) -> list[str]:
    result = helpers.call_action("package_search", q=q, **kw)
    return [r["title"] for r in result["results"]]


def test_signal_tokens_are_plain_letters_ending_in_q() -> None:
    token = search._token("x", "đá")
    assert token.isascii() and token.isalpha() and token.islower() and token.endswith("q")
    assert search._token("x", "đá") != search._token("x", "Đà".lower())


def test_the_place_of_the_tone_mark_does_not_matter() -> None:
    assert search._syllables("Thanh Hoá, thuỷ lợi") == search._syllables("Thanh Hóa, thủy lợi")
    assert search._words(search._syllables("Khánh Hoà"), folded=False) == [
        " ".join(search._syllables("khánh hòa"))
    ]


def test_words_group_compounds_longest_first() -> None:
    syllables = search._syllables("Sản lượng lương thực, bình quân đầu người")
    assert search._words(syllables, folded=False) == [
        " ".join(search._syllables(word))
        for word in ("sản lượng", "lương thực", "bình quân đầu người")
    ]
    assert search._words(["luong", "thuc"], folded=True) == ["luong thuc"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("123/QĐ-UBND", ["123/QĐ-UBND"]),
        ("theo 45/2020/NĐ-CP và 2439/QĐ-TTg", ["45/2020/NĐ-CP", "2439/QĐ-TTg"]),
        ("000.31.30.H41/co-so-kham-chua-benh", ["000.31.30.H41/co-so-kham-chua-benh"]),
        ("mã DMDL-NA-2025-017", ["DMDL-NA-2025-017"]),
        ("covid-19 năm 2025, tỷ lệ 1/2", []),
    ],
)
def test_codes_are_recognised(text: str, codes: list[str]) -> None:
    assert search._CODE.findall(text) == codes


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDiacritics:
    @pytest.fixture(autouse=True)
    def datasets(self, with_plugins: None, clean_db: None, clean_index: None) -> None:
        factories.Dataset(title="Du lịch Đà Nẵng", notes="Lượt khách đến Đà Nẵng")
        factories.Dataset(title="Xuất khẩu da giày", notes="Sản phẩm da, giày dép")
        factories.Dataset(title="Giải bóng đá phong trào", notes="Sân bóng đá")
        factories.Dataset(title="Danh sách mỏ đá vôi", notes="Các mỏ đá được cấp phép khai thác")

    def test_accented_query_ranks_the_same_diacritics_first(self) -> None:
        ranked = _ranked("đá")
        assert ranked[0] == "Danh sách mỏ đá vôi"
        assert ranked[1] == "Giải bóng đá phong trào"  # "đá" inside "bóng đá"

    def test_every_folded_match_is_still_found(self) -> None:
        assert len(_ranked("đá")) == 4
        assert len(_ranked("da")) == 4

    def test_each_spelling_comes_first_for_itself(self) -> None:
        assert _ranked("Đà Nẵng")[0] == "Du lịch Đà Nẵng"
        assert _ranked("da giày")[0] == "Xuất khẩu da giày"
        assert _ranked("bóng đá")[0] == "Giải bóng đá phong trào"

    @pytest.mark.ckan_config("ckanext.nd47.search_ranking", "false")
    def test_ranking_can_be_switched_off(self) -> None:
        assert len(_ranked("đá")) == 4
        params = search.fold_query({"q": "đá 123/QĐ-UBND"})
        assert params == {"q": "da 123 QD-UBND"}


@pytest.mark.usefixtures("with_plugins")
def test_a_ranked_query_keeps_the_folded_text_and_adds_a_boost() -> None:
    params = search.fold_query({"q": "đá 123/QĐ-UBND", "fq": "+tags:x"})
    assert params["q"] == "da"
    assert "defType" not in params  # CKAN's dismax: the same matches as before
    assert params["bf"].startswith("sum(if(termfreq(extras_nd47_signals,'x")
    assert params["fq"] == '+tags:x +(vocab_nd47_codes:"123/QD-UBND" OR text:"123/QD-UBND")'


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWordsAndPhrases:
    @pytest.fixture(autouse=True)
    def datasets(self, with_plugins: None, clean_db: None, clean_index: None) -> None:
        factories.Dataset(title="Sản lượng lương thực có hạt", notes="Lúa, ngô theo vụ")
        factories.Dataset(title="Bảng lương cán bộ, công chức", notes="Mức lương và phụ cấp")
        factories.Dataset(title="Đồng bào dân tộc thiểu số", notes="Số hộ người dân tộc thiểu số")
        factories.Dataset(title="Dân số trung bình", notes="Dân số theo đơn vị hành chính")

    def test_a_syllable_inside_a_compound_is_not_that_word(self) -> None:
        assert _ranked("lương")[0] == "Bảng lương cán bộ, công chức"
        assert _ranked("lương thực")[0] == "Sản lượng lương thực có hạt"

    def test_a_long_query_finds_what_it_found_before(self, monkeypatch) -> None:
        # three words: CKAN's dismax mm lets one be missing, ranked or not
        ranked = set(_ranked("dân số thiểu"))
        monkeypatch.setitem(tk.config, "ckanext.nd47.search_ranking", False)
        assert set(_ranked("dân số thiểu")) == ranked
        assert ranked == {"Dân số trung bình", "Đồng bào dân tộc thiểu số"}

    @pytest.mark.parametrize("q", ["dân số", "dan so"])
    def test_adjacent_syllables_rank_above_scattered_ones(self, q: str) -> None:
        assert _ranked(q) == ["Dân số trung bình", "Đồng bào dân tộc thiểu số"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCodes:
    @pytest.fixture(autouse=True)
    def datasets(self, with_plugins: None, clean_db: None, clean_index: None) -> dict:
        health = factories.Agency(title="Sở Y tế tỉnh Nghệ An", agency_identifier="000.31.30.H41")
        finance = factories.Agency(title="Sở Tài chính", agency_identifier="000.32.30.H41")
        factories.Dataset(
            title="Cơ sở khám chữa bệnh",
            owner_org=health["id"],
            identifier="000.31.30.H41/co-so-kham-chua-benh",
            legal_basis=[{"number": "123/QĐ-UBND", "title": "Quyết định ban hành danh mục"}],
        )
        factories.Dataset(
            title="Dự toán ngân sách năm 2025",
            owner_org=finance["id"],
            notes="Công bố theo Quyết định số 1234/QĐ-UBND và Nghị định 45/2020/NĐ-CP.",
            alternate_identifier=["DMDL-NA-2025-017"],
        )
        factories.Dataset(title="Văn bản QĐ-UBND năm 123", owner_org=finance["id"])
        return {}

    @pytest.mark.parametrize(
        ("q", "titles"),
        [
            ("123/QĐ-UBND", ["Cơ sở khám chữa bệnh"]),
            ("123/qđ-ubnd", ["Cơ sở khám chữa bệnh"]),
            ("1234/QĐ-UBND", ["Dự toán ngân sách năm 2025"]),
            ("45/2020/NĐ-CP", ["Dự toán ngân sách năm 2025"]),
            ("45/2020/ND-CP", ["Dự toán ngân sách năm 2025"]),
            ("000.31.30.H41", ["Cơ sở khám chữa bệnh"]),
            ("000.31.30.H41/co-so-kham-chua-benh", ["Cơ sở khám chữa bệnh"]),
            ("DMDL-NA-2025-017", ["Dự toán ngân sách năm 2025"]),
            ("ngân sách 1234/QĐ-UBND", ["Dự toán ngân sách năm 2025"]),
            ("quyết định 123/QĐ-UBND", ["Cơ sở khám chữa bệnh"]),
            ("ngân sách 123/QĐ-UBND", []),
        ],
    )
    def test_a_code_matches_exactly(self, q: str, titles: list[str]) -> None:
        assert _ranked(q) == titles

    def test_the_agency_name_finds_its_datasets(self) -> None:
        assert _ranked("Sở Y tế Nghệ An") == ["Cơ sở khám chữa bệnh"]

    def test_a_code_in_a_field_query_is_left_to_solr(self) -> None:
        assert _ranked('identifier:"000.31.30.H41/co-so-kham-chua-benh"') == [
            "Cơ sở khám chữa bệnh"
        ]


RANKED_HOSTILE_QUERIES = [
    "123/QĐ-UBND AND",
    '"123/QĐ-UBND',
    "(000.31.30.H41)",
    "000.31.30.H41 OR",
    "-đá",
    "đá -",
    "- 123/QĐ-UBND",
    "NOT 45/2020/NĐ-CP",
    "đá'",
    "'",
    "đá \\ vôi",
    '"đá vôi" "',
    "đá ^ 2",
    "đá*",
    "lương: thực",
    "[lương] {thực}",
    "1/2/3/4/5/QĐ-UBND-",
    "000.00.00.H41/" + "a" * 300,
    " ".join(["đá vôi"] * 60),
    "đá " * 250,
    "a-" * 250,
    "1/" * 250,
    '"đá ' * 125,
]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("q", RANKED_HOSTILE_QUERIES)
def test_no_ranked_query_is_an_error(q: str) -> None:
    factories.Dataset(title="Danh sách mỏ đá vôi", notes="theo 123/QĐ-UBND")
    assert helpers.call_action("package_search", q=q)["count"] >= 0
