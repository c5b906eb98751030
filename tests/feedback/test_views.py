"""The pages: feedback tab, request list/new/read, agency queue, citation,
terms of use, the citizen's dataset page; XSS payloads inert and e-mail
addresses private on every page and output."""

from __future__ import annotations

import datetime
import json

import pytest
from ckan.tests import factories, helpers

from tests.feedback.conftest import call_as, feedback, request

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SECRET = "bi.mat@example.org"


def _as(user):
    return {
        "Authorization": helpers.call_action("api_token_create", user=user["name"], name="t")[
            "token"
        ]
    }


class TestDatasetFeedbackTab:
    def test_anonymous_sends_feedback(self, app, agency):
        url = f"/dataset/{agency.dataset['name']}/feedback"
        assert "Feedback" in app.get(url).body
        response = app.post(
            url,
            data={"kind": "error", "title": "Sai", "body": "Số giường sai", "email": SECRET},
        )
        assert response.status_code == 200
        assert "Số giường sai" in response.body
        assert SECRET not in response.body
        result = helpers.call_action("nd47_feedback_list", package_id=agency.dataset["id"])
        assert result["count"] == 1

    def test_errors_keep_the_text(self, app, agency):
        response = app.post(
            f"/dataset/{agency.dataset['name']}/feedback",
            data={"kind": "error", "body": "Văn bản của tôi"},
        )
        assert "Văn bản của tôi" in response.body
        assert "nd47-errors" in response.body
        assert helpers.call_action("nd47_feedback_list")["count"] == 0

    def test_staff_answers_and_sees_the_email(self, app, agency):
        thread = feedback(agency, email=SECRET)
        headers = _as(agency.admin)
        response = app.post(
            f"/dataset/{agency.dataset['name']}/feedback/{thread['id']}/answer",
            data={"body": "Đã sửa số giường", "status": "answered"},
            headers=headers,
        )
        assert "Đã sửa số giường" in response.body
        assert SECRET in response.body  # the agency's admin may contact the sender
        public = app.get(f"/dataset/{agency.dataset['name']}/feedback").body
        assert "Đã sửa số giường" in public
        assert SECRET not in public

    def test_visitor_cannot_answer(self, app, agency):
        thread = feedback(agency)
        app.post(
            f"/dataset/{agency.dataset['name']}/feedback/{thread['id']}/answer",
            data={"body": "Giả mạo"},
            status=403,
        )
        assert call_as(None, "nd47_feedback_show", id=thread["id"])["answers"] == []

    def test_moderated_thread_is_gone_from_the_page(self, app, agency):
        thread = feedback(agency, body="Quảng cáo rác")
        app.post(
            f"/dataset/{agency.dataset['name']}/feedback/{thread['id']}/moderate",
            data={"visibility": "spam"},
            headers=_as(agency.admin),
        )
        assert "Quảng cáo rác" not in app.get(f"/dataset/{agency.dataset['name']}/feedback").body


class TestXSS:
    def test_payloads_inert_on_every_page(self, app, agency):
        thread = feedback(agency, title=XSS, body=XSS, name=XSS)
        call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body=XSS)
        req = request(agency, title=XSS, body=XSS, name=XSS)
        call_as(agency.editor, "nd47_data_request_answer", id=req["id"], body=XSS)
        pages = [
            f"/dataset/{agency.dataset['name']}/feedback",
            "/data-request",
            f"/data-request?q={XSS}",
            f"/data-request/{req['id']}",
        ]
        headers = _as(agency.admin)
        for url in pages:
            for extra in ({}, {"headers": headers}):
                body = app.get(url, **extra).body
                assert "<script>alert" not in body, url
                assert "<img src=x" not in body, url
                assert "&lt;script&gt;alert" in body or url.startswith("/data-request?"), url
        queue = app.get(f"/organization/feedback/{agency.org['name']}", headers=headers).body
        assert "<script>alert" not in queue


class TestDataRequestPages:
    def test_new_list_read(self, app, agency):
        response = app.post(
            "/data-request/new",
            data={
                "title": "Danh sách chợ truyền thống",
                "body": "Để làm bản đồ chợ",
                "owner_org": agency.org["name"],
                "email": SECRET,
            },
        )
        assert "Danh sách chợ truyền thống" in response.body
        assert SECRET not in response.body
        listing = app.get("/data-request", query_string={"q": "cho truyen thong"}).body
        assert "Danh sách chợ truyền thống" in listing
        assert (
            "Danh sách chợ truyền thống"
            not in app.get("/data-request", query_string={"q": "giá đất"}).body
        )

    def test_follow(self, app, agency):
        thread = request(agency)
        app.post(f"/data-request/{thread['id']}/follow", data={"email": "a@example.org"})
        assert helpers.call_action("nd47_data_request_show", id=thread["id"])["follower_count"] == 1

    def test_unknown_request_is_404(self, app):
        app.get("/data-request/khong-co", status=404)


class TestQueue:
    def test_staff_only(self, app, agency):
        feedback(agency, body="Cần cập nhật")
        request(agency, title="Dữ liệu mới")
        url = f"/organization/feedback/{agency.org['name']}"
        body = app.get(url, headers=_as(agency.editor)).body
        assert agency.dataset["title"] in body
        assert "Dữ liệu mới" in body
        app.get(url, status=403)
        app.get(url, headers=_as(agency.member), status=403)


