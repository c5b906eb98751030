"""Benchmark: bulk import of N datasets from one .xlsx file vs N ``package_create`` calls.

    make bench                                   # every benchmark, fresh database
    .venv/bin/python bench/run.py --only bench_bulk [-- --n 1000]

It runs on the database and Solr core of ``CKAN_SQLALCHEMY_URL`` /
``CKAN_SOLR_URL``, which bench/run.py empties and initialises first;
``--quick`` runs it once at its tiniest size (what the test suite does).

Both sides run in the same process, with the plugins of test.ini, for an
agency of their own. The stock equivalent creates N datasets (each with one
resource) by calling ``package_create`` once per dataset, as a script using
the API would. The bulk side imports the same N datasets from one workbook
(``nd47_dataset_bulk_import``): reading the file, the first pass that sends
every row through the actions and rolls it back (the dry run, which makes the
import all-or-nothing), then the writes. Also timed: the dry run alone and a
re-import of the same file (every row unchanged, nothing written). Solr
commits are deferred (``ckan.search.solr_commit = false``) on both sides, as
in bench_schema, so the shared Solr's commit latency does not decide.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The columns filled, by field; the headers are the template's Vietnamese ones
FIELDS = (
    "title",
    "name",
    "notes",
    "sharing_class",
    "importance",
    "theme",
    "database_kind",
    "personal_data_reviewed",
    "frequency",
    "issued",
    "tag_string",
)
RESOURCE_FIELDS = ("dataset", "url", "name", "format")


def _dataset(prefix: str, i: int) -> dict[str, Any]:
    """Dataset i as package_create takes it (codes), and as a clerk types it (labels)."""
    name = f"{prefix}-{i:05d}"
    return {
        "name": name,
        "title": f"Dữ liệu thống kê số {i} ({prefix})",
        "notes": f"Số liệu thống kê số {i} của tỉnh, cập nhật hằng năm.",
        "sharing_class": "mo",
        "importance": "khac",
        "theme": ["y-te", "xa-hoi"],
        "database_kind": "dia-phuong",
        "personal_data_reviewed": True,
        "frequency": "ANNUAL",
        "issued": "2026-01-15",
        "tag_string": "thống kê, y tế",
        "resources": [
            {"url": f"https://example.gov.vn/{name}.csv", "name": "Số liệu", "format": "CSV"}
        ],
    }


def _workbook(datasets: list[dict[str, Any]]) -> bytes:
    import datetime

    import openpyxl

    from ckanext.nd47.logic import bulk

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = bulk.DATASETS_SHEET
    labels = {c.field: c.vi for c in bulk.dataset_columns()}
    sheet.append([labels[field] for field in FIELDS])
    resources = book.create_sheet(bulk.RESOURCES_SHEET)
    labels = {c.field: c.vi for c in bulk.resource_columns()}
    resources.append([labels[field] for field in RESOURCE_FIELDS])
    for data in datasets:
        sheet.append(
            [
                data["title"],
                data["name"],
                data["notes"],
                "Dữ liệu mở",
                "Dữ liệu khác",
                "Y tế, Xã hội",
                "Cơ sở dữ liệu địa phương",
                "Có",
                "Hằng năm",
                datetime.datetime(2026, 1, 15),
                data["tag_string"],
            ]
        )
        res = data["resources"][0]
        resources.append([data["name"], res["url"], res["name"], "CSV"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="datasets on each side")
    parser.add_argument("--quick", action="store_true", help="once, tiniest size (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.n = 3

    os.chdir(ROOT)
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.tests import helpers
    from werkzeug.datastructures import FileStorage

    conf = load_config(str(ROOT / "test.ini"))
    conf["ckan.search.solr_commit"] = "false"
    conf["ckanext.nd47.bulk_max_rows"] = str(max(args.n, 10))
    app = make_app(conf)
    database = tk.config["sqlalchemy.url"].rsplit("/", 1)[-1]
    print(f"database: {database}\nsolr:     {tk.config['solr_url']}")
    if database == "ckan_nd47_dev":
        sys.exit("refusing to write benchmark datasets into the demo database ckan_nd47_dev")

    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        user = helpers.call_action("get_site_user", context={"ignore_auth": True})
        ctx = {"user": user["name"]}

        def agency(name: str) -> dict[str, Any]:
            return tk.get_action("organization_create")(
                dict(ctx),
                {
                    "name": f"{name}-{time.time_ns()}",
                    "title": f"Sở {name}",
                    "agency_identifier": f"000.{time.time_ns() % 10**9}.H41",
                    "agency_level": "tinh",
                },
            )

        stock_org, bulk_org = agency("stock"), agency("bulk")
        stock = [_dataset("stock", i) for i in range(args.n)]
        start = time.perf_counter()
        for data in stock:
            tk.get_action("package_create")(dict(ctx), dict(data, owner_org=stock_org["id"]))
        one_by_one = time.perf_counter() - start

        data = _workbook([_dataset("bulk", i) for i in range(args.n)])
        timings = {}
        for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
            start = time.perf_counter()
            result = tk.get_action("nd47_dataset_bulk_import")(
                dict(ctx),
                {
                    "organization_id": bulk_org["id"],
                    "upload": FileStorage(io.BytesIO(data), filename="bo-du-lieu.xlsx"),
                    "dry_run": dry_run,
                },
            )
            timings[label] = time.perf_counter() - start
            print(
                f"{label:9s} {timings[label]:8.2f} s  created {result['created']}"
                f"  updated {result['updated']}  unchanged {result['unchanged']}"
            )
        # the re-import is the last result: the import must have left nothing to do
        assert result["unchanged"] == args.n, result

    print(f"package_create x {args.n} (one by one): {one_by_one:8.2f} s")
    print(f"file size: {len(data) / 1024:.0f} KiB for {args.n} datasets and resources")
    for label in ("dry run", "import", "re-import"):
        print(f"{label:9s} per dataset: {timings[label] / args.n * 1000:7.1f} ms")
    ratio = timings["import"] / one_by_one
    print(f"ratio bulk import / one-by-one package_create, wall time (n={args.n}): {ratio:.2f}x")


if __name__ == "__main__":
    main()
