"""Every dataset of the demo portal (scripts/demo/) conforms to DCAT-AP 3 and round-trips."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest
from ckan.tests import helpers

from tests.dcat.conftest import PLUGINS
from tests.dcat.shacl import violations
from tests.dcat.test_profile import _field_values, _roundtrip, _schema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context"),
]


def _load_demo() -> None:
    """The demo portal exactly as scripts/demo_data.py loads it."""
    spec = importlib.util.spec_from_file_location(
        "demo_data", os.path.join(ROOT, "scripts", "demo_data.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._load_all()


def test_demo_datasets_conform_and_round_trip(app: Any) -> None:
    _load_demo()
    found = helpers.call_action("package_search", q="*:*", rows=1000, include_private=True)
    public = [d for d in found["results"] if not d["private"]]
    hidden = [d for d in found["results"] if d["private"]]
    assert public and hidden
    schema = _schema()
    for dataset in public:
        ttl = helpers.call_action("dcat_dataset_show", id=dataset["id"], format="ttl")
        assert violations(ttl) == [], dataset["name"]
        original = helpers.call_action("package_show", id=dataset["id"])
        parsed = _roundtrip(original)
        assert _field_values(parsed, schema["dataset_fields"]) == _field_values(
            original, schema["dataset_fields"]
        ), dataset["name"]
    catalog = app.get("/catalog.ttl?page=1").get_data(as_text=True)
    assert violations(catalog) == []
    for dataset in hidden:
        assert dataset["id"] not in catalog and dataset["title"] not in catalog
