"""Chained bulk_update_public: a dataset that is not open data stays private.

CKAN 2.11's bulk "make public" of the organization page writes the database
directly, past the validators; 2.12 goes through package_patch. The auth
function refuses the request on both, for sysadmins too.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBulkMakePublic:
    @pytest.fixture
    def setup(self) -> dict:
        admin = ckan_factories.User()
        agency = factories.Agency(users=[{"name": admin["name"], "capacity": "admin"}])
        private = factories.Dataset(owner_org=agency["id"], sharing_class="dung-rieng")
        closed_open = factories.Dataset(owner_org=agency["id"], private=True)
        return {"admin": admin, "agency": agency, "private": private, "open": closed_open}

    def test_refused_for_a_private_class_dataset(self, setup: dict, sysadmin: dict) -> None:
        assert helpers.call_action("package_show", id=setup["private"]["id"])["private"]
        for user in (setup["admin"]["name"], sysadmin["name"]):
            with pytest.raises(tk.NotAuthorized) as e:
                helpers.call_action(
                    "bulk_update_public",
                    context={"user": user, "ignore_auth": False},
                    datasets=[setup["private"]["id"], setup["open"]["id"]],
                    org_id=setup["agency"]["id"],
                )
            assert setup["private"]["name"] in str(e.value)
            assert "stay private" in str(e.value)
        assert helpers.call_action("package_show", id=setup["private"]["id"])["private"]
        assert helpers.call_action("package_show", id=setup["open"]["id"])["private"]

    def test_open_datasets_still_become_public(self, setup: dict) -> None:
        helpers.call_action(
            "bulk_update_public",
            context={"user": setup["admin"]["name"], "ignore_auth": False},
            datasets=[setup["open"]["id"]],
            org_id=setup["agency"]["id"],
        )
        assert not helpers.call_action("package_show", id=setup["open"]["id"])["private"]

    def test_organization_page_answers_403_not_500(self, app, setup: dict) -> None:
        token = ckan_factories.APIToken(user=setup["admin"]["name"])["token"]
        response = app.post(
            f"/organization/bulk_process/{setup['agency']['name']}",
            data={"bulk_action.public": "public", f"dataset_{setup['private']['id']}": "on"},
            headers={"Authorization": token},
            status=403,
        )
        assert response.status_code == 403
        assert helpers.call_action("package_show", id=setup["private"]["id"])["private"]
        # the same request for the open dataset goes through (so the 403 is the rule's)
        app.post(
            f"/organization/bulk_process/{setup['agency']['name']}",
            data={"bulk_action.public": "public", f"dataset_{setup['open']['id']}": "on"},
            headers={"Authorization": token},
            follow_redirects=False,
            status=302,
        )
        assert not helpers.call_action("package_show", id=setup["open"]["id"])["private"]
