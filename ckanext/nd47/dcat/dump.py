"""The full-catalogue dump for national harvesters: Turtle and RDF/XML, gzip.

Built streaming: datasets are read page by page through ``package_search``
(public, active, open only; :mod:`ckanext.nd47.dcat.serialize`), each one is
serialized from a graph of its own and appended to a gzip file, so memory
stays flat whatever the size of the portal. A build writes to a temporary
file, then publishes it with a small JSON sidecar holding the ETag (SHA-256
of the file) and the Last-Modified time; nothing is kept in the worker's
memory. The files go to a CKAN 2.12 file storage (file-keeper) when
``ckanext.nd47.dcat.dump_storage`` names one, so every web and job worker sees
them wherever the operator keeps files; otherwise (and on CKAN 2.11) to
``ckanext.nd47.dcat.dump_dir``. Rebuilt by ``ckan nd47-dcat dump`` or by the
background job (:func:`enqueue`).
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any

import ckan.plugins.toolkit as tk
import rdflib
from ckanext.dcat.profiles import DCAT
from lxml import etree
from rdflib import URIRef
from redis.exceptions import RedisError

from ckanext.nd47.dcat import serialize, services
from ckanext.nd47.dcat.profile import agencies_read_once
from ckanext.nd47.dcat.turtle import serialize_turtle
from ckanext.nd47.logic.rules import is_open_public

__all__ = [
    "FORMATS",
    "queue_unavailable_message",
    "QueueUnavailable",
    "build",
    "build_all",
    "dump_dir",
    "enqueue",
    "info",
    "path",
    "queue_available",
    "store",
]

log = logging.getLogger(__name__)

# Extension -> (rdflib format, media type of the uncompressed content).
FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml")}
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


class _HashingWriter:
    """A binary file that also hashes what goes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _stable_bnodes(graph: rdflib.Graph, prefix: str) -> rdflib.Graph:
    """The graph with canonical blank-node labels (RDF graph canonicalization,
    prefixed per dataset) and its triples inserted in a fixed order, so a
    rebuild of an unchanged catalogue gives the same bytes (serializers write
    in store order and sort by label), hence the same ETag, in any process."""
    from rdflib.compare import to_canonical_graph

    out = rdflib.Graph(bind_namespaces="core")
    for name, namespace in graph.namespaces():
        out.bind(name, namespace, override=False)
    triples = [
        tuple(rdflib.BNode(prefix + str(n)) if isinstance(n, rdflib.BNode) else n for n in t)
        for t in to_canonical_graph(graph)
    ]
    for triple in sorted(triples, key=lambda t: tuple(n.n3() for n in t)):
        out.add(triple)  # type: ignore[arg-type]
    return out


def _rdfxml_children(graph: rdflib.Graph) -> Iterable[bytes]:
    """The top-level elements of a graph's RDF/XML, each standalone."""
    root = etree.fromstring(graph.serialize(format="xml", encoding="utf-8"))
    for child in root:
        yield etree.tostring(child, encoding="utf-8") + b"\n"


def _write(
    out: IO[bytes], fmt: str, datasets: Iterable[dict[str, Any]], profiles: list[str] | None
) -> int:
    rdf_format = FORMATS[fmt][0]
    rdf_serializer = serialize.serializer(profiles)
    catalog_ref = rdf_serializer.graph_from_catalog({})
    catalog_graph = rdf_serializer.g
    if rdf_format == "xml":
        nsmap = {p: str(n) for p, n in catalog_graph.namespaces() if p}
        nsmap["rdf"] = RDF_NS
        head = "".join(f' xmlns:{p}="{n}"' for p, n in sorted(nsmap.items()))
        out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{head}>\n'.encode())
        for chunk in _rdfxml_children(catalog_graph):
            out.write(chunk)
    else:
        out.write(serialize_turtle(catalog_graph))
    count = 0
    for dataset_dict in datasets:
        if not is_open_public(dataset_dict):
            continue
        try:
            graph, ref = serialize.dataset_graph(rdf_serializer, dataset_dict)
            graph.add((catalog_ref, DCAT.dataset, URIRef(str(ref))))
            services.link_catalog(graph, catalog_ref, ref)
            graph = _stable_bnodes(graph, f"d{count}")
            if rdf_format == "xml":
                chunk = b"".join(_rdfxml_children(graph))
            else:
                chunk = b"\n" + serialize_turtle(graph)
        except Exception:
            # One bad dataset never stops the national feed from being rebuilt.
            log.exception("DCAT dump: dataset %s left out", dataset_dict.get("id"))
            continue
        out.write(chunk)
        count += 1
    if rdf_format == "xml":
        out.write(b"</rdf:RDF>\n")
    return count


def build(
    fmt: str,
    datasets: Iterable[dict[str, Any]] | None = None,
    profiles: list[str] | None = None,
) -> dict[str, Any]:
    """Write the dump in ``fmt`` (``ttl`` or ``rdf``); returns its metadata.

    ``datasets`` defaults to every public open dataset, page by page.
    """
    if datasets is None:
        datasets = serialize.iter_public_datasets(
            rows=int(tk.config.get("ckanext.nd47.dcat.dump_page_size"))
        )
    target = store()
    local_dir = dump_dir() if isinstance(target, _DirStore) else None
    fd, tmp = tempfile.mkstemp(dir=local_dir, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            writer = _HashingWriter(raw)
            # mtime=0: the same content gives the same bytes, hence the same ETag.
            with gzip.GzipFile(fileobj=writer, mode="wb", mtime=0) as out:  # type: ignore[arg-type]
                with agencies_read_once():
                    count = _write(out, fmt, datasets, profiles)
        etag = writer.sha.hexdigest()
        previous = info(fmt)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        meta = {
            "etag": etag,
            # An unchanged catalogue keeps its date, so conditional requests still match.
            "last_modified": previous["last_modified"]
            if previous and previous.get("etag") == etag
            else now,
            "built": now,
            "size": os.path.getsize(tmp),
            "datasets": count,
            "format": fmt,
        }
        target.put(_name(fmt), tmp)
        fd, tmp = tempfile.mkstemp(dir=local_dir, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        target.put(_name(fmt) + ".json", tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    log.info("DCAT dump %s: %s datasets, %s bytes", fmt, count, meta["size"])
    return meta


def build_all() -> dict[str, dict[str, Any]]:
    """Rebuild every dump format (the background job)."""
    return {fmt: build(fmt) for fmt in FORMATS}


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


def enqueue() -> Any:
    """Queue a rebuild on CKAN's job queue (RQ on Redis).

    :raises QueueUnavailable: when Redis does not answer; the current dump
        files stay as they are.
    """
    try:
        return tk.enqueue_job(
            build_all, title="nd47: rebuild the DCAT dump", rq_kwargs={"timeout": 6 * 3600}
        )
    except RedisError as e:
        log.error("DCAT dump rebuild not queued: %s", e)
        raise QueueUnavailable(queue_unavailable_message()) from e
