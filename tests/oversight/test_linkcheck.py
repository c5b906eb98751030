"""The link checker against a local HTTP server the test starts."""

from __future__ import annotations

import os
import threading

import pytest
import yaml
from ckan.tests import helpers

from ckanext.nd47.oversight import linkcheck, service
from tests import factories as nd47_factories
from tests.oversight.conftest import LINKCHECK_CONFIG, complete_dataset


def _declared_default(key: str) -> str:
    path = os.path.join(os.path.dirname(linkcheck.__file__), "config_declaration.yaml")
    with open(path, encoding="utf-8") as f:
        options = yaml.safe_load(f)["groups"][0]["options"]
    return next(option["default"] for option in options if option["key"] == key)


def _config(**extra: str):
    def wrap(cls):
        for key, value in {**LINKCHECK_CONFIG, **extra}.items():
            cls = pytest.mark.ckan_config(key, value)(cls)
        return cls

    return wrap


@pytest.mark.usefixtures("with_plugins")
@_config()
class TestCheckUrl:
    def test_200(self, http_server):
        result = linkcheck.check_url(f"{http_server.url}/ok")
        assert (result.outcome, result.status_code, result.method) == ("ok", 200, "HEAD")
        assert http_server.requests == [("HEAD", "/ok")]

    def test_301_to_200(self, http_server):
        result = linkcheck.check_url(f"{http_server.url}/moved")
        assert (result.outcome, result.status_code) == ("ok", 200)
        assert http_server.requests == [("HEAD", "/moved"), ("HEAD", "/ok")]

    def test_404_is_broken_and_not_retried(self, http_server):
        result = linkcheck.check_url(f"{http_server.url}/missing")
        assert (result.outcome, result.status_code, result.attempts) == ("broken", 404, 1)
        # HEAD refused: asked again with GET before giving up
        assert http_server.requests == [("HEAD", "/missing"), ("GET", "/missing")]

    def test_500_is_retried(self, http_server):
        result = linkcheck.check_url(f"{http_server.url}/error")
        assert (result.outcome, result.status_code, result.attempts) == ("broken", 500, 2)

    def test_head_refused_falls_back_to_get(self, http_server):
        result = linkcheck.check_url(f"{http_server.url}/no-head")
        assert (result.outcome, result.status_code, result.method) == ("ok", 200, "GET")

    def test_slow_past_the_timeout(self, http_server, ckan_config):
        ckan_config["ckanext.nd47.oversight.linkcheck.timeout"] = "0.3"
        http_server.slow_seconds = 1.5
        result = linkcheck.check_url(f"{http_server.url}/slow")
        assert (result.outcome, result.error, result.attempts) == ("broken", "timeout", 2)

    def test_network_error(self):
        # port 9 (discard) on the loopback: nothing listens
        result = linkcheck.check_url("http://127.0.0.1:9/x")
        assert result.outcome == "broken"
        assert result.status_code is None and result.error

    def test_deny_list(self, http_server, ckan_config):
        ckan_config["ckanext.nd47.oversight.linkcheck.deny"] = "127.0.0.1"
        result = linkcheck.check_url(f"{http_server.url}/ok")
        assert result.outcome == "skipped"
        assert http_server.requests == []

    def test_allow_list(self, http_server, ckan_config):
        ckan_config["ckanext.nd47.oversight.linkcheck.allow"] = "*.gov.vn"
        assert linkcheck.check_url(f"{http_server.url}/ok").outcome == "skipped"
        assert linkcheck.host_allowed("data.hanoi.gov.vn")

    def test_the_default_deny_list_keeps_off_the_local_network(self, ckan_config):
        ckan_config["ckanext.nd47.oversight.linkcheck.deny"] = _declared_default(
            "ckanext.nd47.oversight.linkcheck.deny"
        )
        for host in ("localhost", "127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254"):
            assert not linkcheck.host_allowed(host)
        assert linkcheck.host_allowed("data.gov.vn")

    @pytest.mark.parametrize("limit", [1, 2])
    def test_the_per_host_limit_holds_across_workers(self, http_server, ckan_config, limit):
        ckan_config["ckanext.nd47.oversight.linkcheck.host_concurrency"] = str(limit)
        http_server.hold_seconds = 0.2
        results = []

        def worker(n: int) -> None:
            results.append(linkcheck.check_url(f"{http_server.url}/ok?n={n}"))

        # threads stand for workers: the slots are counted in Redis, not in the process
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [r.outcome for r in results] == ["ok"] * 5
        assert http_server.max_active == limit


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@_config()
class TestDatasetLinks:
    def test_results_are_stored_with_history(self, http_server):
        org = nd47_factories.Agency()
        pkg = complete_dataset(org["id"], url=http_server.url)
        res = pkg["resources"][0]
        helpers.call_action("resource_patch", id=res["id"], access_url=f"{http_server.url}/missing")
        service.check_links(pkg["id"])
        service.check_links(pkg["id"])
        latest = helpers.call_action("nd47_link_check_list", id=pkg["id"])
        by_field = {row["field"]: row for row in latest}
        assert set(by_field) == {"url", "access_url"}  # download_url repeats url: checked once
        assert by_field["url"]["outcome"] == "ok"
        assert (by_field["access_url"]["outcome"], by_field["access_url"]["status_code"]) == (
            "broken",
            404,
        )
        from ckan import model

        from ckanext.nd47.oversight.model import LinkCheck

        assert model.Session.query(LinkCheck).filter_by(package_id=pkg["id"]).count() == 4

    def test_broken_links_per_agency(self, http_server):
        org = nd47_factories.Agency()
        other = nd47_factories.Agency()
        pkg = complete_dataset(org["id"], url=http_server.url)
        helpers.call_action(
            "resource_patch", id=pkg["resources"][0]["id"], access_url=f"{http_server.url}/error"
        )
        complete_dataset(other["id"], url=http_server.url)
        for row in helpers.call_action("package_search", rows=10)["results"]:
            service.check_links(row["id"])
        figures = helpers.call_action("nd47_dashboard_show", agency=org["name"])
        assert figures["links"]["broken"] == 1
        assert figures["links"]["broken_items"][0]["url"] == f"{http_server.url}/error"
        assert helpers.call_action("nd47_dashboard_show", agency=other["name"])["links"] == {
            "checked": 2,
            "broken": 0,
            "broken_items": [],
        }


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@_config(**{"ckanext.nd47.oversight.assess_on_update": "true"})
class TestNeverBlocks:
    def test_a_dataset_change_only_queues_the_check(self, http_server):
        helpers.call_action("job_clear")
        http_server.slow_seconds = 30
        org = nd47_factories.Agency()
        pkg = complete_dataset(org["id"], url=f"{http_server.url}/slow")
        # the request returned without asking the server anything
        assert http_server.requests == []
        jobs = helpers.call_action("job_list")
        assert any(pkg["id"] in job["title"] for job in jobs)
        helpers.call_action("job_clear")
