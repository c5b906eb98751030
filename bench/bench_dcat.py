"""Benchmark: our DCAT output (euro_dcat_ap_3 + nd47) against stock euro_dcat_ap_3.

Run: ``.venv/bin/python bench/bench_dcat.py`` for the figures of
docs/benchmarks.md, or with ``--quick`` (two datasets, one run per side, a
two-dataset dump) to check that it still works: it exits 0 on success.

What it measures, on the same generated datasets in the same run:

- per-dataset serialization (Turtle, JSON-LD), as ``/dataset/<id>.<fmt>`` does;
- a catalogue page of 100 datasets (Turtle, JSON-LD), as ``/catalog.<fmt>`` does;
- the cost per dataset of pages of 25 to 400 datasets (linearity);
- the incremental dump (Turtle, N-Triples, RDF/XML) of ``--dump-n``
  datasets: cold, after ``--changed`` datasets changed, unchanged; then at
  each ``--clone-to`` size, records copied in SQL (``dump_worker``): wall
  clock, CPU time and peak memory;
- rdflib against pyoxigraph on a record's serializations (``rdflibs``;
  skipped when pyoxigraph is not installed).

Why datasets are built in memory rather than created in a database: the
question is the cost of the serializers, and both sides get identical dicts
(the stock side in ``dcat_ap_full.yaml`` shape: URIs instead of our codes),
without the minutes of ``package_create`` and Solr indexing a 1,000- or
10,000-dataset portal would cost on shared machines. Each side runs in its own
process because the two need different scheming schemas for the ``dataset``
type (ours, and ckanext-dcat's ``dcat_ap_full.yaml``); the processes run one
after the other, twice each (A B A B), and the best of the two is kept.

Configuration: each side's CKAN config file extends ``--ckan-ini`` (default
the repository's ``test.ini``) with the plugins, schema and profiles of that
side. The database, Solr core and Redis come from the environment variables
``CKAN_SQLALCHEMY_URL``, ``CKAN_SOLR_URL`` and ``CKAN_REDIS_URL`` (as ``make
test`` sets them), by default the database ``ckan_nd47_bench`` and the Solr
core ``ckan_bench`` of the local services; they must exist and may be empty:
the script initialises the database and creates the one agency it needs (the
publisher), and changes nothing else there.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests.ini import write_ini  # noqa: E402 - the repository root first

# CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL / CKAN_REDIS_URL of the calling environment
# (as ``make test`` sets them) choose another database, core and Redis.
DB_URL = os.environ.get(
    "CKAN_SQLALCHEMY_URL", "postgresql://ckan_nd47:ckan_nd47@127.0.0.1:5433/ckan_nd47_bench"
)
SOLR_URL = os.environ.get("CKAN_SOLR_URL", "http://127.0.0.1:8983/solr/ckan_bench")
REDIS_URL = os.environ.get("CKAN_REDIS_URL", "redis://127.0.0.1:6380/1")
EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["y-te", "giao-duc-dao-tao", "moi-truong", "nong-nghiep", "tai-chinh", "xa-hoi"]
FREQUENCIES = ["ANNUAL", "QUARTERLY", "MONTHLY", "IRREG"]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("XLSX", None), ("PDF", None)]


def _ini(side: str, tmp: str, base: str) -> str:
    ours = side != "stock"
    options = {
        "sqlalchemy.url": DB_URL,
        "solr_url": SOLR_URL,
        "ckan.redis.url": REDIS_URL,
        "ckan.site_url": "https://data.example.gov.vn",
        "ckan.plugins": "nd47 nd47_dcat scheming_datasets scheming_organizations dcat"
        if ours
        else "nd47 scheming_datasets scheming_organizations dcat",
        "scheming.dataset_schemas": "ckanext.nd47.schemas:dataset.yaml"
        if ours
        else "ckanext.dcat.schemas:dcat_ap_full.yaml",
        "scheming.organization_schemas": "ckanext.nd47.schemas:agency.yaml",
        "ckanext.dcat.rdf.profiles": "euro_dcat_ap_3 nd47" if ours else "euro_dcat_ap_3",
        "ckan.storage_path": tmp,
    }
    return str(write_ini(os.path.join(tmp, f"bench-{side}.ini"), options, base=base))


# ------------------------------------------------------------------ datasets


@functools.cache
def _example() -> dict[str, Any]:
    with open(os.path.join(ROOT, "tests", "data", "example_dataset.json"), encoding="utf-8") as f:
        return json.load(f)


def make_dataset(i: int, org: dict[str, Any]) -> dict[str, Any]:
    """Dataset ``i``: the contract's example with varied values and 1-4 resources."""
    base = _example()
    data = copy.deepcopy(base)
    ds_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"nd47-bench-{i}"))
    data.update(
        id=ds_id,
        name=f"bo-du-lieu-{i}",
        title=f"{base['title']} ({i})",
        type="dataset",
        state="active",
        private=False,
        owner_org=org["id"],
        organization=org,
        theme=[THEMES[i % len(THEMES)], THEMES[(i + 2) % len(THEMES)]],
        frequency=FREQUENCIES[i % len(FREQUENCIES)],
        tags=[{"name": t} for t in base["tag_string"].split(",")],
        metadata_created=f"2025-01-01T00:00:{i % 60:02d}",
        metadata_modified=f"2025-06-01T00:00:{i % 60:02d}",
    )
    resources = []
    for r in range(1 + i % 4):
        res = copy.deepcopy(base["resources"][0])
        fmt, mimetype = FORMATS[r % len(FORMATS)]
        res.update(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"nd47-bench-{i}-{r}")),
            package_id=ds_id,
            format=fmt,
            mimetype=mimetype or "",
            size=1000 * (r + 1),
        )
        resources.append(res)
    data["resources"] = resources
    return data


