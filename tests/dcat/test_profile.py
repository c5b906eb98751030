"""The nd47 profile: DCAT-AP 3 SHACL conformance and a lossless round trip."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer

from tests.dcat.conftest import PLUGINS
from tests.dcat.shacl import violations

PROFILES = ["euro_dcat_ap_3", "nd47"]
# Identity fields: a harvester (or the importing portal) sets them itself.
IDENTITY = {"name", "owner_org", "id"}
GEOMETRY = {"geom", "bbox", "centroid"}

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _schema() -> dict[str, Any]:
    return tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})


def _norm(value: Any, key: str = "") -> Any:
    """Order and emptiness do not carry meaning in RDF; geometries compare as JSON."""
    if isinstance(value, dict):
        return {k: _norm(v, k) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_norm(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if key in GEOMETRY and isinstance(value, str):
        return json.loads(value)
    return value


def _field_values(dataset: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for field in fields:
        name = field["field_name"]
        if name in IDENTITY:
            continue
        if name == "tag_string":
            out[name] = sorted(t["name"] for t in dataset.get("tags", []))
            continue
        value = _norm(dataset.get(name), name)
        if value not in (None, "", [], {}):
            out[name] = value
    return out


def _roundtrip(dataset: dict[str, Any]) -> dict[str, Any]:
    ttl = RDFSerializer(profiles=PROFILES).serialize_dataset(dataset, _format="turtle")
    parser = RDFParser(profiles=PROFILES)
    parser.parse(ttl, _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    return parsed[0]


def test_example_dataset_conforms_to_dcat_ap_3(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    dataset = make_dataset(agency["id"])
    ttl = helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl")
    assert violations(ttl) == []
    # The same dataset through the stock profile alone does not conform.
    stock = RDFSerializer(profiles=["euro_dcat_ap_3"]).serialize_dataset(
        helpers.call_action("package_show", id=dataset["id"]), _format="turtle"
    )
    assert len(violations(stock)) > 0


def test_minimal_dataset_conforms(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    dataset = make_dataset(
        agency["id"],
        name="toi-thieu",
        title_en="",
        notes_en="",
        spatial_coverage=[],
        legal_basis=[],
        qualified_attribution=[],
        contact=[],
        temporal_coverage=[],
        alternate_identifier=[],
        resources=[{"url": "https://example.gov.vn/a.json", "format": "JSON"}],
    )
    ttl = helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl")
    assert violations(ttl) == []


def test_publisher_is_the_agency_with_its_electronic_identifier(
    make_agency: Any, make_dataset: Any
) -> None:
    import rdflib

    agency = make_agency()
    dataset = make_dataset(agency["id"])
    graph = rdflib.Graph().parse(
        data=helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl"),
        format="turtle",
    )
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
    publishers = list(graph.objects(None, DCT.publisher))
    assert len(publishers) == 1
    assert (publishers[0], rdflib.RDF.type, FOAF.Agent) in graph
    assert str(graph.value(publishers[0], DCT.identifier)) == "000.31.30.H41"
    names = {(str(n), n.language) for n in graph.objects(publishers[0], FOAF.name)}
    assert names == {("Sở Y tế tỉnh Nghệ An", "vi"), ("Nghe An Department of Health", "en")}


def test_a_renamed_agency_has_its_new_name_in_the_next_output(
    make_agency: Any, make_dataset: Any, dump_dir: str
) -> None:
    """No DCAT output keeps an agency's old name (no cache outlives an output)."""
    import gzip

    import rdflib

    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
    from ckanext.nd47.dcat import dump

    agency = make_agency()
    dataset = make_dataset(agency["id"])

    def publishers() -> list[set[str]]:
        """Names and identifier of the dataset's publisher in each output."""
        dump.build("ttl")
        with open(dump.path("ttl"), "rb") as f:
            dumped = gzip.decompress(f.read()).decode("utf-8")
        bodies = [
            helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl"),
            helpers.call_action("dcat_catalog_show", format="ttl"),
            dumped,
        ]
        out = []
        for body in bodies:
            graph = rdflib.Graph().parse(data=body, format="turtle")
            (publisher,) = [
                o for s, o in graph.subject_objects(DCT.publisher) if dataset["id"] in str(s)
            ]
            out.append(
                {str(n) for n in graph.objects(publisher, FOAF.name)}
                | {str(graph.value(publisher, DCT.identifier))}
            )
        return out

    before = {"Sở Y tế tỉnh Nghệ An", "Nghe An Department of Health", "000.31.30.H41"}
    assert publishers() == [before] * 3
    helpers.call_action(
        "organization_patch",
        id=agency["id"],
        title="Sở Y tế tỉnh Nghệ An (mới)",
        title_en="Nghe An Health Department",
        agency_identifier="000.31.30.H99",
    )
    after = {"Sở Y tế tỉnh Nghệ An (mới)", "Nghe An Health Department", "000.31.30.H99"}
    assert publishers() == [after] * 3


