"""A real harvest (ckanext-harvest + ckanext-dcat's RDF harvester) keeps the data
services of API resources and a master source from the register."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import helpers

from tests.dcat.conftest import PLUGINS
from tests.dcat.test_harvest import (  # noqa: F401 (fixtures)
    clean_db,
    harvest_into_national_portal,
    live_portal,
)
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
    original = api_dataset(make_agency, make_dataset, master_source="dan-cu")
    _target, results = harvest_into_national_portal(live_portal, make_agency)
    assert {guid: r["errors"] for guid, r in results.items() if r["errors"]} == {}
    (harvested,) = [r["dataset"] for r in results.values()]
    harvested = helpers.call_action("package_show", id=harvested["id"])
    assert harvested["master_source"] == "dan-cu"
    (api_in,) = [r for r in original["resources"] if r["format"] == "API"]
    (api_out,) = [r for r in harvested["resources"] if r.get("format") == "API"]
    assert {k: api_out.get(k) for k in SERVICE_FIELDS} == {k: api_in[k] for k in SERVICE_FIELDS}
    assert "access_services" not in api_out
