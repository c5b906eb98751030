"""SKOS vocabularies and the full-catalogue dump over HTTP."""

from __future__ import annotations

import gzip
import os
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers

from ckanext.nd47 import vocab
from ckanext.nd47.dcat import dump
from tests.dcat.conftest import PLUGINS
from tests.dcat.shacl import violations

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "dump_dir"),
]


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_themes_as_skos(app: Any, fmt: str, rdf_format: str) -> None:
    response = app.get(f"/vocab/theme.{fmt}")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=rdf_format)
    concepts = set(graph.subjects(rdflib.RDF.type, SKOS.Concept))
    assert {str(c) for c in concepts} == {t.uri for t in vocab.get("themes")}
    for concept in concepts:
        labels = {label.language for label in graph.objects(concept, SKOS.prefLabel)}
        assert labels == {"vi", "en"}
        (scheme,) = list(graph.objects(concept, SKOS.inScheme))
        assert (scheme, rdflib.RDF.type, SKOS.ConceptScheme) in graph
        assert graph.value(concept, SKOS.closeMatch) is not None
    assert violations(graph) == []


def test_every_vocabulary_is_served(app: Any) -> None:
    for name in vocab.NAMES:
        response = app.get(f"/vocab/{name}.ttl")
        assert response.status_code == 200, name
        graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
        assert len(set(graph.subjects(rdflib.RDF.type, SKOS.Concept))) == len(vocab.get(name))


def test_admin_units_nest_communes_under_provinces(app: Any) -> None:
    graph = rdflib.Graph().parse(
        data=app.get("/vocab/admin-unit.ttl").get_data(as_text=True), format="turtle"
    )
    commune = rdflib.URIRef(vocab.term("admin_unit", "16681").uri)
    assert graph.value(commune, SKOS.broader) == rdflib.URIRef(vocab.term("admin_unit", "40").uri)


def test_concept_uris_dereference(app: Any) -> None:
    for path in ("/vocab/theme/y-te", "/vocab/theme", "/vocab/sharing-class/mo"):
        response = app.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["Location"].endswith(".ttl")
    assert app.get("/vocab/khong-co.ttl").status_code == 404


