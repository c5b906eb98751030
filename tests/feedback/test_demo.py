"""The demo portal's feedback and data requests (scripts/demo/feedback.json) load,
once, with their answers; no visitor's e-mail address is public."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from ckan.tests import helpers

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "with_request_context"
)


def _demo_module():
    spec = importlib.util.spec_from_file_location("demo_data", ROOT / "scripts" / "demo_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_feedback_loads_once():
    module = _demo_module()
    module._load_all()
    data = json.loads((ROOT / "scripts" / "demo" / "feedback.json").read_text("utf-8"))
    stats = helpers.call_action("nd47_feedback_stats")
    assert stats["feedback"]["total"] == len(data["feedback"])
    assert stats["request"]["total"] == len(data["requests"])
    assert stats["feedback"]["answered"] == 1
    listed = helpers.call_action("nd47_data_request_list", context={"user": ""}, q="nha thuoc")
    assert listed["results"][0]["answers"]
    assert "@demo.nd47.invalid" not in json.dumps(
        helpers.call_action("nd47_feedback_list", context={"user": ""})
    )
    module._load_all()  # a second run adds nothing
    assert helpers.call_action("nd47_feedback_stats")["feedback"]["total"] == len(data["feedback"])
