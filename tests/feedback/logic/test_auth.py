"""The auth matrix: who may send, read, answer, move, moderate, follow."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.feedback.conftest import call_as, feedback, request

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ROLES = ("anonymous", "stranger", "member", "editor", "admin", "other_admin", "sysadmin")


def _user(role, agency, other_agency):
    return {
        "anonymous": None,
        "stranger": factories.User(),
        "member": agency.member,
        "editor": agency.editor,
        "admin": agency.admin,
        "other_admin": other_agency.admin,
        "sysadmin": factories.Sysadmin(),
    }[role]


def _allowed(user, action, **data) -> bool:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    try:
        helpers.call_auth(action, context, **data)
    except helpers.logic.NotAuthorized:
        return False
    return True


STAFF = {"editor", "admin", "sysadmin"}
ADMINS = {"admin", "sysadmin"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["feedback", "data_request"])
def test_matrix(role, kind, agency, other_agency):
    user = _user(role, agency, other_agency)
    thread = feedback(agency) if kind == "feedback" else request(agency)
    prefix = f"nd47_{kind}"
    expected = {
        "create": True,
        "show": True,
        "list": True,
        "follow": True,
        "answer": role in STAFF,
        "status_update": role in STAFF,
        "moderate": role in ADMINS,
    }
    for verb, allowed in expected.items():
        data = {"id": thread["id"]}
        assert _allowed(user, f"{prefix}_{verb}", **data) is allowed, (role, verb)


@pytest.mark.parametrize("role", ROLES)
def test_stats_and_citation_are_public(role, agency, other_agency):
    user = _user(role, agency, other_agency)
    assert _allowed(user, "nd47_feedback_stats")
    assert _allowed(user, "nd47_dataset_citation", id=agency.dataset["id"])


def test_citation_of_a_private_dataset(agency):
    helpers.call_action("package_patch", id=agency.dataset["id"], private=True)
    assert not _allowed(None, "nd47_dataset_citation", id=agency.dataset["id"])
    assert _allowed(agency.member, "nd47_dataset_citation", id=agency.dataset["id"])


def test_the_answer_itself_is_refused_for_outsiders(agency, other_agency):
    thread = feedback(agency)
    with pytest.raises(helpers.logic.NotAuthorized):
        call_as(other_agency.editor, "nd47_feedback_answer", id=thread["id"], body="x")
    with pytest.raises(helpers.logic.NotAuthorized):
        call_as(agency.editor, "nd47_feedback_moderate", id=thread["id"], visibility="spam")
    assert call_as(None, "nd47_feedback_show", id=thread["id"])["answers"] == []
