"""Activity streams of shared datasets show no file link to who may not read the files.

(Without the activity plugin nothing is chained: every other sharing suite
runs without it, and chaining a missing action would fail them.)
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import helpers

from tests.sharing.conftest import PLUGINS, Agency, call_as, grant, request_access, shared_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity " + PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "app"),
]

URL = "https://data.example.org/dan-so.csv"


def _urls_in(activities: list[dict[str, Any]]) -> list[str]:
    return [
        resource.get("url")
        for activity in activities
        for resource in ((activity.get("data") or {}).get("package") or {}).get("resources", [])
    ]


@pytest.fixture
def shared_with_history(owner: Agency) -> dict[str, Any]:
    pkg = shared_dataset(owner)
    call_as(owner.admin, "resource_create", package_id=pkg["id"], name="dan-so", url=URL)
    return pkg


# the detail of activities (the dataset copy) shown beyond the dataset's editors
@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", True)
def test_other_agency_sees_the_history_without_file_links(
    owner: Agency, requester: Agency, shared_with_history: dict[str, Any]
) -> None:
    pkg = shared_with_history
    # the owner's member sees the links
    assert URL in _urls_in(call_as(owner.member, "package_activity_list", id=pkg["id"]))
    # another agency's user sees the history, without the links
    theirs = call_as(requester.editor, "package_activity_list", id=pkg["id"])
    assert theirs, "agency users see a shared dataset's history"
    assert URL not in _urls_in(theirs)
    assert URL not in _urls_in(
        call_as(requester.editor, "organization_activity_list", id=owner.org["id"])
    )
    newest = theirs[0]
    shown = call_as(requester.editor, "activity_show", id=newest["id"], include_data=True)
    assert URL not in _urls_in([shown])
    data = call_as(requester.editor, "activity_data_show", id=newest["id"], object_type="package")
    assert URL not in [r.get("url") for r in data.get("resources", [])]
    with pytest.raises(helpers.logic.NotAuthorized):
        call_as(requester.editor, "activity_diff", id=newest["id"], object_type="package")


def test_a_grant_shows_the_links_in_the_history(
    owner: Agency, requester: Agency, shared_with_history: dict[str, Any]
) -> None:
    pkg = shared_with_history
    grant(owner, request_access(requester, pkg))
    assert URL in _urls_in(call_as(requester.editor, "package_activity_list", id=pkg["id"]))