def to_stock(data: dict[str, Any]) -> dict[str, Any]:
    """The same dataset as a portal on ``dcat_ap_full.yaml`` stores it (URIs)."""
    from ckanext.nd47 import vocab

    out = copy.deepcopy(data)
    out["theme"] = [vocab.eu_theme_uri(vocab.term("themes", t)) for t in data["theme"]]
    out["frequency"] = EU + "frequency/" + data["frequency"]
    out["language"] = [EU + "language/" + c for c in data["language"]]
    out["access_rights"] = EU + "access-right/" + data["access_rights"]
    for res in out["resources"]:
        res["language"] = [EU + "language/" + c for c in res.get("language", [])]
        res["license"] = ""
    return out


# ------------------------------------------------------------------ worker


def _org() -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    with open(os.path.join(ROOT, "tests", "data", "example_agency.json"), encoding="utf-8") as f:
        agency = json.load(f)
    # The parent agency is not part of the DCAT output, and an empty bench
    # database does not have it.
    agency.pop("parent_agency", None)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})

    def context() -> dict[str, Any]:
        # One context per call: CKAN audits the auth calls of each action in it.
        return {"user": site_user["name"], "ignore_auth": True}

    try:
        return tk.get_action("organization_show")(context(), {"id": agency["name"]})
    except tk.ObjectNotFound:
        return tk.get_action("organization_create")(context(), agency)


