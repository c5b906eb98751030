"""The plugin loads on the real stack and CKAN indexes into the real Solr."""

from __future__ import annotations

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.tests import helpers

from tests import factories


@pytest.mark.usefixtures("with_plugins")
def test_plugin_loads() -> None:
    assert plugins.plugin_loaded("nd47")
    assert plugins.plugin_loaded("scheming_datasets")
    assert plugins.plugin_loaded("dcat")


def test_solr_is_a_real_solr_9() -> None:
    base = tk.config["solr_url"].rsplit("/", 1)[0]
    info = requests.get(f"{base}/admin/info/system", params={"wt": "json"}, timeout=10).json()
    assert info["lucene"]["solr-spec-version"].startswith("9.")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_created_dataset_is_found_by_search() -> None:
    org = factories.Agency()
    fields = factories.dataset_fields(
        name="du-lieu-dan-cu",
        title="Dữ liệu dân cư tỉnh Nghệ An",
        notes="Số liệu dân cư theo xã",
        owner_org=org["id"],
        theme=["xa-hoi"],
    )
    dataset = helpers.call_action("package_create", **fields)
    result = helpers.call_action("package_search", q="Nghệ")
    assert result["count"] == 1
    assert result["results"][0]["id"] == dataset["id"]
    assert helpers.call_action("package_search", q="không-có-gì-như-thế")["count"] == 0


def test_redis_answers() -> None:
    from ckan.lib.redis import connect_to_redis

    assert connect_to_redis().ping() is True
