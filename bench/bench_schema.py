"""Benchmark: package_create + package_show with the nd47 schema vs ckanext-dcat's
``dcat_ap_full.yaml``, in one run.

    make bench                                   # every benchmark, fresh database
    .venv/bin/python bench/run.py --only bench_schema [-- --n 40 --rounds 2]

It runs on the database and Solr core of ``CKAN_SQLALCHEMY_URL`` /
``CKAN_SOLR_URL``, which bench/run.py empties and initialises first (CKAN's
tables and every plugin's migrations); ``--quick`` runs it once at its
tiniest size (what the test suite does).

The baseline is the stock DCAT-AP stack (plugins ``scheming_datasets
scheming_organizations dcat`` with ``dcat_ap_full.yaml``); ours adds the
``nd47`` plugin with ``dataset.yaml`` (validators, vocabulary choices, rules,
chained actions, search folding). Both create a dataset of similar size with
one resource, then show it; the two configurations alternate ``--rounds``
times and the medians are compared, for wall-clock time and for the CPU time
of this process (the machine and its Solr are shared, so wall-clock time is
noisy; CPU time shows what our Python code costs). Solr commits are deferred
(``ckan.search.solr_commit = false``) in both configurations so that the
shared Solr's commit latency does not drown the difference; documents are
still sent to Solr synchronously.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRESETS = (
    "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml "
    "ckanext.nd47.schemas:presets.yaml"
)
COMMON = {"ckan.search.solr_commit": "false"}
CONFIGS: dict[str, dict[str, str]] = {
    "dcat_ap_full": {
        "ckan.plugins": "scheming_datasets scheming_organizations dcat",
        "scheming.dataset_schemas": "ckanext.dcat.schemas:dcat_ap_full.yaml",
        "scheming.organization_schemas": "ckanext.scheming:org_with_dept_id.json",
        "scheming.presets": "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml",
    },
    "nd47": {
        "ckan.plugins": "nd47 scheming_datasets scheming_organizations dcat",
        "scheming.dataset_schemas": "ckanext.nd47.schemas:dataset.yaml",
        "scheming.organization_schemas": "ckanext.nd47.schemas:agency.yaml",
        "scheming.presets": PRESETS,
    },
}


def _example(name: str) -> dict[str, Any]:
    with open(ROOT / "tests" / "data" / name, encoding="utf-8") as f:
        return json.load(f)


def _dcat_dataset(nd47: dict[str, Any]) -> dict[str, Any]:
    """The example dataset expressed in dcat_ap_full.yaml's fields."""
    keep = (
        "title",
        "notes",
        "tag_string",
        "license_id",
        "issued",
        "modified",
        "version",
        "identifier",
        "alternate_identifier",
        "documentation",
        "conforms_to",
        "provenance",
        "temporal_coverage",
        "spatial_coverage",
        "contact",
        "qualified_attribution",
    )
    data = {k: nd47[k] for k in keep}
    data.update(
        access_rights="http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        frequency="http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
        theme=["http://publications.europa.eu/resource/authority/data-theme/HEAL"],
        language=["http://publications.europa.eu/resource/authority/language/VIE"],
        applicable_legislation=["https://vanban.chinhphu.vn/?docid=199687"],
        publisher=[{"name": "Sở Y tế tỉnh Nghệ An", "email": "soyte@nghean.gov.vn"}],
        url=nd47["master_source"],
    )
    res = dict(nd47["resources"][0])
    res.pop("name_en")
    res.pop("description_en")
    res["status"] = "http://purl.org/adms/status/Completed"
    data["resources"] = [res]
    return data


def _setup(name: str) -> tuple[Any, dict[str, Any]]:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(str(ROOT / "test.ini"))
    conf.update(COMMON)
    conf.update(CONFIGS[name])
    app = make_app(conf)
    return app, conf


def _run(name: str, n: int, warm_up: int) -> tuple[list[float], list[float]]:
    import ckan.plugins.toolkit as tk
    from ckan.tests import helpers

    app, _conf = _setup(name)
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        user = helpers.call_action(
            "get_site_user", context={"ignore_auth": True, "defer_commit": False}
        )
        ctx = {"user": user["name"], "ignore_auth": True}
        if name == "nd47":
            agency = _example("example_agency.json")
            agency["name"] = agency["name"] + "-" + str(int(time.time() * 1000))
            agency["agency_identifier"] = f"000.{int(time.time() * 1000) % 10**9}.H41"
            agency.pop("parent_agency", None)
            base = _example("example_dataset.json")
        else:
            agency = {"name": f"bench-org-{int(time.time() * 1000)}", "title": "Sở Y tế"}
            base = _dcat_dataset(_example("example_dataset.json"))
        org = helpers.call_action("organization_create", context=dict(ctx), **agency)
        times, cpu = [], []
        for i in range(n + warm_up):
            data = json.loads(json.dumps(base))
            data["name"] = f"bench-{name.replace('_', '-')}-{time.time_ns()}-{i}"
            data["owner_org"] = org["id"]
            start, start_cpu = time.perf_counter(), time.process_time()
            created = tk.get_action("package_create")(dict(ctx), data)
            tk.get_action("package_show")(dict(ctx), {"id": created["id"]})
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            if i >= warm_up:
                times.append(elapsed)
                cpu.append(elapsed_cpu)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="datasets per round and schema")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="once, tiniest size (a smoke run)")
    args = parser.parse_args()
    warm_up = 3
    if args.quick:
        args.n, args.rounds, warm_up = 2, 1, 1

    os.chdir(ROOT)
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    make_app(load_config(str(ROOT / "test.ini")))
    # CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL are applied by make_app
    database = tk.config["sqlalchemy.url"].rsplit("/", 1)[-1]
    print(f"database: {database}\nsolr:     {tk.config['solr_url']}")
    if database == "ckan_nd47_dev":
        sys.exit("refusing to write benchmark datasets into the demo database ckan_nd47_dev")

    wall: dict[str, list[float]] = {name: [] for name in CONFIGS}
    cpu: dict[str, list[float]] = {name: [] for name in CONFIGS}
    for r in range(args.rounds):
        for name in CONFIGS:
            times, cpu_times = _run(name, args.n, warm_up)
            wall[name] += times
            cpu[name] += cpu_times
            print(
                f"round {r + 1} {name:13s} median wall {statistics.median(times) * 1000:7.1f} ms"
                f"  cpu {statistics.median(cpu_times) * 1000:7.1f} ms"
            )

    ratios = {}
    for label, results in (("wall", wall), ("cpu", cpu)):
        medians = {name: statistics.median(t) for name, t in results.items()}
        for name, t in results.items():
            q = statistics.quantiles(t, n=10)
            print(
                f"{label:4s} {name:13s} n={len(t):3d} median {medians[name] * 1000:7.1f} ms"
                f"  p10 {q[0] * 1000:7.1f}  p90 {q[-1] * 1000:7.1f}"
            )
        ratios[label] = medians["nd47"] / medians["dcat_ap_full"]
    for label, ratio in ratios.items():
        print(f"ratio nd47 / dcat_ap_full, {label} time (create + show, median): {ratio:.2f}x")
    print("goal: <= 1.20x", "OK" if max(ratios.values()) <= 1.2 else "NOT MET")


if __name__ == "__main__":
    main()
