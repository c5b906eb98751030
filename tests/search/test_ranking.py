"""Vietnamese search ranks what the person meant: the judged set, on the real Solr.

tests/search/judged.py holds 342 datasets and 99 queries with graded
relevance; the goal is nDCG@10 >= 0.95 (a quality threshold, not a timing).
"""

from __future__ import annotations

import pytest

from tests.search import judged


@pytest.mark.ckan_config("ckan.search.solr_commit", "false")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_judged_set_ranks_what_was_meant() -> None:
    items = judged.build()
    assert len(items) >= 300
    after = judged.evaluate(items)
    before = judged.evaluate(items, ranking=False)
    print(f"before: {before}\nafter:  {after}")
    assert after["queries"] >= 80
    assert after["ndcg_at_10"] >= 0.95, after["worst"]
    assert after["mrr"] > before["mrr"]
    assert after["ndcg_at_10"] > before["ndcg_at_10"]
