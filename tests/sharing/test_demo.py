"""The sharing demo (scripts/demo/sharing.json): two agencies with shared datasets,
one request in each state, and loading it twice changes nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from ckan.tests import helpers

from tests.sharing.conftest import PLUGINS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "app"),
]


def _demo_module() -> Any:
    spec = importlib.util.spec_from_file_location("demo_data", ROOT / "scripts" / "demo_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_has_a_request_in_each_state(sysadmin: dict[str, Any]) -> None:
    demo = _demo_module()
    assert demo._load_all() == 0
    context = {"user": sysadmin["name"]}
    requests = helpers.call_action("nd47_share_request_list", context)["results"]
    assert sorted(r["status"] for r in requests) == [
        "expired",
        "granted",
        "pending",
        "refused",
        "revoked",
    ]
    owners = {r["owner_org_name"] for r in requests}
    assert owners == {"ubnd-thanh-pho-ha-noi", "ubnd-tinh-nghe-an"}
    register = helpers.call_action("nd47_share_register", context)
    shared = {row["agency"]: row["shared_datasets"] for row in register["agencies"]}
    assert shared["ubnd-thanh-pho-ha-noi"] == 2
    assert shared["ubnd-tinh-nghe-an"] == 1
    demo._load_all()
    assert helpers.call_action("nd47_share_request_list", context)["count"] == 5
