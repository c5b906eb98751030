"""Every feedback and data-request action and status transition, on the real stack."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.feedback.conftest import call_as, feedback, request
from tests.smtp import text

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


class TestFeedbackCreate:
    def test_anonymous_with_email(self, agency):
        thread = feedback(agency, name="Nguyễn Văn A")
        assert thread["status"] == "new"
        assert thread["kind"] == "error"
        assert thread["author_name"] == "Nguyễn Văn A"
        assert thread["owner_org"] == agency.org["id"]
        assert "author_email" not in thread

    def test_anonymous_needs_email(self, agency):
        with pytest.raises(helpers.logic.ValidationError) as err:
            call_as(
                None,
                "nd47_feedback_create",
                package_id=agency.dataset["id"],
                kind="error",
                body="x",
            )
        assert "email" in err.value.error_dict

    def test_signed_in_needs_no_email(self, agency):
        user = factories.User(fullname="Trần Thị B")
        thread = feedback(agency, user)
        assert thread["author_name"] == "Trần Thị B"

    def test_dataset_by_name(self, agency):
        thread = feedback(agency, package_id=agency.dataset["name"])
        assert thread["package_id"] == agency.dataset["id"]

    @pytest.mark.parametrize("field,value", [("kind", "praise"), ("body", ""), ("email", "no")])
    def test_invalid(self, agency, field, value):
        with pytest.raises(helpers.logic.ValidationError) as err:
            feedback(agency, **{field: value})
        assert field in err.value.error_dict

    def test_unknown_dataset(self):
        with pytest.raises(helpers.logic.NotFound):
            call_as(
                None,
                "nd47_feedback_create",
                package_id="nope",
                kind="error",
                body="x",
                email="a@b.vn",
            )

    def test_private_dataset_is_not_found_for_visitors(self, agency):
        helpers.call_action("package_patch", id=agency.dataset["id"], private=True)
        with pytest.raises(helpers.logic.NotAuthorized):
            feedback(agency)


class TestShowAndList:
    def test_show(self, agency):
        thread = feedback(agency, title="Sai tên tỉnh")
        shown = call_as(None, "nd47_feedback_show", id=thread["id"])
        assert shown["title"] == "Sai tên tỉnh"
        assert shown["answers"] == []
        assert shown["can_answer"] is False

    def test_show_of_a_request_id_is_not_found(self, agency):
        thread = request(agency)
        with pytest.raises(helpers.logic.NotFound):
            call_as(None, "nd47_feedback_show", id=thread["id"])

    def test_list_by_dataset_and_kind(self, agency, other_agency):
        feedback(agency)
        feedback(agency, kind="comment")
        feedback(other_agency)
        result = call_as(None, "nd47_feedback_list", package_id=agency.dataset["name"])
        assert result["count"] == 2
        result = call_as(
            None, "nd47_feedback_list", package_id=agency.dataset["id"], kind="comment"
        )
        assert [t["kind"] for t in result["results"]] == ["comment"]

    def test_list_search_ignores_diacritics(self, agency):
        request(agency, title="Danh sách bệnh viện công lập")
        request(agency, title="Giá đất")
        for q in ("bệnh viện", "benh vien", "BENH VIEN"):
            result = call_as(None, "nd47_data_request_list", q=q)
            assert [t["title"] for t in result["results"]] == ["Danh sách bệnh viện công lập"], q
        assert call_as(None, "nd47_data_request_list", q="dat")["count"] == 1

    def test_list_by_status_and_agency(self, agency, other_agency):
        first = request(agency)
        request(other_agency)
        call_as(
            agency.editor, "nd47_data_request_status_update", id=first["id"], status="in_progress"
        )
        assert call_as(None, "nd47_data_request_list", status="in_progress")["count"] == 1
        assert (
            call_as(None, "nd47_data_request_list", owner_org=other_agency.org["name"])["count"]
            == 1
        )


class TestTransitions:
    @pytest.mark.parametrize(
        "path",
        [
            ["in_progress", "answered", "closed"],
            ["answered", "in_progress", "closed", "in_progress"],
            ["closed", "in_progress", "answered"],
        ],
    )
    def test_allowed(self, agency, path):
        thread = feedback(agency)
        for status in path:
            thread = call_as(
                agency.editor, "nd47_feedback_status_update", id=thread["id"], status=status
            )
            assert thread["status"] == status

    @pytest.mark.parametrize("start,target", [("in_progress", "new"), ("closed", "answered")])
    def test_refused(self, agency, start, target):
        thread = feedback(agency)
        if start == "closed":
            call_as(agency.editor, "nd47_feedback_status_update", id=thread["id"], status="closed")
        else:
            call_as(agency.editor, "nd47_feedback_status_update", id=thread["id"], status=start)
        with pytest.raises(helpers.logic.ValidationError) as err:
            call_as(agency.editor, "nd47_feedback_status_update", id=thread["id"], status=target)
        assert "status" in err.value.error_dict

    def test_unknown_status(self, agency):
        thread = feedback(agency)
        with pytest.raises(helpers.logic.ValidationError):
            call_as(agency.editor, "nd47_feedback_status_update", id=thread["id"], status="done")


class TestAnswer:
    def test_answer_is_public_and_mailed(self, agency, smtp):
        thread = feedback(agency, title="Sai số liệu")
        call_as(None, "nd47_feedback_follow", id=thread["id"], email="theo.doi@example.org")
        answered = call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body="Đã sửa.")
        assert answered["status"] == "answered"
        public = call_as(None, "nd47_feedback_show", id=thread["id"])
        assert [a["body"] for a in public["answers"]] == ["Đã sửa."]
        assert public["answers"][0]["author"] is None  # staff names are for moderators
        for address in ("dan@example.org", "theo.doi@example.org"):
            (message,) = smtp.to(address)
            assert "Đã sửa." in text(message)
            assert f"/dataset/{agency.dataset['name']}/feedback" in text(message) or (
                f"/dataset/{agency.dataset['id']}/feedback" in text(message)
            )

    def test_each_answer_mails_again(self, agency, smtp):
        thread = feedback(agency)
        call_as(
            agency.editor,
            "nd47_feedback_answer",
            id=thread["id"],
            body="Đang xem.",
            status="in_progress",
        )
        call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body="Đã sửa.")
        assert len(smtp.to("dan@example.org")) == 2

    def test_signed_in_sender_is_mailed_at_their_address(self, agency, smtp):
        user = factories.User(email="nguoi.dung@example.org")
        thread = feedback(agency, user)
        call_as(agency.admin, "nd47_feedback_answer", id=thread["id"], body="Cảm ơn.")
        assert len(smtp.to("nguoi.dung@example.org")) == 1

    def test_mail_server_down_keeps_the_answer(self, agency, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")
        thread = feedback(agency)
        answered = call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body="Đã sửa.")
        assert answered["status"] == "answered"

    def test_answer_needs_text(self, agency):
        thread = feedback(agency)
        with pytest.raises(helpers.logic.ValidationError) as err:
            call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body="")
        assert "body" in err.value.error_dict


class TestFollow:
    def test_user_follows_once(self, agency):
        thread = request(agency)
        user = factories.User()
        assert call_as(user, "nd47_data_request_follow", id=thread["id"])["added"] is True
        assert call_as(user, "nd47_data_request_follow", id=thread["id"])["added"] is False
        shown = call_as(user, "nd47_data_request_show", id=thread["id"])
        assert shown["following"] is True
        assert shown["follower_count"] == 1

    def test_anonymous_needs_email(self, agency):
        thread = request(agency)
        with pytest.raises(helpers.logic.ValidationError):
            call_as(None, "nd47_data_request_follow", id=thread["id"])


class TestModerate:
    def test_hidden_thread_disappears_for_the_public(self, agency):
        thread = feedback(agency)
        call_as(agency.admin, "nd47_feedback_moderate", id=thread["id"], visibility="spam")
        with pytest.raises(helpers.logic.NotFound):
            call_as(None, "nd47_feedback_show", id=thread["id"])
        assert call_as(None, "nd47_feedback_list", package_id=agency.dataset["id"])["count"] == 0
        assert call_as(agency.admin, "nd47_feedback_show", id=thread["id"])["visibility"] == "spam"
        staff = call_as(
            agency.admin, "nd47_feedback_list", owner_org=agency.org["id"], include_hidden=True
        )
        assert staff["count"] == 1
        # include_hidden is ignored for people who may not moderate
        other = call_as(None, "nd47_feedback_list", owner_org=agency.org["id"], include_hidden=True)
        assert other["count"] == 0

    def test_public_again(self, agency):
        thread = request(agency)
        call_as(agency.admin, "nd47_data_request_moderate", id=thread["id"], visibility="hidden")
        call_as(agency.admin, "nd47_data_request_moderate", id=thread["id"], visibility="public")
        assert call_as(None, "nd47_data_request_show", id=thread["id"])["visibility"] == "public"


class TestDataRequest:
    def test_create_without_agency(self):
        thread = request(None)
        assert thread["owner_org"] is None
        assert thread["kind"] == "request"

    def test_unknown_agency(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            request(None, owner_org="khong-co")
        assert "owner_org" in err.value.error_dict

    def test_title_required(self, agency):
        with pytest.raises(helpers.logic.ValidationError) as err:
            request(agency, title="")
        assert "title" in err.value.error_dict

    def test_answer_by_agency_staff(self, agency, smtp):
        thread = request(agency)
        answered = call_as(
            agency.editor, "nd47_data_request_answer", id=thread["id"], body="Sẽ mở."
        )
        assert answered["answers"][0]["body"] == "Sẽ mở."
        assert "/data-request/" + thread["id"] in text(smtp.to("dan@example.org")[0])

    def test_request_to_no_agency_is_answered_by_sysadmins(self, sysadmin, agency):
        thread = request(None)
        with pytest.raises(helpers.logic.NotAuthorized):
            call_as(agency.admin, "nd47_data_request_answer", id=thread["id"], body="x")
        call_as(sysadmin, "nd47_data_request_answer", id=thread["id"], body="Chuyển Bộ Y tế.")


class TestStats:
    def test_counts(self, agency, other_agency):
        first = feedback(agency)
        feedback(agency, kind="comment")
        request(agency)
        request(other_agency)
        call_as(agency.editor, "nd47_feedback_answer", id=first["id"], body="Đã sửa.")
        stats = call_as(None, "nd47_feedback_stats", owner_org=agency.org["name"])
        assert stats["feedback"]["total"] == 2
        assert stats["feedback"]["answered"] == 1
        assert stats["request"] == {
            "new": 1,
            "in_progress": 0,
            "answered": 0,
            "closed": 0,
            "total": 1,
        }
        assert stats["by_kind"]["comment"]["new"] == 1
        assert stats["open"] == 2
        assert call_as(None, "nd47_feedback_stats")["request"]["total"] == 2


class TestPrivateDatasets:
    def test_feedback_follows_the_dataset_visibility(self, agency, other_agency):
        thread = feedback(agency, title="Về bộ dữ liệu")
        helpers.call_action("package_patch", id=agency.dataset["id"], private=True)
        for user in (None, other_agency.admin, factories.User()):
            with pytest.raises(helpers.logic.NotFound):
                call_as(user, "nd47_feedback_show", id=thread["id"])
            assert call_as(user, "nd47_feedback_list")["count"] == 0
        for user in (agency.member, agency.editor, factories.Sysadmin()):
            assert call_as(user, "nd47_feedback_show", id=thread["id"])["title"] == "Về bộ dữ liệu"
            assert call_as(user, "nd47_feedback_list")["count"] == 1

    def test_deleted_dataset_hides_its_feedback(self, agency):
        feedback(agency)
        helpers.call_action("package_delete", id=agency.dataset["id"])
        assert call_as(None, "nd47_feedback_list")["count"] == 0
