"""Quality score (405-point MQA) on hand-made datasets, read from their DCAT output."""

from __future__ import annotations

import os

import pytest
from ckan.tests import helpers
from rdflib.namespace import DCTERMS

from ckanext.nd47.oversight import quality, service
from tests import factories as nd47_factories
from tests.oversight.conftest import LINKCHECK_CONFIG, complete_dataset, dataset

ALL = {indicator.code: indicator.points for indicator in quality.INDICATORS}


def test_the_method_adds_up_to_405():
    assert sum(ALL.values()) == quality.MAX_SCORE == 405
    per_dimension = {name: 0 for name in quality.DIMENSIONS}
    for indicator in quality.INDICATORS:
        per_dimension[indicator.dimension] += indicator.points
    assert per_dimension == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (405, "excellent"),
        (351, "excellent"),
        (350, "good"),
        (221, "good"),
        (220, "sufficient"),
        (121, "sufficient"),
        (120, "bad"),
        (0, "bad"),
    ],
)
def test_bands(score, band):
    assert quality.band(score) == band


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config(
    "ckanext.nd47.oversight.linkcheck.deny",
    LINKCHECK_CONFIG["ckanext.nd47.oversight.linkcheck.deny"],
)
@pytest.mark.ckan_config("ckanext.nd47.oversight.linkcheck.host_delay", "0")
@pytest.mark.ckan_config("ckanext.nd47.oversight.linkcheck.timeout", "1")
@pytest.mark.ckan_config("ckanext.nd47.oversight.linkcheck.retries", "0")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
class TestScore:
    def test_a_complete_dataset_with_working_links_scores_405(self, http_server):
        pkg = complete_dataset(nd47_factories.Agency()["id"], url=http_server.url)
        service.check_links(pkg["id"])
        result = helpers.call_action("nd47_quality_score", id=pkg["id"])
        assert result["indicators"] == ALL
        assert (result["score"], result["band"]) == (405, "excellent")
        assert result["conformance_method"] == "required-properties"
        assert result["fixes"] == []

    def test_unchecked_and_broken_links_lose_accessibility_points(self, http_server):
        pkg = complete_dataset(nd47_factories.Agency()["id"], url=http_server.url)
        unchecked = helpers.call_action("nd47_quality_score", id=pkg["id"])
        assert unchecked["indicators"]["access_url_status"] == 0
        assert unchecked["indicators"]["download_url_status"] == 0
        assert unchecked["score"] == 405 - 80
        res = pkg["resources"][0]
        helpers.call_action("resource_patch", id=res["id"], access_url=f"{http_server.url}/missing")
        service.check_links(pkg["id"])
        broken = helpers.call_action("nd47_quality_score", id=pkg["id"])
        assert broken["indicators"]["access_url_status"] == 0
        assert broken["indicators"]["download_url_status"] == 30
        assert broken["dimensions"]["accessibility"] == 50
        fix = broken["fixes"][0]
        assert (fix["code"], fix["missing"]) == ("access_url_status", 50)

    def test_distribution_indicators_count_the_share_of_distributions(self):
        pkg = complete_dataset(nd47_factories.Agency()["id"])
        first = pkg["resources"][0]
        helpers.call_action(
            "resource_create",
            package_id=pkg["id"],
            url="https://example.gov.vn/bang.xls",
            format="XLS",
        )
        result = helpers.call_action("nd47_quality_score", id=pkg["id"])
        points = result["indicators"]
        assert first["format"] == "CSV"
        # the XLS resource: a known, machine-readable but proprietary format, no media type given
        assert points["format"] == 20
        assert points["machine_readable"] == 20
        assert points["non_proprietary"] == 10
        assert points["rights"] == 3  # 5 x 1/2, rounded half up
        assert points["byte_size"] == 3
        assert points["download_url"] == 10

    def test_a_bare_dataset(self):
        pkg = dataset(notes="Mô tả.")
        result = helpers.call_action("nd47_quality_score", id=pkg["id"])
        points = {code: value for code, value in result["indicators"].items() if value}
        assert points == {
            "theme": 30,
            "spatial": 20,  # admin_units (here the whole country) give dct:spatial
            "dcat_ap": 30,
            "access_rights": 10,
            "access_rights_vocabulary": 5,
            "publisher": 10,
            "issued": 5,
            "modified": 5,
        }
        assert result["band"] == "bad"

    def test_dcat_ap_mandatory_properties(self):
        pkg = dataset(notes="Mô tả.")
        graph, ref = quality.dataset_graph(helpers.call_action("package_show", id=pkg["id"]))
        assert quality.assess(graph, ref).indicators["dcat_ap"] == 30
        graph.remove((ref, DCTERMS.description, None))
        assert quality.assess(graph, ref).indicators["dcat_ap"] == 0

    def test_history_is_kept_and_the_newest_shown(self):
        pkg = dataset(notes="Mô tả.")
        helpers.call_action("nd47_quality_score", id=pkg["id"])
        helpers.call_action("package_patch", id=pkg["id"], tag_string="y tế")
        helpers.call_action("nd47_quality_score", id=pkg["id"])
        shown = helpers.call_action("nd47_quality_show", id=pkg["id"])
        assert [row["score"] for row in shown["history"]] == [
            shown["score"]["score"],
            shown["score"]["score"] - 30,
        ]

    def test_scores_follow_the_dataset_visibility(self):
        from tests.plans.conftest import call_as

        agency = nd47_factories.Agency()
        pkg = dataset(owner_org=agency["id"], sharing_class="dung-chung", private=True)
        helpers.call_action("nd47_quality_score", id=pkg["id"])
        with pytest.raises(helpers.logic.NotAuthorized):
            call_as(None, "nd47_quality_show", id=pkg["id"])
        with pytest.raises(helpers.logic.NotAuthorized):
            call_as(None, "nd47_quality_score", id=pkg["id"])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
class TestShacl:
    def test_shapes_decide_conformance_when_configured(self, ckan_config, monkeypatch):
        pytest.importorskip("pyshacl")
        from tests.dcat import shacl

        shapes = os.path.join(shacl.shapes_dir(), "shapes.ttl")
        if not os.path.exists(shapes):
            pytest.skip("the DCAT-AP 3 shapes are not in this checkout")
        monkeypatch.setitem(ckan_config, "ckanext.nd47.oversight.shacl_shapes", shapes)
        pkg = complete_dataset(nd47_factories.Agency()["id"])
        result = helpers.call_action("nd47_quality_score", id=pkg["id"])
        assert result["conformance_method"] == "shacl"
        assert result["indicators"]["dcat_ap"] == 30
