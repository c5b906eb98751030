"""Sharing pages over HTTP: who reaches them, the request button, the register exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest
from ckan.tests import factories

from tests.sharing.conftest import PLUGINS, Agency, grant, request_access, shared_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _as(user: dict[str, Any] | None) -> dict[str, str]:
    if user is None:
        return {}
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_request_button_only_for_agency_users_without_access(app, owner, requester) -> None:
    pkg = shared_dataset(owner)
    url = f"/dataset/{pkg['name']}"
    assert 'id="nd47-request-access"' in app.get(url, headers=_as(requester.editor)).get_data(
        as_text=True
    )
    # a plain member sees the dataset but does not ask on the agency's behalf
    body = app.get(url, headers=_as(requester.member)).get_data(as_text=True)
    assert "nd47-request-access" not in body
    assert "nd47-request-access" not in app.get(url, headers=_as(owner.admin)).get_data(
        as_text=True
    )
    grant(owner, request_access(requester, pkg))
    body = app.get(url, headers=_as(requester.editor)).get_data(as_text=True)
    assert "nd47-request-access" not in body
    assert "nd47-share-grant" in body


def test_request_form_creates_and_shows_errors(app, owner, requester) -> None:
    pkg = shared_dataset(owner)
    headers = _as(requester.editor)
    url = f"/dataset/{pkg['name']}/request-access"
    assert app.get(url, headers=headers).status_code == 200
    assert app.get(url, headers=_as(factories.User())).status_code == 403
    form = {
        "requester_org": requester.org["id"],
        "purpose": "Đối soát",
        "legal_basis": "không số",
        "contact": "Phòng CNTT",
    }
    response = app.post(url, data=form, headers=headers)
    text = response.get_data(as_text=True)
    # the rule, under and beside the field's own label only (the message's
    # "Legal document number:" subject dropped: the label once)
    assert text.count("không số&#34; is not a document number") == 2
    assert "<strong>Legal basis (document number)</strong>:" in text
    assert "Legal document number:" not in text
    response = app.post(
        url, data=dict(form, legal_basis="47/2020/NĐ-CP"), headers=headers, follow_redirects=False
    )
    assert response.status_code == 302
    assert "/sharing/requests/" in response.headers["Location"]


def test_queue_decision_forms_and_refusal_error(app, owner, requester) -> None:
    pkg = shared_dataset(owner)
    request = request_access(requester, pkg)
    queue = app.get("/sharing/requests?side=received", headers=_as(owner.admin))
    assert f"/sharing/requests/{request['id']}" in queue.get_data(as_text=True)
    page = f"/sharing/requests/{request['id']}"
    assert "nd47-share-refuse" in app.get(page, headers=_as(owner.admin)).get_data(as_text=True)
    # the requester sees the request, not the decision forms
    body = app.get(page, headers=_as(requester.editor)).get_data(as_text=True)
    assert "nd47-share-refuse" not in body
    assert "Đối soát dữ liệu dân cư" in body
    assert app.get(page, headers=_as(Agency().admin)).status_code == 403
    response = app.post(f"{page}/refuse", data={"reason": ""}, headers=_as(owner.admin))
    text = response.get_data(as_text=True)
    summary = text.split("nd47-errors", 1)[1].split("</div>", 1)[0]
    # each field once, by the label of its input
    assert summary.count("Reason") == 1 and "<strong>Reason</strong>:" in summary
    assert summary.count("Legal basis") == 1
    assert "<strong>Legal basis (document number)</strong>:" in summary
    assert app.post(f"{page}/refuse", data={}, headers=_as(owner.editor)).status_code == 403


def test_register_pages_and_exports(app, owner, requester) -> None:
    pkg = shared_dataset(owner)
    request_access(requester, pkg)
    headers = _as(requester.member)
    assert "nd47-share-register" in app.get("/sharing/register", headers=headers).get_data(
        as_text=True
    )
    assert app.get("/sharing/register", headers=_as(factories.User())).status_code == 403
    assert app.get("/sharing/register", follow_redirects=False).status_code == 302

    rows = list(
        csv.DictReader(
            io.StringIO(
                app.get("/sharing/register.csv", headers=headers)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    by_agency = {row["agency"]: row for row in rows}
    assert by_agency[owner.org["name"]]["shared_datasets"] == "1"
    assert by_agency[owner.org["name"]]["requests_received"] == "1"

    data = json.loads(app.get("/sharing/register.json", headers=headers).get_data())
    assert data["national"]["pending"] == 1

    xlsx = app.get("/sharing/register.xlsx", headers=headers)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book["agencies"]["A1"].value == "agency"
    assert book.sheetnames == ["agencies", "refusals"]

    one = app.get(f"/sharing/register.json?org={owner.org['name']}", headers=headers)
    assert [row["agency"] for row in json.loads(one.get_data())["agencies"]] == [owner.org["name"]]


def test_navigation_for_agency_users_only(app, owner) -> None:
    assert "/sharing/requests" in app.get("/dataset/", headers=_as(owner.member)).get_data(
        as_text=True
    )
    assert "/sharing/requests" not in app.get("/dataset/", headers=_as(factories.User())).get_data(
        as_text=True
    )
    org_page = app.get(f"/organization/{owner.org['name']}", headers=_as(owner.member))
    assert f"/sharing/register?org={owner.org['name']}" in org_page.get_data(as_text=True)
