"""docs/plans.md draws the workflow that workflow.py defines."""

from __future__ import annotations

import re
from pathlib import Path

from ckanext.nd47.plans import workflow

DOC = Path(__file__).resolve().parents[2] / "docs" / "plans.md"


def test_diagram_matches_transitions():
    text = DOC.read_text(encoding="utf-8")
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn = set(re.findall(r"^\s+(\w+) --> (\w+)$", block, re.M))
    expected = {(s, t) for s, targets in workflow.ITEM_TRANSITIONS.items() for t in targets}
    assert drawn == expected


def test_every_status_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for code in workflow.ITEM_STATUSES:
        assert f"`{code}`" in text
