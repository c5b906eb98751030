"""The vocabularies: sizes, labels, URIs and the EU mappings."""

from __future__ import annotations

import pytest

from ckanext.nd47 import vocab


@pytest.mark.usefixtures("with_plugins")
class TestVocabularies:
    def test_every_vocabulary_has_vi_en_labels_and_unique_codes_and_uris(self) -> None:
        for name in vocab.NAMES:
            terms = vocab.get(name)
            assert terms, name
            assert len({t.code for t in terms}) == len(terms), name
            assert len({t.uri for t in terms}) == len(terms), name
            for t in terms:
                assert t.vi and t.en, (name, t.code)
                assert t.uri.startswith("http"), (name, t.code)
                # a stray ", " in a YAML flow mapping would add keys with None values
                assert None not in t.extra.values(), (name, t.code, t.extra)

    def test_twelve_national_themes_each_mapped_to_an_eu_theme(self) -> None:
        themes = vocab.get("themes")
        assert [t.code for t in themes] == [
            "y-te",
            "lao-dong",
            "cong-nghe",
            "nong-nghiep",
            "kinh-te-thuong-mai",
            "co-so-ha-tang",
            "tai-chinh",
            "nang-luong",
            "giao-duc-dao-tao",
            "xa-hoi",
            "moi-truong",
            "dia-phuong",
        ]
        health = vocab.term("themes", "y-te")
        assert health.vi == "Y tế"
        assert health.uri == "http://test.ckan.net/vocab/theme/y-te"
        assert vocab.eu_theme_uri(health) == (
            "http://publications.europa.eu/resource/authority/data-theme/HEAL"
        )
        eu_codes = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR"}
        eu_codes |= {"JUST", "REGI", "SOCI", "TECH", "TRAN"}
        assert {t.extra["eu_theme"] for t in themes} <= eu_codes

    def test_sharing_class_maps_to_eu_access_rights(self) -> None:
        mapping = {t.code: t.extra["access_right"] for t in vocab.get("sharing_class")}
        assert mapping == {"mo": "PUBLIC", "dung-chung": "RESTRICTED", "dung-rieng": "NON_PUBLIC"}
        for code in mapping.values():
            assert vocab.term("access_right", code).uri == (
                f"http://publications.europa.eu/resource/authority/access-right/{code}"
            )

    def test_contract_codes(self) -> None:
        assert [t.code for t in vocab.get("importance")] == ["cot-loi", "quan-trong", "khac"]
        assert [t.code for t in vocab.get("database_kind")] == [
            "quoc-gia",
            "bo-nganh",
            "dia-phuong",
            "khac",
        ]
        assert [t.code for t in vocab.get("agency_level")] == [
            "bo",
            "tinh",
            "so-nganh",
            "xa",
            "don-vi-su-nghiep",
        ]

    def test_eu_tables_use_eu_uris(self) -> None:
        assert vocab.term("frequency", "ANNUAL").uri == (
            "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
        )
        assert vocab.term("language", "VIE").vi == "Tiếng Việt"
        assert vocab.term("language", "VIE").uri.endswith("/language/VIE")
        csv = vocab.term("file_type", "CSV")
        assert csv.uri == "http://publications.europa.eu/resource/authority/file-type/CSV"
        assert csv.extra["mimetype"] == "text/csv"
        assert csv.extra["open"] and csv.extra["machine_readable"]
        assert not vocab.term("file_type", "PDF").extra["machine_readable"]

    def test_licences_are_ckans_licence_list(self) -> None:
        from ckan import model

        codes = [t.code for t in vocab.get("licenses")]
        assert codes == ["vn-open-data", "CC-BY-4.0", "CC0-1.0", "ODC-BY-1.0"]
        register = model.Package.get_license_register()
        assert [lic.id for lic in register.licenses] == codes
        national = register["vn-open-data"]
        assert national.title.startswith("Điều khoản")
        assert national.isopen()
        assert vocab.term("licenses", "CC-BY-4.0").uri.endswith("/licence/CC_BY_4_0")

    def test_administrative_units_2025(self) -> None:
        units = vocab.get("admin_unit")
        provinces = [t for t in units if t.extra["level"] == "province"]
        communes = [t for t in units if t.extra["level"] == "commune"]
        assert len(provinces) == 34
        assert len(communes) == 3321
        assert vocab.term("admin_unit", "VN").vi == "Toàn quốc"
        hanoi = vocab.term("admin_unit", "01")
        assert (hanoi.vi, hanoi.en) == ("Thành phố Hà Nội", "Ha Noi City")
        assert hanoi.uri == "http://test.ckan.net/vocab/admin-unit/01"
        ward = vocab.term("admin_unit", "00004")
        assert ward.vi == "Phường Ba Đình, Thành phố Hà Nội"
        assert ward.extra["province"] == "01"
        assert vocab.term("admin_unit", "40").vi == "Tỉnh Nghệ An"
        assert vocab.term("admin_unit", "99") is None

    def test_lookup_by_uri_and_labels(self) -> None:
        theme = vocab.by_uri("themes", "http://test.ckan.net/vocab/theme/moi-truong")
        assert theme is not None and theme.code == "moi-truong"
        assert vocab.by_uri("themes", "http://example.org/nothing") is None
        assert vocab.label("sharing_class", "mo", "vi") == "Dữ liệu mở"
        assert vocab.label("sharing_class", "mo", "en") == "Open data"
        assert vocab.label("sharing_class", "unknown") == "unknown"

    @pytest.mark.ckan_config("ckanext.nd47.uri_base", "https://data.gov.vn/")
    def test_uri_base_option(self) -> None:
        assert vocab.term("themes", "y-te").uri == "https://data.gov.vn/vocab/theme/y-te"
        assert vocab.term("admin_unit", "01").uri == "https://data.gov.vn/vocab/admin-unit/01"

    def test_unknown_vocabulary(self) -> None:
        with pytest.raises(KeyError):
            vocab.get("colours")


