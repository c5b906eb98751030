"""A real harvest (ckanext-harvest + ckanext-dcat's RDF harvester) keeps the data
services of API resources and a master source from the register."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import helpers

from tests.dcat.conftest import PLUGINS
from tests.dcat.test_harvest import clean_db, live_portal  # noqa: F401 (fixtures)
from tests.dcat.test_services import api_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS + " harvest dcat_rdf_harvester"),
    pytest.mark.usefixtures("with_plugins", "clean_index"),
]

SERVICE_FIELDS = (
    "format",
    "service_endpoint_url",
    "service_endpoint_description",
    "service_platform",
    "service_code",
    "service_auth",
    "service_conditions",
)


def test_harvest_keeps_the_services(live_portal: str, make_agency: Any, make_dataset: Any) -> None:  # noqa: F811
    from ckanext.dcat.harvesters import DCATRDFHarvester
    from ckanext.harvest.tests.factories import HarvestJobObj, HarvestSourceObj
    from ckanext.harvest.tests.lib import run_harvest_job

    original = api_dataset(make_agency, make_dataset, master_source="dan-cu")
    target = make_agency(
        name="cong-du-lieu-quoc-gia",
        title="Cổng dữ liệu quốc gia",
        agency_identifier="000.00.00.G22",
    )
    source = HarvestSourceObj(
        url=f"{live_portal}/catalog.ttl",
        source_type="dcat_rdf",
        owner_org=target["id"],
        config=json.dumps({"rdf_format": "text/turtle"}),
    )
    results = run_harvest_job(HarvestJobObj(source=source, run=False), DCATRDFHarvester())
    assert {guid: r["errors"] for guid, r in results.items() if r["errors"]} == {}
    (harvested,) = [r["dataset"] for r in results.values()]
    harvested = helpers.call_action("package_show", id=harvested["id"])
    assert harvested["master_source"] == "dan-cu"
    (api_in,) = [r for r in original["resources"] if r["format"] == "API"]
    (api_out,) = [r for r in harvested["resources"] if r.get("format") == "API"]
    assert {k: api_out.get(k) for k in SERVICE_FIELDS} == {k: api_in[k] for k in SERVICE_FIELDS}
    assert "access_services" not in api_out
