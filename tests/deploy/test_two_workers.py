"""Two web server processes on one database, Solr core and Redis: what one
changes, the other serves at once (no state another worker needs lives in
one worker's memory).

Two ``ckan run`` servers (tests/browser/live.py) stand for two gunicorn
workers or two web nodes: each has its own Python process, hence its own
module-level caches. Every check first reads through the server that did not
make the change, so a per-process cache would be warm with the old state.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from ckan.tests import factories

from tests.browser.live import live_ckan
from tests.sharing.conftest import PLUGINS, Agency, dataset, shared_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
REGISTER = "terms:\n  - {code: ho-tich-nghe-an, vi: Hộ tịch Nghệ An, en: Nghe An civil status}\n"


class Portal:
    """One server: API calls with a user's token, pages."""

    def __init__(self, url: str) -> None:
        self.url = url

    def action(self, name: str, token: str = "", /, **data: Any) -> requests.Response:
        headers = {"Authorization": token} if token else {}
        return requests.post(
            f"{self.url}/api/3/action/{name}", json=data, headers=headers, timeout=60
        )

    def result(self, name: str, token: str = "", /, **data: Any) -> Any:
        answer = self.action(name, token, **data)
        assert answer.status_code == 200, answer.text[:2000]
        return answer.json()["result"]

    def page(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", timeout=60)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "register.yaml"
    path.write_text("terms: []\n", encoding="utf-8")
    return path


@pytest.fixture
def portals(tmp_path: Path, register: Path) -> Iterator[tuple[Portal, Portal]]:
    options = {"ckan.plugins": PLUGINS, "ckanext.nd47.master_databases_file": str(register)}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with live_ckan(tmp_path / "a", **options) as a, live_ckan(tmp_path / "b", **options) as b:
        yield Portal(a), Portal(b)


def _token(user: dict[str, Any]) -> str:
    return factories.APIToken(user=user["name"])["token"]


def test_agency_rename_vocabulary_edit_and_grant_reach_the_other_worker(
    portals: tuple[Portal, Portal], register: Path
) -> None:
    one, other = portals
    owner, requester = Agency(), Agency()
    open_data = dataset(owner, "mo")
    shared = shared_dataset(
        owner, resources=[{"name": "dan-so.csv", "url": "http://data.example.org/dan-so.csv"}]
    )
    resource_id = shared["resources"][0]["id"]
    admin_token, editor_token = _token(owner.admin), _token(requester.editor)

    # every fact read once through both servers first (warm caches, if any)
    for portal in (one, other):
        assert portal.page(f"/organization/{owner.org['name']}").status_code == 200
        assert portal.page("/master-data/ho-tich-nghe-an").status_code == 404
        assert portal.action("resource_show", editor_token, id=resource_id).status_code == 403

    # 1. the agency renamed through one server
    one.result(
        "organization_patch", admin_token, id=owner.org["id"], name="so-tu-phap", title="Sở Tư pháp"
    )
    page = other.page("/organization/so-tu-phap")
    assert page.status_code == 200 and "Sở Tư pháp" in page.text
    assert other.page(f"/organization/{owner.org['name']}").status_code == 404
    shown = other.result("package_show", id=open_data["id"])
    assert shown["organization"]["name"] == "so-tu-phap"
    assert "Sở Tư pháp" in other.page(f"/dataset/{open_data['name']}").text

    # 2. the operator's register edited (a file all nodes share): both serve it
    register.write_text(REGISTER, encoding="utf-8")
    for portal in (one, other):
        page = portal.page("/master-data/ho-tich-nghe-an")
        assert page.status_code == 200 and "Hộ tịch Nghệ An" in page.text

    # 3. a sharing grant decided through one server opens the file on the other
    request = other.result(
        "nd47_share_request_create",
        editor_token,
        package_id=shared["id"],
        requester_org=requester.org["id"],
        purpose="Đối soát dữ liệu dân cư",
        legal_basis="47/2020/NĐ-CP",
        contact="Phòng CNTT, 0238 3844 000",
    )
    end = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    one.result("nd47_share_request_grant", admin_token, id=request["id"], grant_end=end)
    resource = other.result("resource_show", editor_token, id=resource_id)
    assert resource["url"] == "http://data.example.org/dan-so.csv"
