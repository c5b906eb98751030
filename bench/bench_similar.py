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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fresh_site import fresh_site  # noqa: E402  (bench/ is the script's folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first ten queries only")
    args = parser.parse_args()

    os.chdir(ROOT)
    # before CKAN, whose own "tests" package would otherwise answer the import
    similar_eval = importlib.import_module("tests.logic.similar_eval")

    with fresh_site():
        data = similar_eval.load()
        if args.quick:
            data["queries"] = data["queries"][:10]
        user = similar_eval.build(data)
        result = similar_eval.evaluate(data, user["name"])
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
