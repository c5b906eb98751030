"""The full-catalogue dump for national harvesters: Turtle, N-Triples, RDF/XML, gzip.

Incremental: each public open dataset's part of the dump (its record,
:mod:`ckanext.nd47.dcat.records`) is kept in the table ``nd47_dcat_record``
(:mod:`ckanext.nd47.dcat.model`) with the stamp it was built from (the
dataset's ``metadata_modified``, a hash of its agency as the profile reads
it, and :func:`version`: profiles, options, package versions). A build lists
the datasets (ids and modification times only, page by page, in the stable
catalogue order), serializes only those whose stamp changed, and writes
every record as stored: each is a gzip member of its own, so the dump files
are concatenations of members, never compressed again. Records of datasets
that left the list (deleted, private, no longer open) are deleted. The same
datasets give the same bytes whether built cold or incrementally.

Each build writes to temporary files, then publishes them with a small JSON
sidecar holding the ETag (SHA-256 of the file) and the Last-Modified time;
nothing is kept in the worker's memory. The files go to a CKAN 2.12 file
storage (file-keeper) when ``ckanext.nd47.dcat.dump_storage`` names one, so
every web and job worker sees them wherever the operator keeps files;
otherwise (and on CKAN 2.11) to ``ckanext.nd47.dcat.dump_dir``.

Rebuilt by ``ckan nd47-dcat dump``, by the action
``nd47_dcat_dump_rebuild`` (:func:`enqueue`), and after dataset changes
(:func:`schedule`, debounced: one rebuild per
``ckanext.nd47.dcat.dump_debounce`` seconds at most, scheduled with RQ's
scheduler where the workers run it, so that no worker waits).
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from redis.exceptions import RedisError

from ckanext.nd47.dcat import builders, model, records, serialize
from ckanext.nd47.dcat.profile import agencies_read_once, agency
from ckanext.nd47.logic.rules import is_open_public

__all__ = [
    "FORMATS",
    "QueueUnavailable",
    "build",
    "build_all",
    "dump_dir",
    "enqueue",
    "forget_all",
    "info",
    "path",
    "queue_available",
    "queue_unavailable_message",
    "rebuild_after_changes",
    "schedule",
    "store",
    "version",
]

log = logging.getLogger(__name__)

FORMATS = records.FORMATS
# How long a rebuild job may run (RQ kills it after that).
JOB_TIMEOUT = 6 * 3600
# Redis key held while a rebuild after changes is queued: its value is the
# time (epoch seconds) the job waits for, so that changes meanwhile join it.
SCHEDULED_KEY = "ckanext.nd47.dcat.dump.scheduled"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def dump_dir() -> str:
    directory = tk.config.get("ckanext.nd47.dcat.dump_dir") or os.path.join(
        tk.config.get("ckan.storage_path") or tempfile.gettempdir(), "nd47_dcat"
    )
    os.makedirs(directory, exist_ok=True)
    return directory


def _name(fmt: str) -> str:
    return f"catalog.{fmt}.gz"


def path(fmt: str) -> str:
    """Local path of a dump in the directory store."""
    return os.path.join(dump_dir(), _name(fmt))


class _DirStore:
    """Dump files in a directory (``dump_dir``)."""

    def put(self, name: str, local: str) -> None:
        os.replace(local, os.path.join(dump_dir(), name))

    def read(self, name: str) -> bytes | None:
        try:
            with open(os.path.join(dump_dir(), name), "rb") as f:
                return f.read()
        except OSError:
            return None

    def response(self, name: str) -> Any:
        from flask import send_file

        return send_file(
            os.path.join(dump_dir(), name),
            mimetype="application/gzip",
            as_attachment=True,
            download_name=name,
            conditional=False,
            etag=False,
        )


class _FileKeeperStore:
    """Dump files in a CKAN 2.12 file storage (``ckan.files.storage.<name>.*``)."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage

    def _data(self, name: str) -> Any:
        import file_keeper as fk

        return fk.FileData(fk.types.Location(f"nd47_dcat/{name}"))

    def put(self, name: str, local: str) -> None:
        import file_keeper as fk

        data = self._data(name)
        if self.storage.exists(data):
            self.storage.remove(data)
        with open(local, "rb") as f:
            self.storage.upload(data.location, fk.make_upload(f))
        os.unlink(local)

    def read(self, name: str) -> bytes | None:
        data = self._data(name)
        if not self.storage.exists(data):
            return None
        return self.storage.content(data)

    def response(self, name: str) -> Any:
        from flask import Response

        headers = {"Content-Disposition": f"attachment; filename={name}"}
        return Response(
            self.storage.stream(self._data(name)), mimetype="application/gzip", headers=headers
        )


