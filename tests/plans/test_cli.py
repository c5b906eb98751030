"""``ckan nd47-plans overdue`` and ``ckan nd47-plans review-due``, with frozen time."""

from __future__ import annotations

import email
import email.header

import pytest
from ckan.cli.cli import ckan
from ckan.tests import helpers

from tests.factories import Agency

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def officer_agency():
    return Agency(
        title="Sở Y tế",
        data_officer_name="Nguyễn Văn A",
        data_officer_email="can-bo@soyte.example.vn",
    )


@pytest.mark.freeze_time("2026-05-01")
def test_overdue_prints_and_mails(cli, mail_server, officer_agency):
    plan = helpers.call_action("nd47_plan_create", owner_org=officer_agency["id"], period=2026)
    helpers.call_action(
        "nd47_plan_item_create",
        plan_id=plan["id"],
        code="LATE",
        title="Dữ liệu trễ hạn",
        due_date="2026-04-01",
    )
    helpers.call_action(
        "nd47_plan_item_create",
        plan_id=plan["id"],
        code="OK",
        title="Đúng hạn",
        due_date="2026-12-01",
    )
    result = cli.invoke(ckan, ["nd47-plans", "overdue"])
    assert result.exit_code == 0, result.output
    assert "Sở Y tế: 1" in result.output
    assert "[LATE] Dữ liệu trễ hạn" in result.output
    assert "[OK]" not in result.output
    assert mail_server.get_smtp_messages() == []

    result = cli.invoke(ckan, ["nd47-plans", "overdue", "--email"])
    assert result.exit_code == 0, result.output
    messages = mail_server.get_smtp_messages()
    assert len(messages) == 1
    assert messages[0][2] == ["can-bo@soyte.example.vn"]
    body = email.message_from_string(messages[0][3]).get_payload(decode=True).decode()
    assert "[LATE] Dữ liệu trễ hạn" in body


@pytest.mark.freeze_time("2026-05-01")
def test_overdue_for_one_agency(cli, officer_agency):
    other = Agency()
    for org in (officer_agency, other):
        plan = helpers.call_action("nd47_plan_create", owner_org=org["id"], period=2026)
        helpers.call_action(
            "nd47_plan_item_create", plan_id=plan["id"], code="X", title="X", due_date="2026-01-01"
        )
    result = cli.invoke(ckan, ["nd47-plans", "overdue", "--agency", other["name"]])
    assert result.exit_code == 0, result.output
    assert "Sở Y tế" not in result.output
    assert "1 overdue item(s)" in result.output


@pytest.mark.freeze_time("2026-05-01")
def test_review_due(cli, mail_server, officer_agency):
    other = Agency(title="Sở Tài chính")
    helpers.call_action(
        "nd47_plan_create", owner_org=officer_agency["id"], period=2026, last_review="2025-11-15"
    )  # due 2026-05-15: within 30 days
    helpers.call_action(
        "nd47_plan_create", owner_org=other["id"], period=2026, last_review="2026-04-01"
    )  # due 2026-10-01
    result = cli.invoke(ckan, ["nd47-plans", "review-due", "--email"])
    assert result.exit_code == 0, result.output
    assert "Sở Y tế" in result.output and "2026-05-15" in result.output
    assert "Sở Tài chính" not in result.output
    assert len(mail_server.get_smtp_messages()) == 1
    wide = cli.invoke(ckan, ["nd47-plans", "review-due", "--days", "200"])
    assert "Sở Tài chính" in wide.output


@pytest.mark.freeze_time("2026-05-01")
def test_reminders_fall_back_to_the_agency_contact(cli, mail_server):
    contact_only = Agency(title="Sở Xây dựng", contact_email="lien-he@soxd.example.vn")
    nobody = Agency(title="Sở Nội vụ")
    for org in (contact_only, nobody):
        plan = helpers.call_action("nd47_plan_create", owner_org=org["id"], period=2026)
        helpers.call_action(
            "nd47_plan_item_create", plan_id=plan["id"], code="X", title="X", due_date="2026-01-01"
        )
    result = cli.invoke(ckan, ["nd47-plans", "overdue", "--email"])
    assert result.exit_code == 0, result.output
    messages = mail_server.get_smtp_messages()
    # the data officer is missing: the agency's contact address; no address: no mail
    assert [m[2] for m in messages] == [["lien-he@soxd.example.vn"]]
    assert "-> lien-he@soxd.example.vn" in result.output
    assert "Sở Nội vụ: 1" in result.output
    # the greeting names the agency when no officer is named
    to = email.message_from_string(messages[0][3])["To"]
    assert str(email.header.make_header(email.header.decode_header(to))) == (
        "Sở Xây dựng <lien-he@soxd.example.vn>"
    )