class TestEmailPrivacy:
    def test_never_in_api_dcat_or_exports(self, app, agency):
        thread = feedback(agency, email=SECRET)
        req = request(agency, email=SECRET)
        for action, data in (
            ("nd47_feedback_show", {"id": thread["id"]}),
            ("nd47_feedback_list", {}),
            ("nd47_data_request_show", {"id": req["id"]}),
            ("nd47_data_request_list", {}),
        ):
            body = app.get(f"/api/3/action/{action}", query_string=data).body
            assert SECRET not in body, action
            assert json.loads(body)["success"]
        outputs = [
            f"/dataset/{agency.dataset['name']}",
            f"/dataset/{agency.dataset['name']}.ttl",
            f"/dataset/{agency.dataset['name']}.jsonld",
            "/catalog.ttl",
            f"/api/3/action/package_show?id={agency.dataset['name']}",
            f"/dataset/{agency.dataset['name']}/citation.json",
        ]
        for url in outputs:
            response = app.get(url)
            assert SECRET not in response.body, url
        staff = helpers.call_action(
            "nd47_feedback_show", context={"user": agency.admin["name"]}, id=thread["id"]
        )
        assert staff["author_email"] == SECRET
        editor = helpers.call_action(
            "nd47_feedback_show", context={"user": agency.editor["name"]}, id=thread["id"]
        )
        assert "author_email" not in editor


class TestCitation:
    def test_action_and_downloads(self, app, agency):
        cite = helpers.call_action("nd47_dataset_citation", id=agency.dataset["name"])
        assert agency.dataset["title"] in cite["vi"]
        assert "[Bộ dữ liệu]" in cite["vi"]
        assert "[Dataset]" in cite["en"]
        assert agency.org["title"] in cite["en"]
        bib = app.get(f"/dataset/{agency.dataset['name']}/citation.bib")
        assert bib.headers["Content-Type"].startswith("application/x-bibtex")
        assert bib.body.startswith("@misc{")
        assert "url = {" in bib.body
        csl = json.loads(app.get(f"/dataset/{agency.dataset['name']}/citation.json").body)
        assert csl[0]["type"] == "dataset"
        assert csl[0]["title"] == agency.dataset["title"]
        app.get(f"/dataset/{agency.dataset['name']}/citation.xml", status=404)

    def test_private_dataset_is_not_cited_for_visitors(self, app, agency):
        helpers.call_action("package_patch", id=agency.dataset["id"], private=True)
        app.get(f"/dataset/{agency.dataset['name']}/citation.bib", status=403)


class TestDatasetPage:
    def test_reads_for_a_citizen(self, app, agency):
        body = app.get(f"/dataset/{agency.dataset['name']}").body
        assert "nd47-cite-vi" in body
        assert "/terms-of-use" in body
        assert "Full metadata" in body
        assert 'class="nd47-facts"' in body
        assert "/feedback" in body

    def test_resources_without_size_or_format(self, app, agency):
        factories.Resource(
            package_id=agency.dataset["id"], url="http://example.org/a", name="Tệp", format="CSV"
        )
        body = app.get(f"/dataset/{agency.dataset['name']}").body
        assert "nd47-download" in body
        assert "nd47-size" not in body

    def test_private_dataset_has_no_terms_link(self, app, agency):
        user = factories.Sysadmin()
        helpers.call_action("package_patch", id=agency.dataset["id"], sharing_class="dung-chung")
        body = app.get(f"/dataset/{agency.dataset['name']}", headers=_as(user)).body
        assert "nd47-terms-link" not in body


class TestFreshnessAndQuality:
    def test_stale_then_fresh_and_the_quality_score(self, app, agency):
        from ckanext.nd47.oversight import service

        url = f"/dataset/{agency.dataset['name']}"
        helpers.call_action(
            "package_patch", id=agency.dataset["id"], frequency="MONTHLY", modified="2020-01-01"
        )
        service.score(agency.dataset["id"])
        body = app.get(url).body
        assert "nd47-freshness stale" in body
        assert "Update overdue" in body
        assert "nd47-quality" in body
        today = datetime.date.today().isoformat()
        helpers.call_action("package_patch", id=agency.dataset["id"], modified=today)
        assert "nd47-freshness fresh" in app.get(url).body
        vi = app.get(f"/vi{url}").body
        assert "Cập nhật đúng hạn" in vi

    def test_no_period_no_freshness(self, app, agency):
        helpers.call_action("package_patch", id=agency.dataset["id"], frequency="IRREG")
        assert "nd47-freshness" not in app.get(f"/dataset/{agency.dataset['name']}").body

    @pytest.mark.ckan_config(
        "ckan.plugins",
        "nd47 nd47_feedback nd47_dcat scheming_datasets scheming_organizations dcat",
    )
    def test_the_page_works_without_oversight(self, app, agency):
        helpers.call_action(
            "package_patch", id=agency.dataset["id"], frequency="MONTHLY", modified="2020-01-01"
        )
        body = app.get(f"/dataset/{agency.dataset['name']}").body
        assert "nd47-freshness stale" in body
        assert "nd47-quality" not in body


class TestTermsOfUse:
    def test_built_from_the_licences(self, app):
        body = app.get("/terms-of-use").body
        assert "Article 43" in body
        assert "Creative Commons" in body
        assert "licence-vn-open-data" in body

    @pytest.mark.ckan_config(
        "ckanext.nd47.terms_of_use.extra_text", "Liên hệ <b>Sở</b>\n\nĐoạn hai"
    )
    def test_operator_text_is_plain(self, app):
        body = app.get("/terms-of-use").body
        assert "Liên hệ &lt;b&gt;Sở&lt;/b&gt;" in body
        assert "Đoạn hai" in body
