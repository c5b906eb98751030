"""Quality of "this data already exists" (``nd47_similar_datasets``) on the labelled set.

    CKAN_SQLALCHEMY_URL=postgresql://.../ckan_nd47_test_connect \
    CKAN_SOLR_URL=http://127.0.0.1:8983/solr/ckan_test_connect \
    .venv/bin/python bench/bench_similar.py [--quick]

It builds the agencies and datasets of ``tests/data/similar_pairs.json`` in the
database and Solr core it points at (which it WIPES first, like the tests; never
the demo), runs every query as a publisher of the querying agency, and prints
precision@5 (suggested datasets that hold the same data, over all suggestions),
recall (same-data pairs suggested, over all same-data pairs) and each query
that is not perfect. ``--quick`` runs the first ten queries only. Quality, not
timing: nothing here is timed. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first ten queries only")
    args = parser.parse_args()

    os.chdir(ROOT)
    # before CKAN, whose own "tests" package would otherwise answer the import
    similar_eval = importlib.import_module("tests.logic.similar_eval")
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib.search import clear_all
    from ckan.tests import helpers

    app = make_app(load_config(str(ROOT / "test.ini")))
    database = tk.config["sqlalchemy.url"].rsplit("/", 1)[-1]
    print(f"database: {database}\nsolr:     {tk.config['solr_url']}")
    if database == "ckan_nd47_dev":
        sys.exit("refusing to wipe the demo database ckan_nd47_dev")
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        helpers.reset_db()
        helpers.call_action("get_site_user", context={"ignore_auth": True})
        # the tables of every enabled plugin (dataset hooks read them)
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", str(ROOT / "test.ini")]
            + ["db", "pending-migrations", "--apply"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        clear_all()
        data = similar_eval.load()
        if args.quick:
            data["queries"] = data["queries"][:10]
        user = similar_eval.build(data)
        result = similar_eval.evaluate(data, user["name"])
        helpers.reset_db()
        clear_all()
    print(
        f"queries {result['queries']}, labelled pairs {result['pairs']}, "
        f"suggestions {result['returned']}"
    )
    print(f"precision@5 {result['precision_at_5']:.3f}   recall {result['recall']:.3f}")
    print("goal: precision@5 >= 0.8", "OK" if result["precision_at_5"] >= 0.8 else "NOT MET")
    for miss in result["misses"]:
        print("  ", miss)


if __name__ == "__main__":
    main()