def _timed(fn: Any, repeat: int = 1) -> float:
    """CPU time of this process (seconds): on a shared machine wall-clock time
    varies with the other jobs, while serialization is pure CPU work."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def worker(side: str, n: int) -> dict[str, Any]:
    from ckanext.dcat.processors import RDFSerializer

    org = _org()
    datasets = [make_dataset(i, org) for i in range(n)]
    if side == "stock":
        datasets = [to_stock(d) for d in datasets]

        def one(d: dict[str, Any], fmt: str) -> str:
            return RDFSerializer().serialize_dataset(d, _format=fmt)

        def page(ds: list[dict[str, Any]], fmt: str) -> str:
            return RDFSerializer().serialize_catalog({}, ds, _format=fmt)

    else:
        from ckanext.nd47.dcat import serialize

        def one(d: dict[str, Any], fmt: str) -> str:
            return serialize.serialize_dataset(d, fmt)

        def page(ds: list[dict[str, Any]], fmt: str) -> str:
            return serialize.serialize_catalog(ds, fmt)

    results: dict[str, Any] = {"side": side, "n": n}
    for fmt in ("ttl", "jsonld"):
        one(datasets[0], fmt)  # warm-up (imports, org cache, schema)
        total = _timed(lambda fmt=fmt: [one(d, fmt) for d in datasets])
        results[f"dataset_{fmt}_ms"] = 1000 * total / n
        pages = [datasets[i : i + 100] for i in range(0, n, 100)]
        total = _timed(lambda fmt=fmt, pages=pages: [page(p, fmt) for p in pages])
        results[f"page100_{fmt}_s"] = total / len(pages)
    # Linearity: cost per dataset of one page of each size (Turtle).
    results["per_dataset_ms_by_page_size"] = {
        size: 1000 * _timed(lambda size=size: page(datasets[:size], "ttl")) / size
        for size in (25, 50, 100, 200, 400)
        if size <= n
    }
    # What each side emits for the same dataset.
    import rdflib

    graph = rdflib.Graph().parse(data=one(datasets[0], "ttl"), format="turtle")
    results["triples_per_dataset"] = len(graph)
    return results


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_cpu() -> float:
    """CPU seconds of the child processes waited for (the dump's builders)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children_rss_mb() -> float:
    """Peak RSS of the largest child process waited for."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def dump_worker(n: int, changed: int, clone_to: list[int], jobs: list[int]) -> dict[str, Any]:
    """The incremental dump: cold build of every format, then a rebuild after
    ``changed`` datasets changed, then one with nothing changed; then, for
    each size of ``clone_to``, the same two rebuilds at that size.

    The listing (id, modification time, agency) and the full dicts are
    generated here rather than read from Solr (see the module docstring):
    the records table is the real one, in the bench database. To reach
    ``clone_to`` datasets without serializing them all, the stored records
    are copied in SQL under new ids, with the stamps the listing of those ids
    gives (same modification time and agency as the dataset copied); the
    copies' bytes name the copied dataset, which changes no cost.
    """
    from ckan import model
    from sqlalchemy import text

    from ckanext.nd47.dcat import dump

    org = _org()
    # Position in the listing -> (package id, generated dataset it is built from).
    items = [(str(uuid.uuid5(uuid.NAMESPACE_URL, f"nd47-bench-{i}")), i) for i in range(n)]
    where = {package_id: k for k, (package_id, _i) in enumerate(items)}
    touched: dict[int, int] = {}  # position -> generation of its last change

    def modified(k: int) -> str:
        return f"2025-06-01T00:{touched.get(k, 0):02d}:{items[k][1] % 60:02d}"

    def change(generation: int) -> None:
        step = max(1, len(items) // changed)
        for k in range(0, len(items), step)[:changed]:
            touched[k] = generation

    def listing() -> Iterator[dict[str, Any]]:
        for k, (package_id, _i) in enumerate(items):
            yield {"id": package_id, "metadata_modified": modified(k), "owner_org": org["id"]}

    def fetch(wanted: list[str]) -> dict[str, dict[str, Any]]:
        out = {}
        for package_id in wanted:
            k = where[package_id]
            data = make_dataset(items[k][1], org)
            data["id"] = package_id
            data["metadata_modified"] = modified(k)
            if touched.get(k):
                data["title"] += f" v{touched[k]}"  # a change the output shows
            out[package_id] = data
        return out

    def run(label: str, processes: int = 1) -> dict[str, Any]:
        # Wall clock (the build also waits on PostgreSQL) and CPU time of this
        # process and of the builder processes it waited for (on a shared
        # machine, wall clock follows the other jobs).
        start = time.perf_counter()
        cpu = time.process_time() + _children_cpu()
        metas = dump.build_all(datasets=listing(), fetch=fetch, jobs=processes)
        return {
            "label": label,
            "jobs": processes,
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() + _children_cpu() - cpu,
            "children_peak_rss_mb": _children_rss_mb(),
            "bytes": {fmt: meta["size"] for fmt, meta in metas.items()},
            "etags": {fmt: meta["etag"] for fmt, meta in metas.items()},
            "datasets": metas["ttl"]["datasets"],
            "serialized": metas["ttl"]["serialized"],
            "peak_rss_mb": _rss_mb(),
        }

    out: dict[str, Any] = {"n": n, "changed": changed, "rss_before_mb": _rss_mb()}
    for processes in jobs[1:]:
        dump.forget_all()
        out[f"cold_jobs{processes}"] = run(f"cold, {n}, jobs={processes}", processes)
    dump.forget_all()
    out["cold"] = run(f"cold, {n}, jobs={jobs[0]}", jobs[0])
    out["same_bytes_any_jobs"] = all(
        out[f"cold_jobs{processes}"]["etags"] == out["cold"]["etags"] for processes in jobs[1:]
    )
    change(1)
    out["incremental"] = run(f"{changed} changed of {n}")
    out["unchanged"] = run(f"nothing changed, {n}")
    if n <= 2000:
        # Same datasets, cold: the bytes must be those of the incremental build.
        dump.forget_all()
        out["cold_again"] = run(f"cold again, {n}")
        out["identical"] = out["cold_again"]["etags"] == out["incremental"]["etags"]
    for size in clone_to:
        if size <= len(items):
            continue
        # Copy the first n records (the generated datasets) under new ids.
        first = len(items) // n
        copies = -(-size // n) - first
        model.Session.execute(
            text(
                "INSERT INTO nd47_dcat_record (package_id, stamp, ttl, nt, rdf) "
                "SELECT package_id || '-' || g, stamp, ttl, nt, rdf "
                "FROM nd47_dcat_record, generate_series(:first, :last) AS g "
                "WHERE package_id NOT LIKE '%-%-%-%-%-%'"
            ),
            {"first": first, "last": first + copies - 1},
        )
        model.Session.commit()
        for g in range(first, first + copies):
            for k in range(n):
                package_id = f"{items[k][0]}-{g}"
                where[package_id] = len(items)
                if touched.get(k):
                    touched[len(items)] = touched[k]
                items.append((package_id, items[k][1]))
        out[f"unchanged_{len(items)}"] = run(f"nothing changed, {len(items)}")
        change(len(out))
        out[f"incremental_{len(items)}"] = run(f"{changed} changed of {len(items)}")
    return out


def profile_worker(n: int, jobs: int = 1) -> dict[str, Any]:
    """A cold build of ``n`` generated datasets under cProfile: where a
    record's CPU time goes (the functions with the most cumulative time,
    in ms per record, printed on stderr; the totals returned)."""
    import cProfile
    import io
    import pstats

    from ckanext.nd47.dcat import dump

    org = _org()
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"nd47-profile-{i}")) for i in range(n)]
    datasets = []
    for i, package_id in enumerate(ids):
        data = make_dataset(i, org)
        data["id"] = package_id
        datasets.append(data)
    dump.forget_all()
    profiler = cProfile.Profile()
    start, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    dump.build_all(datasets=datasets, jobs=jobs)
    profiler.disable()
    out = {"n": n, "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats("ckanext/nd47/", 40)  # ours alone
    print(stream.getvalue(), file=sys.stderr)
    return out


def rdf_libraries_worker(n: int) -> dict[str, Any]:
    """rdflib against pyoxigraph on the dump's own work: serializing one
    dataset's graph in each dump format, and parsing it back (CPU ms per
    dataset). The graph itself is built by ckanext-dcat's profiles in rdflib
    either way; pyoxigraph's side includes converting it."""
    try:
        import pyoxigraph as ox
    except ImportError:
        return {"skipped": "pyoxigraph is not installed (pip install pyoxigraph)"}
    import rdflib

    from ckanext.nd47.dcat import records, serialize
    from ckanext.nd47.dcat.profile import agencies_read_once
    from ckanext.nd47.dcat.turtle import serialize_turtle

    org = _org()
    rdf_serializer = serialize.serializer()
    graphs = []
    with agencies_read_once():
        build = _timed(
            lambda: graphs.extend(
                records.stable_graph(serialize.dataset_graph(rdf_serializer, d)[0], d["id"])
                for d in (make_dataset(i, org) for i in range(n))
            )
        )

    def to_ox(graph: rdflib.Graph) -> list[Any]:
        def term(node: Any) -> Any:
            if isinstance(node, rdflib.URIRef):
                return ox.NamedNode(str(node))
            if isinstance(node, rdflib.BNode):
                return ox.BlankNode(str(node))
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))

        return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]

    prefixes = {p: str(ns) for p, ns in graphs[0].namespaces() if p}
    ms = {"graph_build_ms": 1000 * build / n}
    ms["rdflib_ttl_ms"] = 1000 * _timed(lambda: [serialize_turtle(g) for g in graphs]) / n
    ms["rdflib_nt_ms"] = 1000 * _timed(lambda: [records.ntriples(g) for g in graphs]) / n
    ms["rdflib_rdfxml_ms"] = (
        1000 * _timed(lambda: [b"".join(records.rdfxml_children(g)) for g in graphs]) / n
    )
    ms["ox_convert_ms"] = 1000 * _timed(lambda: [to_ox(g) for g in graphs]) / n
    triples = [to_ox(g) for g in graphs]
    for key, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
        ms[f"ox_{key}_ms"] = (
            1000
            * _timed(
                lambda fmt=fmt: [
                    ox.serialize(
                        t, format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TURTLE else None
                    )
                    for t in triples
                ]
            )
            / n
        )
    ms["ox_rdfxml_ms"] = (
        1000 * _timed(lambda: [ox.serialize(t, format=ox.RdfFormat.RDF_XML) for t in triples]) / n
    )
    nts = [records.ntriples(g) for g in graphs]
    ms["rdflib_parse_nt_ms"] = (
        1000 * _timed(lambda: [rdflib.Graph().parse(data=t, format="nt") for t in nts]) / n
    )
    ms["ox_parse_nt_ms"] = (
        1000 * _timed(lambda: [list(ox.parse(t, format=ox.RdfFormat.N_TRIPLES)) for t in nts]) / n
    )
    ms["n"] = n
    ms["pyoxigraph"] = ox.__version__
    return ms


