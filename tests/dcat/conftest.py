"""Fixtures of the DCAT tests: the example agency and dataset of the field contract."""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest
from ckan.tests import factories, helpers

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
PLUGINS = "nd47 nd47_dcat scheming_datasets scheming_organizations dcat"


def example(name: str) -> dict[str, Any]:
    with open(os.path.join(DATA, f"example_{name}.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def sysadmin_user() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def make_agency(sysadmin_user: dict[str, Any]) -> Any:
    def make(**overrides: Any) -> dict[str, Any]:
        data = dict(example("agency"), **overrides)
        # The parent agency is not part of the DCAT output; it would have to exist first.
        data.pop("parent_agency", None)
        return helpers.call_action("organization_create", {"user": sysadmin_user["name"]}, **data)

    return make


@pytest.fixture
def make_dataset(sysadmin_user: dict[str, Any]) -> Any:
    def make(owner_org: str, **overrides: Any) -> dict[str, Any]:
        data = copy.deepcopy(example("dataset"))
        data.update(overrides, owner_org=owner_org)
        return helpers.call_action("package_create", {"user": sysadmin_user["name"]}, **data)

    return make


@pytest.fixture
def dump_dir(tmp_path: Any, ckan_config: Any, monkeypatch: Any) -> str:
    """The dump files of this test in a directory of its own."""
    monkeypatch.setitem(ckan_config, "ckanext.nd47.dcat.dump_dir", str(tmp_path))
    return str(tmp_path)
