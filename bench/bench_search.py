"""Vietnamese search: ranking quality (nDCG@10, MRR) and query latency, before and after.

    CKAN_SQLALCHEMY_URL=postgresql://.../ckan_nd47_test_core \\
    CKAN_SOLR_URL=http://127.0.0.1:8983/solr/ckan_test_core \\
    .venv/bin/python bench/bench_search.py [--quick] [--rounds 5]

It builds the judged set of tests/search/judged.py (342 datasets of 136
agencies, 99 queries with graded relevance) in the database and Solr core it
points at (which it WIPES first, like the tests; never the demo), then runs
every query as before the ranking existed (the folded query alone,
``ckanext.nd47.search_ranking = false``) and as now, ``--rounds`` times
alternating, and prints nDCG@10, MRR and the median query latency of
``package_search`` (10 rows, names only) for both. ``--quick`` builds 40
datasets and runs 10 queries once (a smoke run: its figures mean nothing).
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fresh_site import fresh_site  # noqa: E402  (bench/ is the script's folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 datasets, 10 queries, once")
    parser.add_argument("--rounds", type=int, default=5, help="runs of every query per mode")
    args = parser.parse_args()

    os.chdir(ROOT)
    # before CKAN, whose own "tests" package would otherwise answer the import
    judged = importlib.import_module("tests.search.judged")

    limit = 10 if args.quick else None
    rounds = 1 if args.quick else args.rounds
    # one commit after the build instead of one per dataset
    with fresh_site({"ckan.search.solr_commit": "false"}):
        items = judged.datasets()
        items = judged.build(items[:40] if args.quick else items)
        results: dict[str, list[dict]] = {"before": [], "after": []}
        for _round in range(rounds):
            for mode in results:
                results[mode].append(judged.evaluate(items, ranking=mode == "after", limit=limit))
    first = results["after"][0]
    print(f"datasets {first['datasets']}, queries {first['queries']}, rounds {rounds}")
    p50 = {}
    for mode, runs in results.items():
        p50[mode] = statistics.median(run["latency_p50"] for run in runs)
        print(
            f"{mode:6s} nDCG@10 {runs[0]['ndcg_at_10']:.3f}   MRR {runs[0]['mrr']:.3f}"
            f"   latency p50 {p50[mode] * 1000:.1f} ms"
        )
    ratio = p50["after"] / p50["before"]
    print(f"latency ratio after / before (p50): {ratio:.2f}x")
    ndcg = results["after"][0]["ndcg_at_10"]
    print("goal: nDCG@10 >= 0.95", "OK" if ndcg >= 0.95 else "NOT MET")
    print("goal: latency p50 <= 1.20x", "OK" if ratio <= 1.2 else "NOT MET")
    for query, score in results["after"][0]["worst"]:
        if score < 1:
            print(f"   {score:.3f}  {query}")


if __name__ == "__main__":
    main()
