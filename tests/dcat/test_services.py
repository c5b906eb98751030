"""Data services (API resources) and the master-data register in DCAT-AP 3."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers

from ckanext.nd47 import vocab
from tests.dcat.conftest import PLUGINS
from tests.dcat.shacl import violations
from tests.dcat.test_profile import _field_values, _roundtrip, _schema

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")

API_RESOURCE = {
    "url": "https://api.nghean.gov.vn/y-te/co-so-kham-chua-benh",
    "name": "API cơ sở khám chữa bệnh",
    "name_en": "Health care facilities API",
    "description": "Tra cứu cơ sở khám chữa bệnh theo mã xã.",
    "format": "API",
    "service_endpoint_url": "https://lgsp.nghean.gov.vn/api/y-te/v1/co-so",
    "service_endpoint_description": "https://lgsp.nghean.gov.vn/api/y-te/v1/openapi.json",
    "service_platform": "lgsp",
    "service_code": "SYT-CSKCB-01",
    "service_auth": "oauth2",
    "service_conditions": "Cơ quan nhà nước đăng ký tài khoản trên LGSP tỉnh Nghệ An.",
    "issued": "2025-10-01",
    "modified": "2025-10-15",
}


def api_dataset(make_agency: Any, make_dataset: Any, **overrides: Any) -> dict[str, Any]:
    from tests.dcat.conftest import example

    agency = make_agency()
    resources = copy.deepcopy(example("dataset")["resources"]) + [dict(API_RESOURCE)]
    created = make_dataset(agency["id"], resources=resources, **overrides)
    return helpers.call_action("package_show", id=created["id"])


def test_api_is_a_format_and_its_service_fields_are_stored(
    make_agency: Any, make_dataset: Any
) -> None:
    dataset = api_dataset(make_agency, make_dataset)
    api = dataset["resources"][1]
    assert api["format"] == "API"
    assert not api.get("mimetype")
    for key, value in API_RESOURCE.items():
        assert api[key] == value, key


@pytest.mark.parametrize("fmt", ["api", "REST API", "access service"])
def test_api_aliases(make_agency: Any, make_dataset: Any, fmt: str) -> None:
    agency = make_agency()
    created = make_dataset(
        agency["id"], resources=[{"url": "https://api.example.gov.vn/v1", "format": fmt}]
    )
    assert created["resources"][0]["format"] == "API"


def test_unknown_format_is_still_refused(make_agency: Any, make_dataset: Any) -> None:
    # the API term has no media type: the look-up by media type must skip it
    agency = make_agency()
    with pytest.raises(helpers.logic.ValidationError) as err:
        make_dataset(agency["id"], resources=[{"url": "https://x.gov.vn/a", "format": "FOO"}])
    assert "format" in str(err.value.error_dict)


def test_unknown_platform_is_refused(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    with pytest.raises(helpers.logic.ValidationError) as err:
        make_dataset(agency["id"], resources=[dict(API_RESOURCE, service_platform="khong-co")])
    assert "service_platform" in str(err.value.error_dict)


def test_data_service_in_dcat_conforms(make_agency: Any, make_dataset: Any) -> None:
    dataset = api_dataset(make_agency, make_dataset)
    ttl = helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl")
    assert violations(ttl) == []
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    (service,) = list(graph.subjects(rdflib.RDF.type, DCAT.DataService))
    dist = graph.value(predicate=DCAT.accessService, object=service)
    assert str(graph.value(dist, DCT["format"])).endswith("/vocab/file-type/API")
    assert str(graph.value(service, DCAT.endpointURL)) == API_RESOURCE["service_endpoint_url"]
    assert (
        str(graph.value(service, DCAT.endpointDescription))
        == (API_RESOURCE["service_endpoint_description"])
    )
    dataset_ref = graph.value(predicate=DCAT.distribution, object=dist)
    assert graph.value(service, DCAT.servesDataset) == dataset_ref
    assert {str(t) for t in graph.objects(service, DCT.title)} == {
        API_RESOURCE["name"],
        API_RESOURCE["name_en"],
    }
    assert graph.value(service, DCT.license) is not None
    assert str(graph.value(service, DCT.accessRights)).endswith("/access-right/PUBLIC")
    platform = vocab.term("service_platform", "lgsp").uri
    assert rdflib.URIRef(platform) in set(graph.objects(service, None))


def test_round_trip_restores_the_service_fields(make_agency: Any, make_dataset: Any) -> None:
    original = api_dataset(make_agency, make_dataset)
    parsed = _roundtrip(original)
    fields = _schema()["resource_fields"]
    # RDF does not order distributions
    (api_in,) = [r for r in original["resources"] if r["format"] == "API"]
    (api_out,) = [r for r in parsed["resources"] if r.get("format") == "API"]
    api_in = dict(api_in, license="") if api_in.get("license") == original["license_id"] else api_in
    assert _field_values(api_out, fields) == _field_values(api_in, fields)
    assert "access_services" not in api_out
    for key in API_RESOURCE:
        assert api_out.get(key) == API_RESOURCE[key], key


def test_catalogue_lists_its_services_and_conforms(
    app: Any, make_agency: Any, make_dataset: Any
) -> None:
    dataset = api_dataset(make_agency, make_dataset)
    ttl = app.get("/catalog.ttl").get_data(as_text=True)
    assert violations(ttl) == []
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    (catalog,) = list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
    services = list(graph.objects(catalog, DCAT.service))
    assert len(services) == 1
    assert str(services[0]).endswith(f"/resource/{dataset['resources'][1]['id']}/service")


def test_master_source_from_the_register_is_its_uri(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    created = make_dataset(agency["id"], master_source="dan-cu")
    assert created["master_source"] == "dan-cu"
    ttl = helpers.call_action("dcat_dataset_show", id=created["id"], format="ttl")
    assert violations(ttl) == []
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    (source,) = list(graph.objects(None, PROV.wasDerivedFrom))
    assert str(source) == vocab.term("master_database", "dan-cu").uri
    assert _roundtrip(helpers.call_action("package_show", id=created["id"]))["master_source"] == (
        "dan-cu"
    )
