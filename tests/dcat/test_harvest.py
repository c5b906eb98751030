"""A real harvest of this portal's own feed with ckanext-harvest + ckanext-dcat.

A live CKAN process (``ckan run``, tests/browser/live.py) serves
``/catalog.ttl`` from the test database; the ``dcat_rdf`` harvester, run
synchronously in this process, harvests it into another organization.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests import helpers

from tests.browser.live import live_ckan
from tests.dcat.conftest import PLUGINS
from tests.dcat.test_profile import _field_values, _schema
from tests.migrations import ini_plugins, migrate_enabled

# Fields the harvester sets itself (identity, owner) or adds (harvest metadata).
NOT_COMPARED = {"name", "owner_org", "id"}

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS + " harvest dcat_rdf_harvester"),
    pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2"),
    pytest.mark.usefixtures("with_plugins", "clean_index"),
]


@pytest.fixture
def clean_db(reset_db: Any, migrate_db_for: Any) -> None:
    reset_db()
    # the tables of every plugin of the live server and of this process
    migrate_enabled(migrate_db_for, f"{PLUGINS} {ini_plugins()}")
    migrate_db_for("harvest")


@pytest.fixture
def live_portal(clean_db: None, tmp_path: Any) -> Iterator[str]:
    """This portal served by a real ``ckan run`` process on the test database."""
    with live_ckan(
        tmp_path, **{"ckan.plugins": PLUGINS, "ckanext.dcat.datasets_per_page": "2"}
    ) as url:
        yield url


def harvest_into_national_portal(
    live_portal: str, make_agency: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Harvest the live portal's /catalog.ttl into a new agency; (agency, results by guid)."""
    from ckanext.dcat.harvesters import DCATRDFHarvester
    from ckanext.harvest.tests.factories import HarvestJobObj, HarvestSourceObj
    from ckanext.harvest.tests.lib import run_harvest_job

    target = make_agency(
        name="cong-du-lieu-quoc-gia",
        title="Cổng dữ liệu quốc gia",
        title_en="National Data Portal",
        agency_identifier="000.00.00.G22",
    )
    source = HarvestSourceObj(
        url=f"{live_portal}/catalog.ttl",
        source_type="dcat_rdf",
        owner_org=target["id"],
        config=json.dumps({"rdf_format": "text/turtle"}),
    )
    job = HarvestJobObj(source=source, run=False)
    return target, run_harvest_job(job, DCATRDFHarvester())


def test_harvest_own_catalogue_into_another_organization(
    live_portal: str, make_agency: Any, make_dataset: Any
) -> None:
    source_agency = make_agency()
    public = [
        make_dataset(source_agency["id"], name=f"nguon-{i}", title=f"Bộ dữ liệu nguồn {i}")
        for i in range(3)
    ]
    private = make_dataset(
        source_agency["id"], name="rieng-tu", title="Bí mật riêng tư", private=True
    )
    shared = make_dataset(
        source_agency["id"],
        name="dung-chung",
        title="Dữ liệu dùng chung nội bộ",
        sharing_class="dung-chung",
        access_rights="RESTRICTED",
    )
    target, results = harvest_into_national_portal(live_portal, make_agency)

    errors = {guid: r["errors"] for guid, r in results.items() if r["errors"]}
    assert errors == {}
    harvested = [r["dataset"] for r in results.values()]
    assert len(harvested) == len(public)  # three pages of two: paging followed
    titles = {d["title"] for d in harvested}
    assert titles == {d["title"] for d in public}
    assert private["title"] not in titles and shared["title"] not in titles

    schema = _schema()
    originals = {d["title"]: helpers.call_action("package_show", id=d["id"]) for d in public}
    for dataset in harvested:
        assert dataset["owner_org"] == target["id"]
        original = originals[dataset["title"]]
        fields = [f for f in schema["dataset_fields"] if f["field_name"] not in NOT_COMPARED]
        assert _field_values(dataset, fields) == _field_values(original, fields)
        assert len(dataset["resources"]) == len(original["resources"])
        resource_fields = [f for f in schema["resource_fields"] if f["field_name"] != "license"]
        for got, want in zip(dataset["resources"], original["resources"], strict=True):
            assert _field_values(got, resource_fields) == _field_values(want, resource_fields)
