"""Hostile input never breaks a DCAT output: stored values no IRI may hold, a
dataset that cannot be serialized, bad parameters, a job queue that is down."""

from __future__ import annotations

import copy
import gzip
import json
import logging
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers

from ckanext.nd47.dcat import dump, serialize
from tests.dcat.conftest import PLUGINS

FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
DUMP_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml"}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
# Every character an IRI may not hold, and one XML cannot carry.
BAD_URL = 'https://example.org/a"b <c>{d}|e`f\\g^h'

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "dump_dir"),
]


@pytest.fixture
def dcat_log(caplog: Any, monkeypatch: Any) -> Any:
    """What the DCAT modules log. CKAN's test logging set-up disables the
    loggers created before it and does not propagate ``ckanext``."""
    for name in ("iri", "serialize", "dump", "records"):
        logger = logging.getLogger(f"ckanext.nd47.dcat.{name}")
        monkeypatch.setattr(logger, "disabled", False)
        monkeypatch.setattr(logger, "handlers", [caplog.handler])
    return caplog


def _store_unvalidated(dataset_id: str) -> None:
    """Write hostile values straight into the database and the index, as an
    older release (or a direct import) may have stored them."""
    from ckan import model
    from ckan.lib.search import rebuild

    package = model.Package.get(dataset_id)
    extras = dict(package.extras)
    extras["master_source"] = BAD_URL
    legal = json.loads(extras["legal_basis"])
    legal[0]["url"] = BAD_URL
    extras["legal_basis"] = json.dumps(legal)
    spatial = json.loads(extras["spatial_coverage"])
    spatial[0]["uri"] = BAD_URL
    spatial[0]["text"] = "Tỉnh\x0b Nghệ An"
    extras["spatial_coverage"] = json.dumps(spatial)
    package.extras = extras
    resource = package.resources[0]
    resource.mimetype = 'text/csv"><x y'
    resource.url = BAD_URL
    resource.extras = dict(resource.extras, download_url=BAD_URL, access_url=BAD_URL)
    model.Session.commit()
    rebuild(dataset_id)


def _datasets_in(body: str, rdf_format: str) -> set[str]:
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset)}


def test_values_no_iri_may_hold_never_break_an_output(
    app: Any, make_agency: Any, make_dataset: Any, dcat_log: Any
) -> None:
    agency = make_agency()
    bad = make_dataset(agency["id"], name="gia-tri-xau")
    good = make_dataset(agency["id"], name="gia-tri-tot")
    _store_unvalidated(bad["id"])
    assert helpers.call_action("package_show", id=bad["id"])["master_source"] == BAD_URL

    for fmt, rdf_format in FORMATS.items():
        response = app.get(f"/dataset/{bad['id']}.{fmt}")
        assert response.status_code == 200, fmt
        body = response.get_data(as_text=True)
        assert _datasets_in(body, rdf_format) == {bad["id"]}
        graph = rdflib.Graph().parse(data=body, format=rdf_format)
        derived = {str(o) for o in graph.objects(None, rdflib.URIRef(PROV_DERIVED))}
        assert derived == {"https://example.org/a%22b%20%3Cc%3E%7Bd%7D%7Ce%60f%5Cg%5Eh"}

        response = app.get(f"/catalog.{fmt}")
        assert response.status_code == 200, fmt
        page = response.get_data(as_text=True)
        assert _datasets_in(page, rdf_format) == {bad["id"], good["id"]}

    for fmt, rdf_format in DUMP_FORMATS.items():
        meta = dump.build(fmt)
        assert meta["datasets"] == 2
        with open(dump.path(fmt), "rb") as f:
            text = gzip.decompress(f.read()).decode("utf-8")
        assert _datasets_in(text, rdf_format) == {bad["id"], good["id"]}
    assert "characters no IRI or XML may hold" in dcat_log.text


PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


def test_a_term_no_syntax_can_write_is_left_out_and_the_dump_stays_valid(
    make_agency: Any, make_dataset: Any, dcat_log: Any
) -> None:
    """An IRI without a scheme (pyoxigraph refuses it; N-Triples has no
    relative IRIs): its triple is left out and logged, the dataset and the
    other datasets stay, every dump file parses."""
    agency = make_agency()
    made = [make_dataset(agency["id"], name=f"bo-du-lieu-{i}") for i in range(3)]
    datasets = [helpers.call_action("package_show", id=d["id"]) for d in made]
    datasets[1]["master_source"] = "tai-lieu/khong-co-scheme"
    metas = dump.build_all(datasets=datasets, jobs=1)  # logged in this process
    assert {meta["datasets"] for meta in metas.values()} == {3}
    for fmt, rdf_format in DUMP_FORMATS.items():
        with open(dump.path(fmt), "rb") as f:
            text = gzip.decompress(f.read()).decode("utf-8")
        assert _datasets_in(text, rdf_format) == {d["id"] for d in datasets}, fmt
        assert "khong-co-scheme" not in text
    assert "1 triples left out" in dcat_log.text