def store() -> _DirStore | _FileKeeperStore:
    """Where the dump files live."""
    name = tk.config.get("ckanext.nd47.dcat.dump_storage")
    if name:
        try:
            from ckan.lib import files  # CKAN 2.12+
        except ImportError:
            log.warning("ckanext.nd47.dcat.dump_storage needs CKAN 2.12; using dump_dir")
        else:
            return _FileKeeperStore(files.get_storage(name))
    return _DirStore()


def info(fmt: str) -> dict[str, Any] | None:
    """ETag, Last-Modified, size and dataset count of the current dump, if built."""
    raw = store().read(_name(fmt) + ".json")
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def version(prefixes: list[bytes], profiles: list[str] | None = None) -> str:
    """What every record is built from besides its dataset and agency: the
    profiles, the options of ckanext-dcat and of this package (the dump's own
    aside), the site URL, the versions of the packages that write the RDF and
    the Turtle prefixes of the dump. A change of any of them rebuilds every
    record."""
    config = {
        key: str(value)
        for key, value in tk.config.items()
        if key.startswith(("ckanext.dcat.", "ckanext.nd47."))
        and not key.startswith("ckanext.nd47.dcat.dump_")
    }
    config["ckan.site_url"] = tk.config.get("ckan.site_url")
    packages = {}
    for name in ("ckanext-nd47", "ckanext-dcat", "rdflib", "lxml", "pyoxigraph"):
        try:
            packages[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            packages[name] = ""
    facts = {
        "records": records.RECORD_VERSION,
        "profiles": profiles,
        "config": config,
        "packages": packages,
        "prefixes": [p.decode() for p in prefixes],
    }
    text = json.dumps(facts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _agency_hash(org_id: str | None, hashes: dict[str, str]) -> str:
    """A hash of the agency as the profile reads it (its name, identifier...
    are in every record of its datasets), once per build."""
    if not org_id:
        return ""
    if org_id not in hashes:
        org = agency(org_id)
        text = json.dumps(org, sort_keys=True, default=str)
        hashes[org_id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hashes[org_id]


def _stamp(base: str, entry: dict[str, Any], agencies: dict[str, str]) -> str:
    """What a dataset's record was built from: version, modification time, agency."""
    text = "|".join(
        (
            base,
            str(entry.get("metadata_modified") or ""),
            _agency_hash(entry.get("owner_org"), agencies),
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


Page = list[tuple[dict[str, Any], dict[str, Any] | None]]


def _pages(
    datasets: Iterable[dict[str, Any]] | None, rows: int, listing: bool = False
) -> Iterator[Page]:
    """The datasets to dump, in dump order, a page at a time: (listing entry,
    full dict when already at hand)."""
    if datasets is None or listing:
        index = serialize.iter_public_index() if datasets is None else datasets
        entries: Iterable[tuple[dict[str, Any], dict[str, Any] | None]] = (
            (entry, None) for entry in index
        )
    else:
        entries = ((d, d) for d in datasets)
    page: Page = []
    for item in entries:
        page.append(item)
        if len(page) >= rows:
            yield page
            page = []
    if page:
        yield page


def _fetch(ids: list[str], rows: int) -> dict[str, dict[str, Any]]:
    """The full dicts of public open datasets among ``ids``."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), rows):
        chunk = ids[start : start + rows]
        fq = "id:(" + " OR ".join(f'"{i}"' for i in chunk) + ")"
        for dataset_dict in serialize.search_public(rows=len(chunk), fq=fq)["results"]:
            found[dataset_dict["id"]] = dataset_dict
    return found


class _Output:
    """One dump file being written: a temporary file and the hash of its bytes."""

    def __init__(self, fmt: str, local_dir: str | None) -> None:
        self.fmt = fmt
        fd, self.tmp = tempfile.mkstemp(dir=local_dir, suffix=".tmp")
        self.raw = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.raw.write(data)


def _head_and_tail(
    rdf_serializer: Any, catalog_ref: Any, prefixes: list[bytes]
) -> dict[str, tuple[bytes, bytes]]:
    """The gzip members before and after the records, per format: the
    catalogue's own description (and the Turtle prefixes, the RDF/XML root
    declaring the same prefixes)."""
    data = records.record_bytes(rdf_serializer.g, str(catalog_ref), prefixes)
    nsmap = dict(records.prefix_map(tuple(prefixes)))
    nsmap["rdf"] = RDF_NS
    root = "".join(f' xmlns:{p}="{n}"' for p, n in sorted(nsmap.items()))
    xml_head = f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{root}>\n'.encode()
    return {
        "ttl": (b"".join(prefixes) + b"\n" + data["ttl"], b""),
        "nt": (data["nt"], b""),
        "rdf": (xml_head + data["rdf"], b"</rdf:RDF>\n"),
    }


def build_all(
    formats: Iterable[str] | None = None,
    datasets: Iterable[dict[str, Any]] | None = None,
    profiles: list[str] | None = None,
    fetch: Callable[[list[str]], dict[str, dict[str, Any]]] | None = None,
    jobs: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Write the dumps in ``formats`` (default: all) in one pass; returns their
    metadata by format.

    ``jobs`` processes build the records (default
    ``ckanext.nd47.dcat.dump_jobs``; see :mod:`ckanext.nd47.dcat.builders`):
    the bytes are the same for any number.

    ``datasets`` defaults to every public open dataset, listed page by page
    (ids, modification times and agencies only); only datasets whose stamp
    changed are read in full and serialized, every other record is copied
    from the records table. Records of datasets no longer listed are deleted.
    Given ``datasets`` are full dataset dicts, or with ``fetch`` such a
    listing, ``fetch`` returning the full dicts of a list of ids.
    """
    fmts = list(formats or FORMATS)
    rows = int(tk.config.get("ckanext.nd47.dcat.dump_page_size"))
    target = store()
    local_dir = dump_dir() if isinstance(target, _DirStore) else None
    rdf_serializer = serialize.serializer(profiles)
    outputs = {fmt: _Output(fmt, local_dir) for fmt in fmts}
    counts = {"datasets": 0, "serialized": 0}
    try:
        with agencies_read_once():
            catalog_ref = rdf_serializer.graph_from_catalog({})
            prefixes = records.turtle_prefixes(rdf_serializer.g)
            ends = _head_and_tail(rdf_serializer, catalog_ref, prefixes)
            for fmt, output in outputs.items():
                output.write(records.compress(ends[fmt][0]))
            base = version(prefixes, profiles)

            def solr_fetch(ids: list[str]) -> dict[str, dict[str, Any]]:
                return _fetch(ids, rows)

            builder = builders.Builder(builders.default_jobs(jobs), profiles, catalog_ref, prefixes)
            try:
                seen = _write_records(
                    outputs,
                    _pages(datasets, rows, listing=fetch is not None),
                    base,
                    builder,
                    counts,
                    fetch=fetch or (None if datasets is not None else solr_fetch),
                )
            except BaseException:
                builder.terminate()
                raise
            builder.close()
        for fmt, output in outputs.items():
            if ends[fmt][1]:
                output.write(records.compress(ends[fmt][1]))
            output.raw.close()
        forgotten = model.forget_except(seen)
        metas = {
            fmt: _publish(target, local_dir, output, counts) for fmt, output in outputs.items()
        }
    except BaseException:
        for output in outputs.values():
            output.raw.close()
            if os.path.exists(output.tmp):
                os.unlink(output.tmp)
        raise
    log.info(
        "DCAT dump %s: %s datasets, %s serialized, %s records forgotten",
        " ".join(fmts),
        counts["datasets"],
        counts["serialized"],
        forgotten,
    )
    return metas


def _write_records(
    outputs: dict[str, _Output],
    pages: Iterable[Page],
    base: str,
    builder: builders.Builder,
    counts: dict[str, int],
    fetch: Callable[[list[str]], dict[str, dict[str, Any]]] | None,
) -> set[str]:
    agencies: dict[str, str] = {}
    seen: set[str] = set()
    # Pages whose records are being built, in dump order.
    pending: collections.deque[Any] = collections.deque()

    def write(page: Page, stamps: dict[str, str], found: Any, wait: Any) -> None:
        fresh = {package_id: (stamps[package_id], record) for package_id, record in wait().items()}
        model.save(fresh)
        counts["serialized"] += len(fresh)
        found.update({package_id: record for package_id, (_s, record) in fresh.items()})
        for entry, _full in page:
            record = found.get(entry["id"])
            if record is None:
                continue
            for fmt, output in outputs.items():
                output.write(record[fmt])
            counts["datasets"] += 1
            seen.add(entry["id"])

    for page in pages:
        stamps = {entry["id"]: _stamp(base, entry, agencies) for entry, _full in page}
        found = model.read(stamps, outputs)
        missing = [package_id for package_id in stamps if package_id not in found]
        wanted: list[dict[str, Any]] = []
        if missing:
            full = {entry["id"]: d for entry, d in page if d is not None}
            if fetch is not None:
                full.update(fetch([i for i in missing if i not in full]))
            wanted = [
                full[package_id]
                for package_id in missing
                if package_id in full and is_open_public(full[package_id])
            ]
        pending.append((page, stamps, found, builder.submit(wanted)))
        while len(pending) > builder.ahead:
            write(*pending.popleft())
    while pending:
        write(*pending.popleft())
    return seen


def _publish(
    target: _DirStore | _FileKeeperStore,
    local_dir: str | None,
    output: _Output,
    counts: dict[str, int],
) -> dict[str, Any]:
    """Publish a written dump file and its sidecar (ETag, Last-Modified...)."""
    fmt = output.fmt
    etag = output.sha.hexdigest()
    previous = info(fmt)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {
        "etag": etag,
        # An unchanged catalogue keeps its date, so conditional requests still match.
        "last_modified": previous["last_modified"]
        if previous and previous.get("etag") == etag
        else now,
        "built": now,
        "size": os.path.getsize(output.tmp),
        "datasets": counts["datasets"],
        # Datasets serialized by this build; the others' records were reused.
        "serialized": counts["serialized"],
        "format": fmt,
    }
    target.put(_name(fmt), output.tmp)
    fd, tmp = tempfile.mkstemp(dir=local_dir, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(meta, f)
    target.put(_name(fmt) + ".json", tmp)
    return meta


def build(
    fmt: str,
    datasets: Iterable[dict[str, Any]] | None = None,
    profiles: list[str] | None = None,
) -> dict[str, Any]:
    """Write the dump in ``fmt`` (see :func:`build_all`); returns its metadata."""
    return build_all([fmt], datasets, profiles)[fmt]


def forget_all() -> int:
    """Delete every record: the next build serializes every dataset again."""
    return model.forget_except(set())


class QueueUnavailable(Exception):
    """The job queue (Redis) does not answer: nothing was queued."""


def queue_unavailable_message() -> str:
    """Why a rebuild was refused (translated into the language of the request)."""
    return tk._(
        "The job queue is unavailable, so the rebuild of the catalogue dump "
        "was not queued; the current dump is unchanged. Try again later."
    )


def queue_available() -> bool:
    """Whether CKAN's job queue (Redis) answers."""
    from ckan.lib.redis import is_redis_available  # not in the toolkit

    return is_redis_available()


def enqueue(jobs: int | None = None) -> Any:
    """Queue a rebuild on CKAN's job queue (RQ on Redis), built by ``jobs``
    processes (default: ``ckanext.nd47.dcat.dump_jobs``).

    :raises QueueUnavailable: when Redis does not answer; the current dump
        files stay as they are.
    """
    try:
        return tk.enqueue_job(
            build_all,
            kwargs={"jobs": jobs},
            title="nd47: rebuild the DCAT dump",
            rq_kwargs={"timeout": JOB_TIMEOUT},
        )
    except RedisError as e:
        log.error("DCAT dump rebuild not queued: %s", e)
        raise QueueUnavailable(queue_unavailable_message()) from e


def _redis() -> Any:
    from ckan.lib.redis import connect_to_redis  # not in the toolkit

    return connect_to_redis()


def _scheduler_running(connection: Any, queue: Any) -> bool:
    """Whether a worker runs RQ's scheduler for ``queue``: ``ckan jobs worker``
    does on CKAN 2.12 (one worker per queue holds its lock; not with
    ``--no-scheduler``); CKAN 2.11's worker has none."""
    from rq.scheduler import RQScheduler

    return bool(connection.exists(RQScheduler.get_locking_key(queue.name)))


def schedule() -> bool:
    """Queue a rebuild after a dataset change, unless one is already queued.

    Debounced: the rebuild starts ``ckanext.nd47.dcat.dump_debounce`` seconds
    after the first change, so a burst of edits makes one rebuild. When a
    worker runs RQ's scheduler (CKAN 2.12's ``ckan jobs worker``), the job is
    scheduled for that time and occupies no worker while it waits; otherwise
    (CKAN 2.11) it is queued at once and waits in its worker. A negative
    debounce turns this off (rebuilds by cron or by hand only). Never raises:
    a dataset save must not fail because the job queue does not answer; the
    failure is logged and the next change tries again.

    :returns: whether a job was queued
    """
    from ckan.lib.jobs import get_queue  # not in the toolkit: enqueue_in

    debounce = int(tk.config.get("ckanext.nd47.dcat.dump_debounce"))
    if debounce < 0:
        return False
    due = time.time() + debounce
    title = "nd47: rebuild the DCAT dump after changes"
    try:
        connection = _redis()
        # The key outlives the job's longest run, so a lost job never blocks
        # later rebuilds for good.
        if not connection.set(SCHEDULED_KEY, str(due), nx=True, ex=debounce + JOB_TIMEOUT):
            return False
        try:
            queue = get_queue()
            if debounce > 0 and _scheduler_running(connection, queue):
                queue.enqueue_in(
                    datetime.timedelta(seconds=debounce),
                    rebuild_after_changes,
                    job_timeout=JOB_TIMEOUT,
                    meta={"title": title},
                )
            else:
                tk.enqueue_job(
                    rebuild_after_changes,
                    title=title,
                    rq_kwargs={"timeout": debounce + JOB_TIMEOUT},
                )
        except BaseException:
            connection.delete(SCHEDULED_KEY)
            raise
    except Exception:
        log.exception("DCAT dump rebuild after a dataset change not queued")
        return False
    return True


def rebuild_after_changes() -> dict[str, dict[str, Any]]:
    """The job :func:`schedule` queues: wait for the end of the debounce
    window if it is not over (only a job queued without RQ's scheduler
    starts early), then let later changes queue a new job, then rebuild."""
    connection = _redis()
    due = connection.get(SCHEDULED_KEY)
    if due:
        wait = float(due) - time.time()
        if wait > 0:
            time.sleep(wait)
    connection.delete(SCHEDULED_KEY)
    return build_all()