def test_another_portals_output_parses_under_this_portals_uri_base(
    make_agency: Any, make_dataset: Any, ckan_config: Any, monkeypatch: Any
) -> None:
    """A national portal harvesting a provincial one reads its own concepts
    (themes, sharing class, ...) minted under the province's URI base."""
    agency = make_agency()
    dataset = helpers.call_action("package_show", id=make_dataset(agency["id"])["id"])
    monkeypatch.setitem(ckan_config, "ckanext.nd47.uri_base", "https://tinh.example.gov.vn")
    ttl = RDFSerializer(profiles=PROFILES).serialize_dataset(dataset, _format="turtle")
    assert "https://tinh.example.gov.vn/vocab/" in ttl

    monkeypatch.setitem(ckan_config, "ckanext.nd47.uri_base", "https://quocgia.example.gov.vn")
    parser = RDFParser(profiles=PROFILES)
    parser.parse(ttl, _format="turtle")
    (parsed,) = list(parser.datasets())
    schema = _schema()
    assert _field_values(parsed, schema["dataset_fields"]) == _field_values(
        dataset, schema["dataset_fields"]
    )
    for field in ("theme", "sharing_class", "importance", "database_kind"):
        assert _norm(parsed[field]) == _norm(dataset[field]), field


def test_round_trip_restores_every_schema_field(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    created = make_dataset(agency["id"])
    original = helpers.call_action("package_show", id=created["id"])
    parsed = _roundtrip(original)
    schema = _schema()

    expected = _field_values(original, schema["dataset_fields"])
    got = _field_values(parsed, schema["dataset_fields"])
    assert got == expected
    # The flaws of the stock round trip, explicitly.
    for key in ("license_id", "qualified_attribution", "spatial_coverage", "alternate_identifier"):
        assert got[key] == expected[key]

    assert len(parsed["resources"]) == len(original["resources"])
    fields = [f for f in schema["resource_fields"]]
    for res_in, res_out in zip(original["resources"], parsed["resources"], strict=True):
        # "Leave empty to inherit the dataset's licence": the same licence given
        # explicitly means the same thing, and RDF cannot tell them apart.
        if res_in.get("license") == original["license_id"]:
            res_in = dict(res_in, license="")
        assert _field_values(res_out, fields) == _field_values(res_in, fields)


def test_round_trip_through_the_api_formats(make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    created = make_dataset(agency["id"])
    original = helpers.call_action("package_show", id=created["id"])
    schema = _schema()
    for fmt, rdflib_fmt in (("rdf", "xml"), ("jsonld", "json-ld")):
        data = helpers.call_action("dcat_dataset_show", id=created["id"], format=fmt)
        parser = RDFParser(profiles=PROFILES)
        parser.parse(data, _format=rdflib_fmt)
        (parsed,) = list(parser.datasets())
        assert _field_values(parsed, schema["dataset_fields"]) == _field_values(
            original, schema["dataset_fields"]
        ), fmt