def test_a_dataset_that_cannot_be_serialized_is_logged_and_left_out(
    make_agency: Any, make_dataset: Any, dcat_log: Any
) -> None:
    agency = make_agency()
    good = helpers.call_action("package_show", id=make_dataset(agency["id"])["id"])
    broken = copy.deepcopy(good)
    broken.update(id="khong-the-xuat", name="khong-the-xuat")
    broken["resources"] = [None]  # no profile can read this resource

    page = serialize.catalog_graph([broken, good])
    assert {str(s).rsplit("/", 1)[-1] for s in page.subjects(rdflib.RDF.type, DCAT.Dataset)} == {
        good["id"]
    }
    assert "khong-the-xuat left out" in dcat_log.text
    for fmt, rdf_format in DUMP_FORMATS.items():
        assert dump.build(fmt, datasets=[good, broken, good])["datasets"] == 2
        with open(dump.path(fmt), "rb") as f:
            text = gzip.decompress(f.read()).decode("utf-8")
        assert _datasets_in(text, rdf_format) == {good["id"]}


@pytest.mark.parametrize(
    "query",
    [
        "fq=(",
        "page=99999999999999999999",
        "page=-1",
        "page=abc",
        "modified_since=not-a-date",
        "profiles=khong-co",
    ],
)
def test_bad_catalogue_parameters_answer_a_validation_error(app: Any, query: str) -> None:
    response = app.get(f"/catalog.ttl?{query}")
    assert response.status_code == 409, query
    response = app.get(f"/api/3/action/dcat_catalog_show?format=ttl&{query}")
    assert response.status_code == 409, query
    assert response.json["success"] is False
    assert response.json["error"]["__type"] == "Validation Error"


def test_a_query_a_person_types_is_text_not_a_syntax_error(app: Any) -> None:
    # the search hooks of nd47 read an unbalanced field query as words
    response = app.get("/catalog.ttl?q=title:(")
    assert response.status_code == 200
    assert "dcat:Catalog" in response.get_data(as_text=True)


def test_an_unknown_format_answers_a_validation_error(
    app: Any, make_agency: Any, make_dataset: Any
) -> None:
    dataset = make_dataset(make_agency()["id"])
    for action, extra in (
        ("dcat_catalog_show", {}),
        ("dcat_catalog_search", {"q": "*:*"}),
        ("dcat_dataset_show", {"id": dataset["id"]}),
    ):
        with pytest.raises(helpers.logic.ValidationError) as error:
            helpers.call_action(action, format="zzz", **extra)
        assert "format" in error.value.error_dict, action
        response = app.get(f"/api/3/action/{action}", query_string=dict(extra, format="zzz"))
        assert response.status_code == 409, action


def test_redis_down_refuses_the_rebuild_with_503_and_keeps_the_dump(
    app: Any,
    make_agency: Any,
    make_dataset: Any,
    sysadmin_user: dict[str, Any],
    ckan_config: Any,
    monkeypatch: Any,
) -> None:
    import ckan.lib.jobs
    import ckan.lib.redis
    from ckan.tests import factories

    make_dataset(make_agency()["id"])
    before = dump.build("ttl")
    token = factories.APIToken(user=sysadmin_user["name"])["token"]
    # A port nothing listens on; CKAN keeps its Redis pool and queues per process.
    monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(ckan.lib.redis, "_connection_pool", None)
    monkeypatch.setattr(ckan.lib.jobs, "_queues", {})

    with pytest.raises(dump.QueueUnavailable):
        helpers.call_action("nd47_dcat_dump_rebuild", {"user": sysadmin_user["name"]})
    for prefix, words in (("", "job queue is unavailable"), ("/vi", "Hàng đợi công việc")):
        response = app.post(
            f"{prefix}/api/3/action/nd47_dcat_dump_rebuild",
            json={},
            headers={"Authorization": token},
        )
        assert response.status_code == 503, response.get_data(as_text=True)[-3000:]
        assert response.json["success"] is False
        assert words in response.json["error"]["message"], prefix
    assert dump.info("ttl") == before
    assert app.get("/catalog/dump.ttl.gz").status_code == 200
