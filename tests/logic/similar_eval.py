"""The labelled set of "this data already exists" (tests/data/similar_pairs.json):
build it in the database, run ``nd47_similar_datasets`` on every query, score it.

Shared by tests/logic/test_similar.py and bench/bench_similar.py.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories

PAIRS_FILE = os.path.join(os.path.dirname(__file__), "..", "data", "similar_pairs.json")


def load() -> dict[str, Any]:
    with open(PAIRS_FILE, encoding="utf-8") as f:
        return json.load(f)


def build(data: dict[str, Any]) -> dict[str, Any]:
    """Create the agencies and datasets of the set; returns the querying publisher."""
    user = ckan_factories.User()
    agencies = {a["name"]: factories.Agency(**a) for a in data["agencies"]}
    factories.Agency(**data["query_agency"], users=[{"name": user["name"], "capacity": "editor"}])
    for item in data["datasets"]:
        factories.Dataset(
            name=item["key"],
            title=item["title"],
            owner_org=agencies[item["agency"]]["id"],
            tag_string=",".join(item["tags"]),
            theme=item["theme"],
            admin_units=item["admin_units"],
        )
    return user


def evaluate(data: dict[str, Any], user_name: str) -> dict[str, Any]:
    """Micro precision of the (up to 5) suggestions and recall of the "same" pairs."""
    returned = relevant_returned = relevant = 0
    misses: list[str] = []
    for query in data["queries"]:
        found = helpers.call_action(
            "nd47_similar_datasets",
            context={"user": user_name, "ignore_auth": False},
            title=query["title"],
            tag_string=",".join(query["tags"]),
            theme=query["theme"],
            admin_units=query["admin_units"],
            owner_org=data["query_agency"]["name"],
        )
        names = [d["name"] for d in found]
        same = set(query["same"])
        returned += len(names)
        relevant += len(same)
        relevant_returned += len(same & set(names))
        wrong = [n for n in names if n not in same]
        missed = sorted(same - set(names))
        if wrong or missed:
            misses.append(f"{query['title']!r}: wrong {wrong}, missed {missed}")
    return {
        "queries": len(data["queries"]),
        "pairs": sum(len(q["same"]) + len(q["different"]) for q in data["queries"]),
        "returned": returned,
        "precision_at_5": relevant_returned / returned if returned else 1.0,
        "recall": relevant_returned / relevant if relevant else 1.0,
        "misses": misses,
    }