def test_every_master_database_has_a_well_formed_legal_basis() -> None:
    """The shipped register cites a document for every database, each number
    written as legal-document numbers are; the unconfirmed ones are the two
    docs/connection.md says are still to be checked."""
    from pathlib import Path

    import yaml

    from ckanext.nd47.logic.validators import LEGAL_NUMBER

    shipped = Path(vocab.__file__).parent / "vocabularies" / "master_database.yaml"
    terms = yaml.safe_load(shipped.read_text("utf-8"))["terms"]
    for term in terms:
        assert term["legal_basis"], term["code"]
        for document in term["legal_basis"]:
            assert LEGAL_NUMBER.match(document["number"]), document
            assert document["title"], document
    unconfirmed = {t["code"] for t in terms if not t["legal_basis_confirmed"]}
    assert unconfirmed == {"tai-chinh", "van-ban-phap-luat"}


@pytest.mark.usefixtures("with_plugins")
def test_an_edited_register_file_is_read_again_without_a_restart(
    tmp_path, ckan_config, monkeypatch
) -> None:
    # Several worker processes keep their own caches: each must notice the
    # operator's edit by itself (tests/deploy checks two live servers).
    path = tmp_path / "local.yaml"
    path.write_text("terms:\n  - {code: ho-tich, vi: Hộ tịch, en: Civil status}\n", "utf-8")
    monkeypatch.setitem(ckan_config, "ckanext.nd47.master_databases_file", str(path))
    assert vocab.label("master_database", "ho-tich", "en") == "Civil status"
    first = vocab.version("master_database")

    path.write_text(
        "terms:\n"
        "  - {code: ho-tich, vi: Hộ tịch, en: Civil status register}\n"
        "  - {code: dat-dai-nghe-an, vi: Đất đai Nghệ An, en: Nghe An land}\n",
        "utf-8",
    )
    assert vocab.version("master_database") != first
    assert vocab.label("master_database", "ho-tich", "en") == "Civil status register"
    assert vocab.term("master_database", "dat-dai-nghe-an") is not None
    # the shipped register is still there, and other vocabularies have no version
    assert vocab.term("master_database", "dan-cu") is not None
    assert vocab.version("themes") is None
