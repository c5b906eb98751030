"""Anti-abuse: rate limits per IP and per sender (Redis), content limits,
reCAPTCHA when configured. The n+1-th message is refused with a clear
message and nothing is stored."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.feedback.conftest import call_as, feedback, request

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


# The client's address as a WSGI server gives it. CKAN 2.11's test client
# (werkzeug's Client) sends no REMOTE_ADDR at all, 2.12's (Flask's) sends
# 127.0.0.1: the tests name the address themselves.
CLIENT = {"REMOTE_ADDR": "198.51.100.7"}
OTHER_CLIENT = {"REMOTE_ADDR": "203.0.113.9"}


def _count() -> int:
    return (
        helpers.call_action("nd47_feedback_list", include_hidden=True)["count"]
        + helpers.call_action("nd47_data_request_list", include_hidden=True)["count"]
    )


class TestRateLimits:
    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", 3)
    def test_per_email(self, agency):
        for _ in range(3):
            feedback(agency, email="spam@example.org")
        with pytest.raises(helpers.logic.ValidationError) as err:
            request(agency, email="SPAM@example.org")  # requests count too, any case
        assert "at most 3" in err.value.error_dict["message"][0]
        assert _count() == 3
        feedback(agency, email="honest@example.org")  # others are not refused
        assert _count() == 4

    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", 2)
    def test_per_signed_in_user(self, agency):
        user = factories.User()
        feedback(agency, user)
        feedback(agency, user)
        with pytest.raises(helpers.logic.ValidationError):
            feedback(agency, user)
        assert _count() == 2

    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_ip", 2)
    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", 0)
    def test_per_ip_over_http(self, app, agency):
        url = f"/dataset/{agency.dataset['name']}/feedback"
        for n in range(2):
            app.post(
                url,
                data={"kind": "comment", "body": f"Ý kiến {n}", "email": f"{n}@ex.org"},
                extra_environ=CLIENT,
            )
        response = app.post(
            url,
            data={"kind": "comment", "body": "Thứ ba", "email": "c@ex.org"},
            extra_environ=CLIENT,
        )
        assert "Too many messages" in response.body
        assert "Thứ ba" in response.body  # the text is kept in the form
        assert _count() == 2
        app.post(
            url,
            data={"kind": "comment", "body": "Từ máy khác", "email": "d@ex.org"},
            extra_environ=OTHER_CLIENT,
        )
        assert _count() == 3  # another address is not refused

    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_ip", 1)
    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_message_in_vietnamese(self, app, agency):
        url = f"/dataset/{agency.dataset['name']}/feedback"
        app.post(
            url, data={"kind": "comment", "body": "Một", "email": "a@ex.org"}, extra_environ=CLIENT
        )
        response = app.post(
            url, data={"kind": "comment", "body": "Hai", "email": "b@ex.org"}, extra_environ=CLIENT
        )
        assert "Quá nhiều" in response.body
        assert _count() == 1

    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_email", 0)
    @pytest.mark.ckan_config("ckanext.nd47.feedback.rate_limit.per_ip", 0)
    def test_zero_means_no_limit(self, agency):
        for _ in range(12):
            feedback(agency)
        assert _count() == 12


class TestContentLimits:
    @pytest.mark.ckan_config("ckanext.nd47.feedback.max_body_length", 20)
    def test_body_length(self, agency):
        with pytest.raises(helpers.logic.ValidationError) as err:
            feedback(agency, body="x" * 21)
        assert "20" in err.value.error_dict["body"][0]
        assert _count() == 0

    @pytest.mark.ckan_config("ckanext.nd47.feedback.max_title_length", 10)
    def test_title_length(self, agency):
        with pytest.raises(helpers.logic.ValidationError) as err:
            request(agency, title="Một tiêu đề quá dài")
        assert "title" in err.value.error_dict

    def test_links(self, agency):
        body = " ".join(f"https://spam{n}.example" for n in range(4))
        with pytest.raises(helpers.logic.ValidationError) as err:
            feedback(agency, body=body)
        assert "links" in err.value.error_dict["body"][0]
        feedback(agency, body="Xem https://data.gov.vn và www.example.org")  # a few are fine
        assert _count() == 1

    @pytest.mark.ckan_config("ckanext.nd47.feedback.max_body_length", 10)
    def test_answer_length(self, agency):
        thread = feedback(agency, body="ngắn")
        with pytest.raises(helpers.logic.ValidationError):
            call_as(agency.editor, "nd47_feedback_answer", id=thread["id"], body="x" * 11)


class TestCaptcha:
    @pytest.mark.ckan_config("ckan.recaptcha.privatekey", "secret")
    @pytest.mark.ckan_config("ckan.recaptcha.publickey", "public-key-123")
    def test_anonymous_without_captcha_is_refused(self, app, agency):
        url = f"/dataset/{agency.dataset['name']}/feedback"
        assert "public-key-123" in app.get(url).body
        response = app.post(url, data={"kind": "error", "body": "Lỗi", "email": "a@ex.org"})
        assert "reCAPTCHA" in response.body
        with pytest.raises(helpers.logic.ValidationError) as err:
            feedback(agency)
        assert "captcha" in err.value.error_dict
        assert _count() == 0

    @pytest.mark.ckan_config("ckan.recaptcha.privatekey", "secret")
    def test_signed_in_users_are_not_asked(self, agency):
        feedback(agency, factories.User())
        assert _count() == 1
