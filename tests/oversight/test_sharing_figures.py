"""Sharing-request figures on the dashboards, from the sharing plugin's register."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests import factories

from ckanext.nd47.oversight import export
from tests.sharing.conftest import Agency, call_as, grant, request_access, shared_dataset

PLUGINS = (
    "nd47 nd47_plans nd47_sharing nd47_dcat nd47_oversight "
    "scheming_datasets scheming_organizations dcat"
)

pytestmark = [
    # "app": the sharing e-mails build links to the sharing pages
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "app"),
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false"),
    pytest.mark.ckan_config("ckanext.nd47.oversight.dashboard.cache_seconds", "600"),
]


@pytest.fixture
def agencies():
    owner, requester, bystander = Agency(), Agency(), Agency()
    pkg = shared_dataset(owner)
    grant(owner, request_access(requester, pkg))
    request_access(bystander, pkg)
    return owner, requester, bystander


def _dashboard(user, **data):
    return call_as(user, "nd47_dashboard_show", **data)


def test_agency_users_see_national_and_per_agency_figures(agencies):
    owner, requester, _bystander = agencies
    sharing = _dashboard(requester.member)["sharing"]
    assert sharing["national"]["requests"] == 2
    assert sharing["national"]["granted"] == 1
    by_agency = {row["agency"]: row for row in sharing["agencies"]}
    assert by_agency[owner.org["name"]]["requests_received"] == 2
    assert by_agency[owner.org["name"]]["granted"] == 1
    assert by_agency[requester.org["name"]]["requests_made"] == 1


def test_agency_dashboard_counts_that_agency(agencies):
    owner, requester, _bystander = agencies
    sharing = _dashboard(owner.admin, agency=requester.org["name"])["sharing"]
    assert [row["agency"] for row in sharing["agencies"]] == [requester.org["name"]]
    assert sharing["national"]["requests"] == 1


def test_anonymous_sees_none_as_the_register_allows(agencies):
    # the register is for state-agency users: the cached figures never carry it over
    assert _dashboard(agencies[0].admin)["sharing"] is not None
    assert _dashboard(None)["sharing"] is None
    assert _dashboard(factories.User())["sharing"] is None


def test_exports_and_page(app, agencies):
    owner, requester, _bystander = agencies
    rows = export.figure_rows(_dashboard(requester.member))
    assert ("sharing", "requests", "", 2) in rows
    assert ("sharing.granted", owner.org["name"], owner.org["title"], 1) in rows
    body = export.as_csv(_dashboard(None)).decode("utf-8")
    assert not [row for row in csv.reader(io.StringIO(body)) if row and row[0] == "sharing"]
    token = factories.APIToken(user=requester.member["name"])["token"]
    page = app.get("/oversight/", headers={"Authorization": token})
    assert "nd47-sharing" in page.body and owner.org["title"] in page.body
    assert "nd47-sharing" not in app.get("/oversight/").body
