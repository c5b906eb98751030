"""Dataset records built in worker processes, so that a cold rebuild of the
dump uses every CPU.

The build (:func:`ckanext.nd47.dcat.dump.build_all`) lists the datasets,
reads them, stores the records and writes the files in one process; only the
records (building the graph, writing the three syntaxes, gzip: all CPU work)
are made by a :class:`Builder`. With ``jobs`` above 1 it forks that many
processes, which inherit the loaded CKAN (config, profiles, vocabularies)
and each open a database connection of their own (agencies are read through
CKAN's actions). Batches are submitted in dump order and their results taken
in that order, and a record's bytes depend only on its dataset: the dump is
byte for byte that of a one-process build.

Processes are forked when the first batch arrives, so an incremental build
with nothing to serialize starts none.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from rdflib.term import Node

from ckanext.nd47.dcat import records, serialize
from ckanext.nd47.dcat.profile import agencies_read_once

__all__ = ["Builder", "build_batch", "default_jobs"]

log = logging.getLogger(__name__)

Built = dict[str, dict[str, bytes]]


def default_jobs(jobs: int | None = None) -> int:
    """How many processes build records: ``jobs``, by default
    ``ckanext.nd47.dcat.dump_jobs``; 0 means the CPUs this process may use."""
    if jobs is None:
        jobs = int(tk.config.get("ckanext.nd47.dcat.dump_jobs"))
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_batch(
    dataset_dicts: list[dict[str, Any]],
    profiles: list[str] | None,
    catalog_ref: Node,
    prefixes: list[bytes],
) -> Built:
    """The records of ``dataset_dicts`` by package id; a dataset that cannot be
    serialized is logged and has none (it never stops the national feed)."""
    rdf_serializer = serialize.serializer(profiles)
    built: Built = {}
    with agencies_read_once():
        for dataset_dict in dataset_dicts:
            try:
                built[dataset_dict["id"]] = records.dataset_record(
                    rdf_serializer, catalog_ref, dataset_dict, prefixes
                )
            except Exception:
                log.exception("DCAT dump: dataset %s left out", dataset_dict.get("id"))
    return built


# In a forked process: the parent's session and connection pool, kept alive
# so that they are never garbage-collected there (a collected connection is
# rolled back or closed, and libpq would do it on the socket the parent
# still uses).
_INHERITED: list[Any] = []


def _start_child() -> None:
    """In a forked process: set the parent's database connections aside
    without touching them; the first query opens the child's own."""
    from ckan import model

    _INHERITED.extend((model.Session.registry(), model.meta.engine.pool))
    model.Session.registry.clear()
    model.meta.engine.dispose(close=False)


def _child_batch(args: tuple[Any, ...]) -> Built:
    from ckan import model

    try:
        return build_batch(*args)
    finally:
        model.Session.remove()  # the child's own session: no transaction left open


class Builder:
    """Builds batches of records in ``jobs`` processes (in this one when 1)."""

    def __init__(
        self, jobs: int, profiles: list[str] | None, catalog_ref: Node, prefixes: list[bytes]
    ) -> None:
        self.jobs = max(1, jobs)
        self.args = (profiles, catalog_ref, prefixes)
        self.pool: Any = None
        # Pages submitted ahead of the one being written: enough to keep
        # every process busy while the parent reads and writes.
        self.ahead = 0 if self.jobs == 1 else 2

    def submit(self, dataset_dicts: list[dict[str, Any]]) -> Callable[[], Built]:
        """Start building; returns what waits for the records."""
        if self.jobs == 1 or len(dataset_dicts) < 2:
            built = build_batch(dataset_dicts, *self.args)
            return lambda: built
        if self.pool is None:
            self.pool = multiprocessing.get_context("fork").Pool(
                self.jobs, initializer=_start_child
            )
        size = -(-len(dataset_dicts) // self.jobs)
        pending = [
            self.pool.apply_async(_child_batch, ((dataset_dicts[i : i + size], *self.args),))
            for i in range(0, len(dataset_dicts), size)
        ]

        def wait() -> Built:
            built: Built = {}
            for result in pending:
                built.update(result.get())
            return built

        return wait

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def terminate(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
