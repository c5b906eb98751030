"""``ckan nd47-sharing register``: the register on the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ckanext.nd47.sharing.cli import sharing
from tests.sharing.conftest import PLUGINS, request_access, shared_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "app"),
]


def test_register_as_csv_and_json(cli, owner, requester) -> None:
    # the group itself: CKAN collects plugin commands when the CLI starts,
    # before this test enables nd47_sharing
    request_access(requester, shared_dataset(owner))
    result = cli.invoke(sharing, ["register"])
    assert result.exit_code == 0, result.output
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")))}
    assert rows[owner.org["name"]]["requests_received"] == "1"
    result = cli.invoke(sharing, ["register", "--format", "json", "--org", requester.org["name"]])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["agency"] for row in data["agencies"]] == [requester.org["name"]]
    assert data["agencies"][0]["requests_made"] == 1
