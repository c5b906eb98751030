"""The plan pages: lists, a plan, items, history, import/export; CSRF on every form."""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest
from ckan.tests import factories, helpers

from ckanext.nd47 import vocab
from ckanext.nd47.plans import spreadsheet
from tests.factories import Dataset
from tests.plans.conftest import open_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def token(user) -> dict:
    t = helpers.call_action("api_token_create", user=user["name"], name="views")["token"]
    return {"Authorization": t}


@pytest.fixture
def plan(agency):
    plan = helpers.call_action(
        "nd47_plan_create", owner_org=agency.org["id"], period=2026, title="Kế hoạch 2026"
    )
    helpers.call_action(
        "nd47_plan_item_create", plan_id=plan["id"], code="DM01", title="Cơ sở y tế"
    )
    return plan


def forms_have_csrf(html: str) -> bool:
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I)
    return bool(forms) and all("_csrf_token" in f for f in forms)


def test_site_list_with_filters(app, plan, agency):
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    page = app.get("/plan/")
    assert "Kế hoạch 2026" in page.body
    assert "Kế hoạch 2026" in app.get("/plan/", query_string={"period": 2026}).body
    assert "Kế hoạch 2026" not in app.get("/plan/", query_string={"period": 2025}).body
    assert "Kế hoạch 2026" not in app.get("/plan/", query_string={"status": "draft"}).body
    agency_page = app.get(f"/plan/agency/{agency.org['name']}")
    assert "Kế hoạch 2026" in agency_page.body


def test_drafts_are_hidden_outside_the_agency(app, plan, agency, other_agency):
    assert "Kế hoạch 2026" not in app.get("/plan/").body
    app.get(f"/plan/{plan['id']}", status=403)
    app.get(f"/plan/{plan['id']}", headers=token(other_agency.admin), status=403)
    assert "Cơ sở y tế" in app.get(f"/plan/{plan['id']}", headers=token(agency.member)).body
    app.get("/plan/nope", status=404)


def test_vietnamese_first(app, plan):
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    body = app.get(f"/vi/plan/{plan['id']}").body
    # the page's own labels, in Vietnamese (the plan's title is data, not UI)
    for label in ("Tiến độ", "Quyết định phê duyệt", "Lịch sử", "Đã phê duyệt"):
        assert label in body, label
    assert ">Progress<" not in body


def test_editor_pages_and_csrf(app, plan, agency):
    auth = token(agency.editor)
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    for url in (
        f"/plan/{plan['id']}",
        f"/plan/{plan['id']}/edit",
        f"/plan/{plan['id']}/import",
        f"/plan/{plan['id']}/item/new",
        f"/plan/item/{item['id']}",
        f"/plan/item/{item['id']}/edit",
        f"/plan/new?owner_org={agency.org['name']}",
    ):
        html = app.get(url, headers=auth).body
        assert forms_have_csrf(html), url
    app.get(f"/plan/{plan['id']}/edit", headers=token(agency.member), status=403)


def test_create_plan_and_item_through_forms(app, agency):
    auth = token(agency.editor)
    resp = app.post(
        "/plan/new",
        data={"owner_org": agency.org["name"], "period": "2027", "decision_number": "5/QĐ-UBND"},
        headers=auth,
        follow_redirects=False,
    )
    assert resp.status_code == 302
    plan_id = resp.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    plan = helpers.call_action("nd47_plan_show", id=plan_id)
    assert plan["decision_number"] == "5/QĐ-UBND"
    bad = app.post(
        "/plan/new",
        data={"owner_org": agency.org["name"], "period": "x", "decision_number": "QD so 45"},
        headers=auth,
    )
    # under and beside the field's own label, the validator's "Legal document
    # number:" subject is dropped: the label once
    assert "QD so 45&#34; is not a document number" in bad.body
    assert "Legal document number:" not in bad.body
    summary = bad.body.split("nd47-errors", 1)[1].split("</div>", 1)[0]
    # the summary names the field by its label, never by its internal name
    assert "<strong>Period (year)</strong>:" in summary
    assert ">period<" not in summary
    resp = app.post(
        f"/plan/{plan_id}/item/new",
        data={"code": "A1", "title": "Dữ liệu A", "due_date": "2027-03-01"},
        headers=auth,
        follow_redirects=False,
    )
    assert resp.status_code == 302
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan_id)["results"][0]
    assert item["due_date"] == "2027-03-01"
    app.post(
        f"/plan/item/{item['id']}/edit", data={"code": "A1", "title": "Dữ liệu B"}, headers=auth
    )
    app.post(f"/plan/item/{item['id']}/status", data={"status": "preparing"}, headers=auth)
    shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
    assert (shown["title"], shown["status"]) == ("Dữ liệu B", "preparing")
    # an illegal move is reported, not applied
    page = app.post(f"/plan/item/{item['id']}/status", data={"status": "published"}, headers=auth)
    # the flashed error names the allowed next states (no menu lists them so)
    assert '"In review", "Planned", "Withdrawn", "Cannot be opened"' in unescape(page.body)
    assert helpers.call_action("nd47_plan_item_show", id=item["id"])["status"] == "preparing"
    history = app.get(f"/plan/{plan_id}/history", headers=auth).body
    assert "Dữ liệu B" in history
    app.post(f"/plan/item/{item['id']}/delete", headers=auth)
    assert helpers.call_action("nd47_plan_item_list", plan_id=plan_id)["count"] == 0
    app.post(f"/plan/{plan_id}/delete", headers=auth)
    assert helpers.call_action("nd47_plan_list")["count"] == 0


