"""The visibility matrix: who sees what, by sharing class, through every channel.

Roles × {open, shared, private} × {search results and counts, dataset page,
package_show, download of an uploaded file, resource URL in the API, DCAT
dataset, DCAT catalogue page, dump}. Every cell is asserted, over HTTP as
the role (an API token), with the real search index and file storage.
"""

from __future__ import annotations

import datetime
import gzip
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.nd47.dcat import dump
from tests.sharing.conftest import (
    FILE_BODY,
    PLUGINS,
    Agency,
    add_upload,
    dataset,
    grant,
    request_access,
)

ROLES = (
    "anonymous",
    "citizen",
    "other_agency",
    "grantee",
    "expired_grantee",
    "owner_editor",
    "owner_admin",
    "sysadmin",
)
CLASSES = {"open": "mo", "shared": "dung-chung", "private": "dung-rieng"}
READ = {"search", "page", "show", "download", "url"}
PUBLIC = READ | {"dcat", "catalog", "dump"}
METADATA = {"search", "page", "show"}

# EXPECTED[role][dataset] = the channels that show the dataset (or its file) to the role
EXPECTED: dict[str, dict[str, set[str]]] = {
    role: {
        "open": PUBLIC,
        "shared": READ
        if role in ("grantee", "owner_editor", "owner_admin", "sysadmin")
        else METADATA
        if role in ("other_agency", "expired_grantee")
        else set(),
        "private": READ if role in ("owner_editor", "owner_admin", "sysadmin") else set(),
    }
    for role in ROLES
}


class World:
    """An owner agency with one dataset per class (each with an uploaded file), and users."""

    def __init__(self, create_with_upload: Any) -> None:
        self.owner = Agency()
        self.datasets: dict[str, dict[str, Any]] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        for key, code in CLASSES.items():
            pkg = dataset(self.owner, code, title=f"Dân cư {key}", name=f"dan-cu-{key}")
            self.datasets[key] = pkg
            self.resources[key] = add_upload(create_with_upload, pkg)
        other, grantee, expired = Agency(), Agency(), Agency()
        shared = self.datasets["shared"]
        grant(self.owner, request_access(grantee, shared))
        past = datetime.date.today() - datetime.timedelta(days=400)
        with freeze_time(past):
            grant(self.owner, request_access(expired, shared), days=30)
        self.users: dict[str, dict[str, Any] | None] = {
            "anonymous": None,
            "citizen": factories.User(),
            "other_agency": other.editor,
            "grantee": grantee.member,
            "expired_grantee": expired.editor,
            "owner_editor": self.owner.editor,
            "owner_admin": self.owner.admin,
            "sysadmin": factories.Sysadmin(),
        }


def _headers(user: dict[str, Any] | None) -> dict[str, str]:
    if user is None:
        return {}
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _observe(app: Any, world: World, role: str) -> dict[str, set[str]]:
    """The channels through which ``role`` actually sees each dataset."""
    headers = _headers(world.users[role])
    seen: dict[str, set[str]] = {key: set() for key in CLASSES}
    search = app.get(
        "/api/3/action/package_search",
        query_string={"fq": f"owner_org:{world.owner.org['id']}", "include_private": "true"},
        headers=headers,
    ).json["result"]
    api_names = {r["name"] for r in search["results"]}
    search_urls = {r["name"]: r["resources"][0]["url"] for r in search["results"]}
    assert search["count"] == len(api_names)
    html = app.get("/dataset/", query_string={"q": "Dân cư"}, headers=headers).get_data(
        as_text=True
    )
    catalog = app.get("/catalog.ttl", headers=headers).get_data(as_text=True)
    dump.build("ttl")
    dumped = gzip.decompress(app.get("/catalog/dump.ttl.gz").data).decode("utf-8")
    for key, pkg in world.datasets.items():
        name, res = pkg["name"], world.resources[key]
        if name in api_names and f'href="/dataset/{name}"' in html:
            seen[key].add("search")
        if app.get(f"/dataset/{name}", headers=headers).status_code == 200:
            seen[key].add("page")
        shown = app.get("/api/3/action/package_show", query_string={"id": name}, headers=headers)
        if shown.status_code == 200:
            seen[key].add("show")
            url = shown.json["result"]["resources"][0]["url"]
            if url:
                seen[key].add("url")
            # search results carry the URL exactly when package_show does
            if name in search_urls:
                assert bool(search_urls[name]) == bool(url), f"{role} / {key}: URL in search"
        download = app.get(
            f"/dataset/{pkg['id']}/resource/{res['id']}/download/dan-so.csv", headers=headers
        )
        if download.status_code == 200 and download.get_data(as_text=True) == FILE_BODY:
            seen[key].add("download")
        if app.get(f"/dataset/{name}.ttl", headers=headers).status_code == 200:
            seen[key].add("dcat")
        if f"/dataset/{pkg['id']}" in catalog:
            seen[key].add("catalog")
        if f"/dataset/{pkg['id']}" in dumped:
            seen[key].add("dump")
    return seen


@pytest.fixture
def _dump_dir(tmp_path: Any, ckan_config: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(ckan_config, "ckanext.nd47.dcat.dump_dir", str(tmp_path))


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "_dump_dir")
@pytest.mark.parametrize("role", ROLES)
def test_visibility_matrix(app: Any, create_with_upload: Any, role: str) -> None:
    world = World(create_with_upload)
    seen = _observe(app, world, role)
    for key in CLASSES:
        for channel in sorted(PUBLIC):
            expected = channel in EXPECTED[role][key]
            assert (channel in seen[key]) == expected, (
                f"{role} / {key} / {channel}: expected {'visible' if expected else 'hidden'}"
            )


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.nd47.sharing.agency_users", "identified")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_identified_agencies_only(app: Any) -> None:
    owner = Agency()
    pkg = dataset(owner, "dung-chung")
    unidentified, identified = Agency(), Agency()
    # the agency schema requires the identifier: an organization made before it had none
    group = model.Group.get(unidentified.org["id"])
    group.extras = {k: v for k, v in group.extras.items() if k != "agency_identifier"}
    model.repo.commit()
    for agency, visible in ((unidentified, False), (identified, True)):
        response = app.get(
            "/api/3/action/package_show",
            query_string={"id": pkg["id"]},
            headers=_headers(agency.member),
        )
        assert (response.status_code == 200) is visible


@pytest.mark.ckan_config("ckan.plugins", PLUGINS.replace("nd47_sharing ", ""))
@pytest.mark.usefixtures("with_plugins", "clean_index")
def test_without_the_plugin_shared_stays_with_its_agency(app: Any, reset_db: Any) -> None:
    reset_db()
    owner, other = Agency(), Agency()
    pkg = dataset(owner, "dung-chung")
    for user, status in ((other.editor, 403), (owner.member, 200)):
        response = app.get(
            "/api/3/action/package_show", query_string={"id": pkg["id"]}, headers=_headers(user)
        )
        assert response.status_code == status