def _dump_graph(body: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(
        data=gzip.decompress(body).decode("utf-8"), format=dump.FORMATS[fmt][0]
    )


@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_page_size", "2")
def test_dump_has_every_public_dataset_and_nothing_else(
    app: Any, make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    agency = make_agency()
    public = [make_dataset(agency["id"], name=f"cong-khai-{i}") for i in range(3)]
    private = make_dataset(agency["id"], name="rieng-tu", title="Bí mật riêng tư", private=True)
    deleted = make_dataset(agency["id"], name="da-xoa", title="Đã xóa khỏi cổng")
    helpers.call_action("package_delete", {"user": sysadmin_user["name"]}, id=deleted["id"])
    draft = make_dataset(agency["id"], name="ban-nhap", title="Bản nháp", state="draft")

    for fmt in dump.FORMATS:
        assert app.get(f"/catalog/dump.{fmt}.gz").status_code == 404
        meta = dump.build(fmt)
        assert meta["datasets"] == 3
        response = app.get(f"/catalog/dump.{fmt}.gz")
        assert response.status_code == 200
        body = response.get_data()
        text = gzip.decompress(body).decode("utf-8")
        for hidden in (private, deleted, draft):
            assert hidden["id"] not in text and hidden["title"] not in text
        graph = _dump_graph(body, fmt)
        datasets = {
            str(s).rsplit("/", 1)[-1] for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset)
        }
        assert datasets == {d["id"] for d in public}
        (catalog,) = list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
        assert len(list(graph.objects(catalog, DCAT.dataset))) == 3
        assert violations(graph) == []


def test_dump_etag_last_modified_and_304(app: Any, make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    dataset = make_dataset(agency["id"])
    first = dump.build("ttl")
    response = app.get("/catalog/dump.ttl.gz")
    etag, last_modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert etag == f'"{first["etag"]}"'
    assert app.get("/catalog/dump.ttl.gz", headers={"If-None-Match": etag}).status_code == 304
    assert (
        app.get("/catalog/dump.ttl.gz", headers={"If-Modified-Since": last_modified}).status_code
        == 304
    )
    assert app.get("/catalog/dump.ttl.gz", headers={"If-None-Match": '"other"'}).status_code == 200
    # Rebuilding an unchanged catalogue keeps ETag and date: harvesters still get 304.
    again = dump.build("ttl")
    assert again["etag"] == first["etag"]
    assert again["last_modified"] == first["last_modified"]
    assert dump.build("rdf")["etag"] == dump.build("rdf")["etag"]
    # A change gives a new ETag.
    helpers.call_action("package_patch", {"ignore_auth": True}, id=dataset["id"], notes="Mới")
    changed = dump.build("ttl")
    assert changed["etag"] != first["etag"]
    assert app.get("/catalog/dump.ttl.gz", headers={"If-None-Match": etag}).status_code == 200


def test_dump_rebuilt_by_a_background_job(
    make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    agency = make_agency()
    make_dataset(agency["id"])
    result = helpers.call_action("nd47_dcat_dump_rebuild", {"user": sysadmin_user["name"]})
    from ckan.lib.jobs import job_from_id

    job = job_from_id(result["job_id"])
    try:
        metas = job.perform()
    finally:
        job.delete()
    assert metas["ttl"]["datasets"] == 1 and metas["rdf"]["datasets"] == 1
    assert dump.info("rdf")["etag"] == metas["rdf"]["etag"]


def test_only_sysadmins_queue_a_rebuild() -> None:
    from ckan.tests import factories

    user = factories.User()
    with pytest.raises(Exception) as error:
        helpers.call_action("nd47_dcat_dump_rebuild", {"user": user["name"], "ignore_auth": False})
    assert "NotAuthorized" in type(error.value).__name__


@pytest.mark.ckan_config("ckan.files.storage.nd47dump.type", "ckan:memory")
@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_storage", "nd47dump")
def test_dump_through_a_ckan_file_storage(app: Any, make_agency: Any, make_dataset: Any) -> None:
    pytest.importorskip("ckan.lib.files", reason="file storages are CKAN 2.12+")
    agency = make_agency()
    dataset = make_dataset(agency["id"])
    assert app.get("/catalog/dump.rdf.gz").status_code == 404
    meta = dump.build("rdf")
    assert not os.listdir(dump.dump_dir())  # nothing left on the local disk
    response = app.get("/catalog/dump.rdf.gz")
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{meta["etag"]}"'
    graph = _dump_graph(response.get_data(), "rdf")
    assert dataset["id"] in {
        str(s).rsplit("/", 1)[-1] for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset)
    }
    etag = response.headers["ETag"]
    assert app.get("/catalog/dump.rdf.gz", headers={"If-None-Match": etag}).status_code == 304
    assert dump.build("rdf")["etag"] == meta["etag"]


def test_dump_command_rebuilds_the_dump(app: Any, cli: Any, make_agency: Any, make_dataset: Any):
    # The group itself, not ``ckan nd47-dcat``: the ``ckan`` group loads
    # test.ini again, with every plugin of the portal, whose tables this
    # test's database does not have (nd47_oversight's quality scores, read
    # by its DQV profile, left every dataset out of the dump).
    from ckanext.nd47.dcat.cli import nd47_dcat

    dataset = make_dataset(make_agency()["id"])
    result = cli.invoke(nd47_dcat, ["dump", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert "1 datasets" in result.output
    graph = _dump_graph(app.get("/catalog/dump.ttl.gz").data, "ttl")
    assert dataset["title"] in {str(o) for o in graph.objects()}