def test_approve_button_for_admins_only(app, plan, agency):
    assert "Approve plan" not in app.get(f"/plan/{plan['id']}", headers=token(agency.editor)).body
    assert "Approve plan" in app.get(f"/plan/{plan['id']}", headers=token(agency.admin)).body
    app.post(f"/plan/{plan['id']}/approve", headers=token(agency.editor), status=403)
    app.post(f"/plan/{plan['id']}/approve", headers=token(agency.admin))
    assert helpers.call_action("nd47_plan_show", id=plan["id"])["status"] == "approved"
    app.post(f"/plan/{plan['id']}/reopen", headers=token(agency.admin))
    assert helpers.call_action("nd47_plan_show", id=plan["id"])["version"] == 2


def test_link_page_publishes(app, plan, agency):
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    pkg = open_dataset(agency.org["id"])
    app.post(
        f"/plan/item/{item['id']}/link",
        data={"package_id": pkg["name"]},
        headers=token(agency.editor),
    )
    page = app.get(f"/plan/item/{item['id']}", headers=token(agency.editor)).body
    assert 'data-status="published"' in page


@pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
def test_export_template_and_import(app, plan, agency, fmt):
    auth = token(agency.editor)
    template = app.get(f"/plan/template.{fmt}")
    assert template.headers["Content-Type"].startswith(spreadsheet.MIMETYPES[fmt].split(";")[0])
    exported = app.get(f"/plan/{plan['id']}/export.{fmt}", headers=auth)
    assert "attachment" in exported.headers["Content-Disposition"]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(exported.data))
        assert book[spreadsheet.ITEMS_SHEET]["A3"].value == "DM01"
    else:
        assert "DM01" in exported.data.decode("utf-8-sig")
    resp = app.post(
        f"/plan/{plan['id']}/import",
        data={"upload": (io.BytesIO(exported.data), f"plan.{fmt}")},
        headers=auth,
        follow_redirects=False,
    )
    assert resp.status_code == 302
    bad = app.post(
        f"/plan/{plan['id']}/import",
        data={"upload": (io.BytesIO("Mã,Tên dữ liệu\n,X\n".encode()), "bad.csv")},
        headers=auth,
    )
    assert "nd47-import-errors" in bad.body
    assert helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["count"] == 1


def test_sysadmin_sees_all(app, plan):
    assert "Kế hoạch 2026" in app.get("/plan/", headers=token(factories.Sysadmin())).body


def test_navigation_links(app, agency):
    assert 'href="/plan/"' in app.get("/dataset/").body
    assert (
        f'href="/plan/agency/{agency.org["name"]}"'
        in app.get(f"/organization/{agency.org['name']}").body
    )


def test_item_form_offers_vocabulary_choices(app, plan, agency):
    html = app.get(f"/vi/plan/{plan['id']}/item/new", headers=token(agency.editor)).body
    for field, vocabulary in (("theme", "themes"), ("update_cadence", "frequency")):
        select = re.search(rf'<select[^>]*name="{field}">(.*?)</select>', html, re.S)
        assert select, field
        options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
        expected = [("", "—")] + [
            (term.code, vocab.label(vocabulary, term.code, "vi")) for term in vocab.get(vocabulary)
        ]
        assert options == expected, field


