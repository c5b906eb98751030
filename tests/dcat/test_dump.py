"""The incremental dump: stored records, identical bytes cold or incremental,
datasets that leave, the three formats, the debounced rebuild after changes."""

from __future__ import annotations

import gzip
import logging
import os
from typing import Any

import pytest
import rdflib
from ckan import model
from ckan.tests import helpers
from rdflib.compare import isomorphic

from ckanext.nd47.dcat import dump
from ckanext.nd47.dcat.model import Record
from tests.dcat.conftest import PLUGINS

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "dump_dir"),
]


def _bytes(fmt: str) -> bytes:
    with open(dump.path(fmt), "rb") as f:
        return f.read()


def _graph(fmt: str) -> rdflib.Graph:
    text = gzip.decompress(_bytes(fmt)).decode("utf-8")
    return rdflib.Graph().parse(data=text, format=dump.FORMATS[fmt][0])


def _datasets(graph: rdflib.Graph) -> set[str]:
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset)}


def _stored() -> set[str]:
    return {record.package_id for record in model.Session.query(Record)}


@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_page_size", "2")
def test_incremental_and_cold_builds_give_identical_bytes(
    make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    agency = make_agency()
    datasets = [make_dataset(agency["id"], name=f"bo-du-lieu-{i}") for i in range(3)]
    first = dump.build_all()
    assert {meta["serialized"] for meta in first.values()} == {3}
    assert _stored() == {d["id"] for d in datasets}

    helpers.call_action(
        "package_patch",
        {"user": sysadmin_user["name"]},
        id=datasets[1]["id"],
        title="Tên mới của bộ dữ liệu",
    )
    incremental = dump.build_all()
    assert {meta["serialized"] for meta in incremental.values()} == {1}
    assert {meta["datasets"] for meta in incremental.values()} == {3}
    assert incremental["ttl"]["etag"] != first["ttl"]["etag"]
    kept = {fmt: _bytes(fmt) for fmt in dump.FORMATS}
    titles = {str(o) for o in _graph("ttl").objects(None, rdflib.URIRef(DCT + "title"))}
    assert "Tên mới của bộ dữ liệu" in titles

    unchanged = dump.build_all()
    assert {meta["serialized"] for meta in unchanged.values()} == {0}
    assert {fmt: meta["etag"] for fmt, meta in unchanged.items()} == {
        fmt: meta["etag"] for fmt, meta in incremental.items()
    }

    assert dump.forget_all() == 3
    cold = dump.build_all()
    assert {meta["serialized"] for meta in cold.values()} == {3}
    for fmt in dump.FORMATS:
        assert _bytes(fmt) == kept[fmt], fmt


DCT = "http://purl.org/dc/terms/"


def test_the_three_formats_hold_the_same_graph_with_prefixes_written_once(
    make_agency: Any, make_dataset: Any
) -> None:
    agency = make_agency()
    ids = {make_dataset(agency["id"], name=f"bo-du-lieu-{i}")["id"] for i in range(2)}
    dump.build_all()
    graphs = {fmt: _graph(fmt) for fmt in dump.FORMATS}
    for fmt, graph in graphs.items():
        assert _datasets(graph) == ids, fmt
        assert isomorphic(graph, graphs["ttl"]), fmt
    turtle = gzip.decompress(_bytes("ttl")).decode("utf-8")
    assert turtle.count("@prefix dcat:") == 1
    # Blank nodes (publisher, contact point...) carry content-derived labels.
    ntriples = gzip.decompress(_bytes("nt")).decode("utf-8")
    assert "_:b" in ntriples


def test_deleted_and_private_datasets_leave_the_records_and_the_dump(
    make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    agency = make_agency()
    kept, hidden, deleted = (
        make_dataset(agency["id"], name=f"bo-du-lieu-{i}")["id"] for i in range(3)
    )
    dump.build_all()
    assert _stored() == {kept, hidden, deleted}
    context = {"user": sysadmin_user["name"]}
    helpers.call_action("package_patch", dict(context), id=hidden, private=True)
    helpers.call_action("package_delete", dict(context), id=deleted)
    metas = dump.build_all()
    assert {meta["datasets"] for meta in metas.values()} == {1}
    assert _stored() == {kept}
    for fmt in dump.FORMATS:
        assert _datasets(_graph(fmt)) == {kept}, fmt


def test_a_renamed_agency_rebuilds_the_records_of_its_datasets(
    make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    agency = make_agency()
    make_dataset(agency["id"])
    dump.build_all()
    helpers.call_action(
        "organization_patch", {"user": sysadmin_user["name"]}, id=agency["id"], title="Sở mới"
    )
    metas = dump.build_all()
    assert metas["nt"]["serialized"] == 1
    names = {str(o) for o in _graph("nt").objects(None, rdflib.URIRef(FOAF_NAME))}
    assert "Sở mới" in names


FOAF_NAME = "http://xmlns.com/foaf/0.1/name"


def test_the_dump_command_can_start_cold(cli: Any, make_agency: Any, make_dataset: Any) -> None:
    from ckanext.nd47.dcat.cli import nd47_dcat

    make_dataset(make_agency()["id"])
    dump.build_all()
    result = cli.invoke(nd47_dcat, ["dump", "--cold", "--format", "nt"])
    assert result.exit_code == 0, result.output
    assert "1 stored records forgotten" in result.output
    assert "catalog.nt.gz: 1 datasets" in result.output


@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_page_size", "2")
def test_records_built_in_several_processes_give_the_bytes_of_one(
    cli: Any, make_agency: Any, make_dataset: Any
) -> None:
    from ckanext.nd47.dcat.cli import nd47_dcat

    agencies = [make_agency(), make_agency(name="co-quan-hai", agency_identifier="000.00.00.H42")]
    ids = {make_dataset(agencies[i % 2]["id"], name=f"bo-du-lieu-{i}")["id"] for i in range(7)}
    one = dump.build_all(jobs=1)
    assert {meta["serialized"] for meta in one.values()} == {7}
    kept = {fmt: _bytes(fmt) for fmt in dump.FORMATS}

    result = cli.invoke(nd47_dcat, ["dump", "--cold", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert {fmt: _bytes(fmt) for fmt in dump.FORMATS} == kept
    assert _stored() == ids
    assert {meta["serialized"] for meta in (dump.info(fmt) for fmt in dump.FORMATS)} == {7}


@pytest.fixture
def scheduled() -> Any:
    """No rebuild is queued when the test starts, nor left queued after it."""
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().delete(dump.SCHEDULED_KEY)
    yield
    connect_to_redis().delete(dump.SCHEDULED_KEY)


@pytest.mark.usefixtures("scheduled")
@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_debounce", "0")
def test_a_dataset_change_queues_one_debounced_rebuild(
    make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]
) -> None:
    from ckan.lib.jobs import get_queue

    queue = get_queue()
    queue.empty()
    dataset = make_dataset(make_agency()["id"])  # queues a rebuild
    helpers.call_action(
        "package_patch", {"user": sysadmin_user["name"]}, id=dataset["id"], title="Lần hai"
    )  # joins the queued one
    jobs = [j for j in queue.jobs if j.func_name.endswith("rebuild_after_changes")]
    assert len(jobs) == 1
    assert dump.schedule() is False
    metas = jobs[0].perform()
    jobs[0].delete()
    assert metas["ttl"]["datasets"] == 1
    assert "Lần hai" in {str(o) for o in _graph("ttl").objects()}
    # The rebuild started: the next change queues a new one.
    assert dump.schedule() is True
    queue.empty()


@pytest.mark.usefixtures("scheduled")
@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_debounce", "1")
def test_with_rq_scheduler_the_debounced_rebuild_waits_in_no_worker(
    make_agency: Any, make_dataset: Any
) -> None:
    """A worker runs RQ's scheduler (as ``ckan jobs worker`` does on CKAN
    2.12): the rebuild is scheduled for the end of the window, not queued to
    wait in a worker; the scheduler queues it then."""
    import time

    from ckan.lib.jobs import get_queue
    from rq.registry import ScheduledJobRegistry
    from rq.scheduler import RQScheduler

    queue = get_queue()
    queue.empty()
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    scheduler = RQScheduler([queue], connection=queue.connection)
    assert scheduler.acquire_locks() == {queue.name}
    try:
        make_dataset(make_agency()["id"])  # schedules a rebuild
        assert dump.schedule() is False  # a change meanwhile joins it
        assert not [j for j in queue.jobs if j.func_name.endswith("rebuild_after_changes")]
        [job_id] = registry.get_job_ids()
        time.sleep(1.5)  # the end of the debounce window
        scheduler.enqueue_scheduled_jobs()
        [job] = [j for j in queue.jobs if j.func_name.endswith("rebuild_after_changes")]
        assert job.id == job_id
        metas = job.perform()
        job.delete()
        assert metas["ttl"]["datasets"] == 1
        assert dump.schedule() is True  # the rebuild started: a new change schedules anew
    finally:
        scheduler.release_locks()
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
        queue.empty()


@pytest.mark.usefixtures("scheduled")
@pytest.mark.ckan_config("ckanext.nd47.dcat.dump_debounce", "-1")
def test_a_negative_debounce_queues_nothing() -> None:
    assert dump.schedule() is False


@pytest.mark.usefixtures("scheduled")
def test_redis_down_never_breaks_a_dataset_save(
    make_agency: Any,
    make_dataset: Any,
    sysadmin_user: dict[str, Any],
    ckan_config: Any,
    monkeypatch: Any,
    caplog: Any,
) -> None:
    import ckan.lib.jobs
    import ckan.lib.redis

    dataset = make_dataset(make_agency()["id"])
    logger = logging.getLogger("ckanext.nd47.dcat.dump")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "handlers", [caplog.handler])
    # A port nothing listens on; CKAN keeps its Redis pool and queues per process.
    monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(ckan.lib.redis, "_connection_pool", None)
    monkeypatch.setattr(ckan.lib.jobs, "_queues", {})
    updated = helpers.call_action(
        "package_patch", {"user": sysadmin_user["name"]}, id=dataset["id"], title="Vẫn lưu được"
    )
    assert updated["title"] == "Vẫn lưu được"
    assert "rebuild after a dataset change not queued" in caplog.text


_RECORD_IN_ANOTHER_PROCESS = """
import hashlib, sys
import rdflib
from ckanext.nd47.dcat import records
graph = rdflib.Graph().parse(data=sys.stdin.read(), format="nt")
for body in records.record_bytes(graph, "https://example.org/dataset/1", []).values():
    print(hashlib.sha256(body).hexdigest())
graph = records.stable_graph(graph, "https://example.org/dataset/1")
for body in (
    records.ntriples(graph),
    records.turtle_body(graph, []),
    b"".join(records.rdfxml_children(graph)),
):
    print(hashlib.sha256(body).hexdigest())
"""


def test_records_have_the_same_bytes_in_every_process(make_agency: Any, make_dataset: Any) -> None:
    """rdflib orders RDF/XML subjects and namespaces by string hashes, which
    Python randomizes per process: a record must not depend on them, whether
    pyoxigraph writes it or (for terms pyoxigraph refuses) rdflib."""
    import subprocess
    import sys

    make_dataset(make_agency()["id"])
    dump.build_all(["nt"])
    ntriples = gzip.decompress(_bytes("nt")).decode("utf-8")
    digests = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", _RECORD_IN_ANOTHER_PROCESS],
            input=ntriples,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(done.stdout)
    assert len(digests) == 1, digests
