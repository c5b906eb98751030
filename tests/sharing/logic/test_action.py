"""The request workflow, action by action: transitions, errors, expiry, e-mails, audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.tests import factories, helpers
from freezegun import freeze_time

from tests.sharing.conftest import (
    PLUGINS,
    Agency,
    add_upload,
    call_as,
    dataset,
    grant,
    request_access,
    shared_dataset,
)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "app"),
]


@pytest.fixture
def pkg(owner: Agency, create_with_upload: Any) -> dict[str, Any]:
    shared = shared_dataset(owner)
    add_upload(create_with_upload, shared)
    return helpers.call_action("package_show", id=shared["id"])


def _steps(request_id: str, user: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    shown = call_as(user, "nd47_share_request_show", id=request_id)
    return [(a["action"], a["from_status"], a["to_status"]) for a in shown["audit"]]


def _errors(excinfo: Any) -> dict[str, Any]:
    return excinfo.value.error_dict


def test_create_records_mails_and_audits(owner, requester, pkg, smtp) -> None:
    request = request_access(requester, pkg, period_end="2027-06-30")
    assert request["status"] == "pending"
    assert request["requester_org"] == requester.org["id"]
    assert request["owner_org"] == owner.org["id"]
    assert request["legal_basis"] == "47/2020/NĐ-CP"
    assert request["resource_ids"] is None
    assert _steps(request["id"], requester.editor) == [("create", None, "pending")]
    # the requester and the owner's admins
    assert sorted(smtp.recipients()) == sorted([requester.editor["email"], owner.admin["email"]])
    assert all("Access request" in s or "Yêu cầu" in s for s in smtp.subjects())


def test_create_is_refused_for_members_citizens_and_other_classes(
    owner, requester, pkg, create_with_upload
) -> None:
    data = {
        "package_id": pkg["id"],
        "requester_org": requester.org["id"],
        "purpose": "x",
        "legal_basis": "47/2020/NĐ-CP",
        "contact": "x",
    }
    # a plain member does not ask on the agency's behalf
    with pytest.raises(tk_not_authorized()):
        call_as(requester.member, "nd47_share_request_create", **data)
    # a citizen sees neither the dataset nor an agency to ask for
    with pytest.raises(tk_not_authorized()):
        call_as(factories.User(), "nd47_share_request_create", **data)
    # open datasets need no request
    open_pkg = dataset(owner, "mo")
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(
            requester.editor, "nd47_share_request_create", **dict(data, package_id=open_pkg["id"])
        )
    assert "package_id" in _errors(excinfo)
    # the owner does not ask itself
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(
            owner.editor, "nd47_share_request_create", **dict(data, requester_org=owner.org["id"])
        )
    assert "requester_org" in _errors(excinfo)


def tk_not_authorized() -> type[Exception]:
    from ckan.plugins import toolkit

    return toolkit.NotAuthorized


def test_create_validates_the_legal_basis_and_the_period(requester, pkg) -> None:
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        request_access(
            requester,
            pkg,
            legal_basis="nghị định 47",
            period_start="2027-01-01",
            period_end="2026-01-01",
        )
    errors = _errors(excinfo)
    assert "legal_basis" in errors
    assert "Legal document number" in errors["legal_basis"][0]
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        request_access(requester, pkg, period_start="2027-01-01", period_end="2026-01-01")
    assert "period_end" in _errors(excinfo)
    request_access(requester, pkg)
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        request_access(requester, pkg)
    assert "pending request" in _errors(excinfo)["package_id"][0]


def test_only_the_owners_admins_decide(owner, requester, pkg) -> None:
    request = request_access(requester, pkg)
    end = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    for user in (owner.editor, owner.member, requester.admin):
        with pytest.raises(tk_not_authorized()):
            call_as(user, "nd47_share_request_grant", id=request["id"], grant_end=end)
        with pytest.raises(tk_not_authorized()):
            call_as(
                user,
                "nd47_share_request_refuse",
                id=request["id"],
                reason="x",
                legal_basis="13/2023/NĐ-CP",
            )
    assert (
        call_as(owner.admin, "nd47_share_request_grant", id=request["id"], grant_end=end)["status"]
        == "granted"
    )


def test_grant_opens_the_files_then_revoke_closes_them(owner, requester, pkg, smtp) -> None:
    resource_id = pkg["resources"][0]["id"]
    request = request_access(requester, pkg)
    with pytest.raises(tk_not_authorized()):
        call_as(requester.member, "resource_show", id=resource_id)
    granted = grant(owner, request)
    assert granted["status"] == "granted"
    assert granted["active"] is True
    assert granted["grant_start"] == datetime.date.today().isoformat()
    assert call_as(requester.member, "resource_show", id=resource_id)["url"]
    # every member of the granted agency, not only the one who asked
    assert call_as(requester.admin, "package_show", id=pkg["id"])["resources"][0]["url"]
    # no second decision
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(
            owner.admin,
            "nd47_share_request_refuse",
            id=request["id"],
            reason="x",
            legal_basis="13/2023/NĐ-CP",
        )
    assert "status" in _errors(excinfo)
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(owner.admin, "nd47_share_request_revoke", id=request["id"], reason="")
    assert "Reason" in _errors(excinfo)["reason"][0]
    revoked = call_as(
        owner.admin, "nd47_share_request_revoke", id=request["id"], reason="Hết nhu cầu"
    )
    assert revoked["status"] == "revoked"
    with pytest.raises(tk_not_authorized()):
        call_as(requester.member, "resource_show", id=resource_id)
    assert call_as(requester.member, "package_show", id=pkg["id"])["resources"][0]["url"] == ""
    assert [s[0] for s in _steps(request["id"], owner.admin)] == ["create", "grant", "revoke"]
    # decisions reach the requester, both agencies' admins
    assert requester.admin["email"] in smtp.recipients()
    assert any("Hết nhu cầu" in m.get_payload(decode=True).decode() for _, m in smtp.messages)


def test_grant_of_some_resources(owner, requester, pkg, create_with_upload) -> None:
    second = add_upload(create_with_upload, pkg, name="ho-khau.csv")
    first_id = pkg["resources"][0]["id"]
    request = request_access(requester, pkg, resource_ids=[first_id])
    assert request["resource_ids"] == [first_id]
    with pytest.raises(helpers.logic.ValidationError):
        grant(owner, request, resource_ids=["not-a-resource"])
    grant(owner, request, resource_ids=[first_id])
    assert call_as(requester.editor, "resource_show", id=first_id)
    with pytest.raises(tk_not_authorized()):
        call_as(requester.editor, "resource_show", id=second["id"])
    urls = {
        r["id"]: r["url"]
        for r in call_as(requester.editor, "package_show", id=pkg["id"])["resources"]
    }
    assert urls[first_id] and urls[second["id"]] == ""


def test_refusal_needs_reason_and_legal_basis(owner, requester, pkg, smtp) -> None:
    request = request_access(requester, pkg)
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(owner.admin, "nd47_share_request_refuse", id=request["id"])
    errors = _errors(excinfo)
    assert errors["reason"][0].startswith("Reason:")
    assert "Decree 194/2025" in errors["reason"][0]
    assert errors["legal_basis"][0].startswith("Legal basis:")
    with pytest.raises(helpers.logic.ValidationError) as excinfo:
        call_as(
            owner.admin,
            "nd47_share_request_refuse",
            id=request["id"],
            reason="Dữ liệu đang chỉnh lý",
            legal_basis="luật",
        )
    assert "Legal document number" in _errors(excinfo)["legal_basis"][0]
    refused = call_as(
        owner.admin,
        "nd47_share_request_refuse",
        id=request["id"],
        reason="Dữ liệu đang chỉnh lý",
        legal_basis="13/2023/NĐ-CP",
    )
    assert refused["status"] == "refused"
    assert refused["refusal_legal_basis"] == "13/2023/NĐ-CP"
    with pytest.raises(helpers.logic.ValidationError):
        grant(owner, request)
    with pytest.raises(helpers.logic.ValidationError):
        call_as(owner.admin, "nd47_share_request_revoke", id=request["id"], reason="x")
    assert _steps(request["id"], requester.editor)[-1] == ("refuse", "pending", "refused")
    audit = call_as(requester.editor, "nd47_share_request_show", id=request["id"])["audit"][-1]
    assert audit["details"] == {"reason": "Dữ liệu đang chỉnh lý", "legal_basis": "13/2023/NĐ-CP"}
    assert audit["user_name"] == owner.admin["name"]


def test_refusal_error_in_vietnamese(app, owner, requester, pkg) -> None:
    request = request_access(requester, pkg)
    environ = {"CKAN_LANG": "vi"}
    with app.flask_app.test_request_context("/", environ_overrides=environ):
        with pytest.raises(helpers.logic.ValidationError) as excinfo:
            call_as(owner.admin, "nd47_share_request_refuse", id=request["id"])
    errors = _errors(excinfo)
    assert errors["reason"][0].startswith("Lý do:")
    assert errors["legal_basis"][0].startswith("Căn cứ pháp lý:")


def test_expiry_ends_access_at_once(owner, requester, pkg) -> None:
    resource_id = pkg["resources"][0]["id"]
    start = datetime.date(2026, 1, 1)
    with freeze_time(start):
        request = request_access(requester, pkg)
        granted = call_as(
            owner.admin, "nd47_share_request_grant", id=request["id"], grant_end="2026-06-30"
        )
        assert granted["status"] == "granted"
    with freeze_time("2026-06-30"):
        assert call_as(requester.editor, "resource_show", id=resource_id)
    with freeze_time("2026-07-01"):
        with pytest.raises(tk_not_authorized()):
            call_as(requester.editor, "resource_show", id=resource_id)
        shown = call_as(requester.editor, "nd47_share_request_show", id=request["id"])
        assert shown["status"] == "expired"
        assert shown["stored_status"] == "granted"
        with pytest.raises(helpers.logic.ValidationError):
            call_as(owner.admin, "nd47_share_request_revoke", id=request["id"], reason="x")
        # a new request may follow
        assert request_access(requester, pkg)["status"] == "pending"


@pytest.mark.ckan_config("ckanext.nd47.sharing.answer_days", "10")
def test_overdue_requests_are_flagged(owner, requester, pkg) -> None:
    with freeze_time("2026-03-01"):
        request = request_access(requester, pkg)
    with freeze_time("2026-03-05"):
        assert call_as(owner.admin, "nd47_share_request_show", id=request["id"])["overdue"] is False
    with freeze_time("2026-03-20"):
        shown = call_as(owner.admin, "nd47_share_request_show", id=request["id"])
        assert shown["overdue"] is True
        assert shown["answer_due"].startswith("2026-03-11")
        listed = call_as(owner.admin, "nd47_share_request_list", side="received", status="overdue")
        assert [r["id"] for r in listed["results"]] == [request["id"]]


def test_no_deadline_by_default(requester, pkg) -> None:
    request = request_access(requester, pkg)
    assert request["answer_due"] is None
    assert request["overdue"] is False


def test_list_and_show_belong_to_both_agencies(owner, requester, pkg) -> None:
    request = request_access(requester, pkg)
    outsider = Agency()
    assert call_as(owner.member, "nd47_share_request_show", id=request["id"])["id"] == request["id"]
    assert call_as(requester.member, "nd47_share_request_show", id=request["id"])
    with pytest.raises(tk_not_authorized()):
        call_as(outsider.admin, "nd47_share_request_show", id=request["id"])
    assert call_as(owner.admin, "nd47_share_request_list", side="received")["count"] == 1
    assert call_as(owner.admin, "nd47_share_request_list", side="made")["count"] == 0
    assert call_as(requester.editor, "nd47_share_request_list", side="made")["count"] == 1
    assert call_as(outsider.admin, "nd47_share_request_list")["count"] == 0
    with pytest.raises(tk_not_authorized()):
        call_as(outsider.admin, "nd47_share_request_list", org=owner.org["name"])


def test_register_counts_and_refusals(owner, requester, pkg) -> None:
    other = Agency()
    with freeze_time("2026-01-01"):
        first = request_access(requester, pkg)
        second = request_access(other, pkg)
    with freeze_time("2026-01-03"):
        call_as(owner.admin, "nd47_share_request_grant", id=first["id"], grant_end="2026-12-31")
    with freeze_time("2026-01-05"):
        call_as(
            owner.admin,
            "nd47_share_request_refuse",
            id=second["id"],
            reason="Bí mật nhà nước",
            legal_basis="29/2018/QH14",
        )
    with freeze_time("2026-02-01"):
        register = call_as(requester.member, "nd47_share_register")
    rows = {row["agency"]: row for row in register["agencies"]}
    owner_row = rows[owner.org["name"]]
    assert owner_row["shared_datasets"] == 1
    assert owner_row["requests_received"] == 2
    assert (owner_row["granted"], owner_row["refused"], owner_row["pending"]) == (1, 1, 0)
    assert owner_row["median_days_to_decide"] == 3.0
    assert rows[requester.org["name"]]["requests_made"] == 1
    assert register["national"]["requests"] == 2
    assert register["refusals"][0]["refusal_legal_basis"] == "29/2018/QH14"
    with pytest.raises(tk_not_authorized()):
        call_as(factories.User(), "nd47_share_register")
    one = call_as(requester.member, "nd47_share_register", org=requester.org["name"])
    assert [row["agency"] for row in one["agencies"]] == [requester.org["name"]]