@pytest.mark.parametrize(
    "action, params",
    [
        ("nd47_plan_list", {}),
        ("nd47_plan_show", {"id": "PLAN"}),
        ("nd47_plan_item_list", {"plan_id": "PLAN"}),
        ("nd47_plan_item_show", {"id": "ITEM"}),
        ("nd47_plan_item_overdue_list", {}),
        ("nd47_plan_audit_list", {"plan_id": "PLAN"}),
    ],
)
def test_read_actions_answer_get(app, plan, action, params):
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    ids = {"PLAN": plan["id"], "ITEM": item["id"]}
    query = {key: ids.get(value, value) for key, value in params.items()}
    body = app.get(f"/api/3/action/{action}", query_string=query, status=200).json
    assert body["success"] is True


def test_huge_page_numbers_are_refused(app, plan):
    app.get("/plan/", query_string={"page": "99999999999999999999"}, status=400)
    for params in ({"offset": 2**63}, {"limit": 2**63}, {"offset": -1}):
        body = app.get("/api/3/action/nd47_plan_list", query_string=params, status=409).json
        assert set(body["error"]) == {"__type", next(iter(params))}, body


def test_public_plan_never_names_a_private_linked_dataset(app, plan, agency):
    secret = Dataset(owner_org=agency.org["id"], private=True, title="Hồ sơ mật của sở")
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    helpers.call_action("nd47_plan_item_link", id=item["id"], package_id=secret["id"])
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    traces = (secret["id"], secret["name"], secret["title"])

    anonymous = {"user": "", "ignore_auth": False}
    shown = helpers.call_action(
        "nd47_plan_show", context=dict(anonymous), id=plan["id"], include_items=True
    )
    row = shown["items"][0]
    assert (row["package_id"], row["dataset_name"], row["dataset_modified"]) == (None, None, None)
    one = helpers.call_action("nd47_plan_item_show", context=dict(anonymous), id=item["id"])
    assert (one["package_id"], one["dataset_name"]) == (None, None)
    for url in (
        f"/plan/{plan['id']}",
        f"/plan/item/{item['id']}",
        f"/plan/{plan['id']}/export.csv",
    ):
        body = app.get(url).body
        assert not [trace for trace in traces if trace in body], url
    # the agency's own members still see it
    inside = helpers.call_action(
        "nd47_plan_item_show", context={"user": agency.member["name"]}, id=item["id"]
    )
    assert inside["dataset_name"] == secret["name"]


def test_new_plan_on_the_plan_list_for_those_who_may_make_one(app, agency):
    new = "/plan/new?owner_org="
    assert new in app.get("/plan/", headers=token(agency.editor)).body
    assert new not in app.get("/plan/", headers=token(agency.member)).body
    assert new not in app.get("/plan/").body


def test_approving_asks_first_and_says_when_the_plan_is_empty(app, plan, agency):
    page = app.get(f"/plan/{plan['id']}", headers=token(agency.admin)).body
    assert "Are you sure you want to approve this plan?" in page
    empty = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2027)
    page = app.get(f"/plan/{empty['id']}", headers=token(agency.admin)).body
    assert "This plan has no items. Are you sure you want to approve it?" in page


def test_dataset_picker_offers_the_agencys_datasets_the_user_may_read(
    app, plan, agency, other_agency
):
    open_dataset(agency.org["id"], name="co-so-y-te-2026", title="Danh mục cơ sở y tế 2026")
    Dataset(owner_org=agency.org["id"], private=True, name="ho-so-noi-bo", title="Hồ sơ nội bộ")
    open_dataset(other_agency.org["id"], name="co-so-y-te-khac", title="Cơ sở y tế tỉnh khác")
    url = "/api/3/action/nd47_plan_item_dataset_autocomplete"

    def names(user, q):
        query = {"plan_id": plan["id"], "q": q}
        body = app.get(url, query_string=query, headers=token(user)).json
        assert body["success"], body
        return [d["name"] for d in body["result"]]

    # prefixes of words, without diacritics, title or URL name
    assert names(agency.editor, "co so y") == ["co-so-y-te-2026"]
    assert names(agency.editor, "Danh mục") == ["co-so-y-te-2026"]
    assert names(agency.editor, "noi bo") == ["ho-so-noi-bo"]
    assert names(agency.editor, "khac") == []
    # only those who link the plan's items may ask
    query = {"plan_id": plan["id"], "q": "co so"}
    app.get(url, query_string=query, headers=token(other_agency.admin), status=403)
    app.get(url, query_string=query, headers=token(agency.member), status=403)