def _run_in_ckan(ini: str, fn: Any, *args: Any) -> Any:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        return fn(*args)


# ------------------------------------------------------------------ parent


def _child(args: list[str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if out.returncode:
        sys.exit(f"worker {args} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="datasets (default 1000)")
    parser.add_argument("--dump-n", type=int, default=10000, help="datasets in the dump")
    parser.add_argument("--skip-dump", action="store_true", help="no 10,000-dataset dump")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiniest run (2 datasets, one run per side, 2-dataset dump): does it still work?",
    )
    parser.add_argument(
        "--ckan-ini",
        default=os.path.join(ROOT, "test.ini"),
        help="CKAN config file each side's config extends (default: test.ini)",
    )
    parser.add_argument(
        "--changed", type=int, default=100, help="datasets changed before the incremental dump"
    )
    parser.add_argument(
        "--clone-to",
        type=lambda v: [int(x) for x in v.split(",") if x],
        default=[],
        help="sizes, e.g. 10000,100000: copy the dump's records in SQL up to each and rebuild",
    )
    parser.add_argument(
        "--jobs",
        type=lambda v: [int(x) for x in v.split(",") if x],
        default=[1],
        help="processes building the dump's records, e.g. 1,2: a cold build with each "
        "(the first is the one the incremental builds follow); the bytes must be the same",
    )
    parser.add_argument("--skip-compare", action="store_true", help="only the dump (and rdflibs)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="only a cold build of this many datasets under cProfile (printed on stderr)",
    )
    parser.add_argument("--worker", choices=["stock", "nd47", "dump", "rdflibs", "profile"])
    parser.add_argument("--ini")
    args = parser.parse_args()
    rounds = 2
    if args.quick:
        args.n, args.dump_n, args.changed, rounds = 2, 2, 1, 1
        args.clone_to = [size for size in args.clone_to if size <= 4]
        args.jobs = args.jobs[:1]

    if args.worker:
        import logging

        logging.disable(logging.WARNING)
        if args.worker == "dump":
            result = _run_in_ckan(
                args.ini, dump_worker, args.dump_n, args.changed, args.clone_to, args.jobs
            )
        elif args.worker == "profile":
            result = _run_in_ckan(args.ini, profile_worker, args.profile, args.jobs[0])
        elif args.worker == "rdflibs":
            result = _run_in_ckan(args.ini, rdf_libraries_worker, args.n)
        else:
            result = _run_in_ckan(args.ini, worker, args.worker, args.n)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        inis = {side: _ini(side, tmp, args.ckan_ini) for side in ("stock", "nd47")}
        subprocess.run(
            [
                os.path.join(os.path.dirname(sys.executable), "ckan"),
                "-c",
                inis["nd47"],
                "db",
                "init",
            ],
            check=True,
            capture_output=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("CKAN_")},
        )
        if args.profile:
            argv = ["--worker", "profile", "--profile", str(args.profile), "--ini", inis["nd47"]]
            env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
            subprocess.run([sys.executable, os.path.abspath(__file__), *argv], env=env, cwd=ROOT)
            return
        best = None
        if not args.skip_compare:
            best = _compare(args.n, rounds, inis)
        argv = [
            "--worker",
            "dump",
            "--dump-n",
            str(args.dump_n),
            "--changed",
            str(args.changed),
            "--clone-to",
            ",".join(str(size) for size in args.clone_to),
            "--jobs",
            ",".join(str(j) for j in args.jobs),
            "--ini",
            inis["nd47"],
        ]
        dump_result = None if args.skip_dump else _child(argv)
        libs = _child(["--worker", "rdflibs", "--n", str(min(args.n, 300)), "--ini", inis["nd47"]])

    if best is not None:
        _print_compare(best, args.n, rounds)
    print("\nrdflib vs pyoxigraph, CPU ms per dataset:")
    print(
        "  "
        + "  ".join(
            f"{k}: {v:.2f}" if isinstance(v, float) else f"{k}: {v}" for k, v in libs.items()
        )
    )
    if dump_result is not None:
        print(f"\nIncremental dump of {dump_result['n']} datasets, all formats (wall clock):")
        for d in dump_result.values():
            if not isinstance(d, dict) or "label" not in d:
                continue
            sizes = ", ".join(f"{fmt} {size / 1e6:.1f} MB" for fmt, size in d["bytes"].items())
            print(
                f"  {d['label']}: {d['seconds']:.1f} s wall, {d['cpu_seconds']:.1f} s CPU, "
                f"{d['datasets']} datasets ({d['serialized']} serialized), "
                f"gzip {sizes}, peak RSS {d['peak_rss_mb']:.0f} MB "
                f"(builder processes {d['children_peak_rss_mb']:.0f} MB)"
            )
        if not dump_result.get("same_bytes_any_jobs", True):
            sys.exit("the dump differs with the number of processes")
        if "identical" in dump_result:
            print(f"  cold and incremental bytes identical: {dump_result['identical']}")
            if not dump_result["identical"]:
                sys.exit("the incremental dump differs from the cold one")
    print(json.dumps({"best": best, "dump": dump_result, "rdflibs": libs}))


def _compare(n: int, rounds: int, inis: dict[str, str]) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"stock": [], "nd47": []}
    for _ in range(rounds):
        for side in ("stock", "nd47"):
            runs[side].append(_child(["--worker", side, "--n", str(n), "--ini", inis[side]]))
    return {
        side: {
            key: min(r[key] for r in results) for key in results[0] if key.endswith(("_ms", "_s"))
        }
        | {
            "per_dataset_ms_by_page_size": results[0]["per_dataset_ms_by_page_size"],
            "triples_per_dataset": results[0]["triples_per_dataset"],
        }
        for side, results in runs.items()
    }


def _print_compare(best: dict[str, Any], n: int, rounds: int) -> None:
    print(f"{n} datasets, CPU time, best of {rounds} runs per side\n")
    print(f"{'measure':<22}{'stock':>12}{'nd47':>12}{'ratio':>8}")
    for key in ("dataset_ttl_ms", "dataset_jsonld_ms", "page100_ttl_s", "page100_jsonld_s"):
        s, o = best["stock"][key], best["nd47"][key]
        print(f"{key:<22}{s:>12.3f}{o:>12.3f}{o / s if s else float('nan'):>8.2f}")
    print(
        f"{'triples per dataset':<22}{best['stock']['triples_per_dataset']:>12}"
        f"{best['nd47']['triples_per_dataset']:>12}"
    )
    print("\nTurtle page: ms per dataset by page size")
    for side in ("stock", "nd47"):
        sizes = best[side]["per_dataset_ms_by_page_size"]
        print(f"  {side:<6}" + "  ".join(f"{k}: {v:.2f}" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