def test_dataset_linked_by_its_title_and_shown_by_title(app, plan, agency):
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    open_dataset(agency.org["id"], name="co-so-y-te-2026", title="Danh mục cơ sở y tế 2026")
    app.post(
        f"/plan/item/{item['id']}/link",
        data={"dataset": "danh muc co so y te 2026", "package_id": ""},
        headers=token(agency.editor),
    )
    shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
    assert shown["dataset_name"] == "co-so-y-te-2026"
    assert shown["dataset_title"] == "Danh mục cơ sở y tế 2026"
    page = app.get(f"/plan/item/{item['id']}", headers=token(agency.editor)).body
    assert ">Danh mục cơ sở y tế 2026</a>" in page
    assert (
        ">Danh mục cơ sở y tế 2026</a>"
        in app.get(f"/plan/{plan['id']}", headers=token(agency.editor)).body
    )
    # an empty title unlinks
    app.post(
        f"/plan/item/{item['id']}/link",
        data={"dataset": "", "package_id": "co-so-y-te-2026"},
        headers=token(agency.editor),
    )
    assert helpers.call_action("nd47_plan_item_show", id=item["id"])["package_id"] is None


def test_edit_offers_are_hidden_on_an_approved_plan(app, plan, agency):
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    offers = (
        f"/plan/{plan['id']}/edit",
        f"/plan/{plan['id']}/import",
        f"/plan/{plan['id']}/item/new",
    )
    draft = app.get(f"/plan/{plan['id']}", headers=token(agency.editor)).body
    assert all(offer in draft for offer in offers)
    member = app.get(f"/plan/{plan['id']}", headers=token(agency.member)).body
    assert not [offer for offer in offers if offer in member]
    helpers.call_action("nd47_plan_approve", id=plan["id"])
    for user in (agency.editor, agency.admin):
        page = app.get(f"/plan/{plan['id']}", headers=token(user)).body
        assert not [offer for offer in offers if offer in page]
        item_page = app.get(f"/plan/item/{item['id']}", headers=token(user)).body
        assert f"/plan/item/{item['id']}/edit" not in item_page
        assert f"/plan/item/{item['id']}/delete" not in item_page
        # carrying the plan out goes on: status and link
        assert 'id="nd47-status-form"' in item_page
        assert 'id="nd47-link-form"' in item_page


def test_history_shows_names_labels_and_dates(app, plan, agency):
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    # CKAN 2.11's user_patch wants the e-mail again
    helpers.call_action(
        "user_patch", id=agency.editor["id"], fullname="Nguyễn Văn An", email=agency.editor["email"]
    )
    app.post(
        f"/plan/item/{item['id']}/edit",
        data={
            "code": "DM01",
            "title": "Cơ sở y tế",
            "theme": "y-te",
            "access_mode": "download",
            "due_date": "2026-06-30",
        },
        headers=token(agency.editor),
    )
    page = app.get(f"/vi/plan/{plan['id']}/history", headers=token(agency.editor)).body
    for shown in ("Nguyễn Văn An", "Y tế", "Tải xuống", "30/06/2026"):
        assert shown in page, shown
    for code in (">y-te<", "→ download", "2026-06-30", f"<td>{agency.editor['name']}<"):
        assert code not in page, code


def test_item_form_flags_data_other_agencies_hold(app, plan, agency, other_agency):
    open_dataset(other_agency.org["id"], title="Dữ liệu dân cư tỉnh Nghệ An")
    Dataset(owner_org=other_agency.org["id"], private=True, title="Dữ liệu dân cư nội bộ")
    item = helpers.call_action(
        "nd47_plan_item_create", plan_id=plan["id"], code="DM02", title="Dữ liệu dân cư"
    )
    page = app.get(f"/plan/item/{item['id']}/edit", headers=token(agency.editor)).body
    assert "Dữ liệu dân cư tỉnh Nghệ An" in page
    assert "Dữ liệu dân cư nội bộ" not in page
    new = app.get(f"/plan/{plan['id']}/item/new", headers=token(agency.editor)).body
    assert "nd47_similar_datasets" in new


def test_date_fields_are_written_day_first(app, plan, agency):
    item = helpers.call_action("nd47_plan_item_list", plan_id=plan["id"])["results"][0]
    helpers.call_action("nd47_plan_item_update", id=item["id"], due_date="2026-06-30")
    form = app.get(f"/plan/item/{item['id']}/edit", headers=token(agency.editor)).body
    assert 'value="30/06/2026"' in form
    assert 'type="date"' not in form
    app.post(
        f"/plan/item/{item['id']}/edit",
        data={"code": "DM01", "title": "Cơ sở y tế", "due_date": "31/12/2026"},
        headers=token(agency.editor),
    )
    assert helpers.call_action("nd47_plan_item_show", id=item["id"])["due_date"] == "2026-12-31"
