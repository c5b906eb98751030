"""No e-mail tells its recipient what the recipient may not read.

Every flow that sends mail is driven once over the secrets of
``test_leaks.Secrets`` (private, draft and deleted datasets, a draft plan, a
shared dataset, a private dataset linked to a public plan item, the e-mail
addresses of citizens and of the agency's data officer), and every message
is caught by the local SMTP server of the ``smtp`` fixture:

- feedback answers and data request answers (typed and automatic) to the
  senders and followers, citizens signed in or not;
- the sharing workflow (request, grant, revoke, refusal) to both agencies;
- the plan reminders (``ckan nd47-plans overdue`` / ``review-due``) and the
  oversight digests (``ckan nd47-oversight report send``) to each agency's
  data officer, of the agency holding the secrets and of another agency.

A recipient outside the agency (a citizen, the other agency's admin or data
officer) must find no secret marker (the other agency's people may see the
shared dataset), no citizen's address but their own and not the data
officer's address. Each flow must send at least one message, or the check
would prove nothing.
"""

from __future__ import annotations

import datetime
import email.header
from email.message import Message

import pytest
from ckan.cli.cli import ckan

from tests import factories as nd47_factories
from tests.hardening.test_auth_policy import PLUGINS
from tests.hardening.test_leaks import MARKERS, Secrets
from tests.hardening.world import call_as
from tests.smtp import text

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.nd47.oversight.dashboard.cache_seconds", "0"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

FOLLOWER = "zqxfollower@example.org"
OTHER_OFFICER = "zqxotherofficer@example.org"
# what only the agency holding the secrets may read
AGENCY_ONLY = ("private", "draft", "deleted", "plan", "linked")
CITIZEN_ADDRESSES = ("feedback_email",)


def _readable(message: Message) -> str:
    """Every header (decoded) and the plain-text body."""
    headers = [
        f"{key}: {email.header.make_header(email.header.decode_header(value))}"
        for key, value in message.items()
    ]
    return ("\n".join(headers) + "\n" + text(message)).lower()


class MailSecrets(Secrets):
    """The secrets, plus what makes each mail flow send: followers, overdue items,
    a data officer of the other agency."""

    def __init__(self) -> None:
        super().__init__()
        call_as(
            self.sysadmin,
            "organization_patch",
            id=self.other_org["id"],
            data_officer_name="Cán bộ khác",
            data_officer_email=OTHER_OFFICER,
        )
        long_ago = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
        call_as(self.sysadmin, "nd47_plan_update", id=self.draft_plan["id"], last_review=long_ago)
        other_plan = call_as(
            self.other_admin,
            "nd47_plan_create",
            owner_org=self.other_org["id"],
            period=2030,
            last_review=long_ago,
        )
        # overdue items: in the draft plan (reminders) and in approved plans (digests)
        for user, plan, title in (
            (self.editor, self.draft_plan, f"late {MARKERS['plan']}"),
            (self.admin, self.public_plan, "late"),
            (self.other_admin, other_plan, "late"),
        ):
            call_as(
                user,
                "nd47_plan_item_create",
                plan_id=plan["id"],
                code="TRE",
                title=title,
                due_date="2025-01-01",
            )
        call_as(self.other_admin, "nd47_plan_approve", id=other_plan["id"])
        # a stale, low-quality dataset of the other agency gives it a digest too
        nd47_factories.Dataset(owner_org=self.other_org["id"], private=False, title="Khác")
        self.signed_in = {
            "citizen": self.citizen["email"].lower(),
            "other_admin": self.other_admin["email"].lower(),
        }
        call_as(self.citizen, "nd47_feedback_follow", id=self.feedback["id"])
        call_as(None, "nd47_feedback_follow", id=self.feedback["id"], email=FOLLOWER)
        call_as(None, "nd47_data_request_follow", id=self.data_request["id"], email=FOLLOWER)
        call_as(self.citizen, "nd47_data_request_follow", id=self.data_request["id"])

    def insiders(self) -> set[str]:
        """Addresses of the agency holding the secrets: they may read all of them."""
        users = (self.admin, self.editor, self.member, self.sysadmin)
        return {u["email"].lower() for u in users if u.get("email")} | {MARKERS["officer_email"]}

    def agency_people(self) -> set[str]:
        """Addresses of the other agency: they may read the shared dataset."""
        return {self.other_admin["email"].lower(), OTHER_OFFICER}

    def citizens(self) -> set[str]:
        return {MARKERS["feedback_email"], FOLLOWER, self.citizen["email"].lower()}


def _findings(s: MailSecrets, recipient: str, flow: str, message: Message) -> list[str]:
    recipient = recipient.lower()
    if recipient in s.insiders():
        return []
    readable = _readable(message)
    secret = {key: MARKERS[key] for key in AGENCY_ONLY}
    if recipient not in s.agency_people():
        secret["shared"] = MARKERS["shared"]
    secret["officer_email"] = MARKERS["officer_email"]
    for address in s.citizens() - {recipient}:
        secret[f"address {address}"] = address
    if recipient not in s.agency_people():
        secret["other officer"] = OTHER_OFFICER
    return [
        f"{flow}: {recipient} is told {key}" for key, value in secret.items() if value in readable
    ]


def test_no_mail_tells_an_outsider_what_is_not_theirs(app, cli, smtp):
    before = len(smtp.messages)
    s = MailSecrets()
    sent: dict[str, list[tuple[list[str], Message]]] = {"share request": smtp.messages[before:]}

    def flow(name, step) -> None:
        start = len(smtp.messages)
        step()
        sent[name] = smtp.messages[start:]

    def cli_ok(*args: str) -> None:
        result = cli.invoke(ckan, list(args))
        assert result.exit_code == 0, result.output

    flow(
        "feedback answer",
        lambda: call_as(s.editor, "nd47_feedback_answer", id=s.feedback["id"], body="Đã sửa"),
    )
    flow(
        "data request answer",
        lambda: call_as(
            s.editor,
            "nd47_data_request_answer",
            id=s.data_request["id"],
            body="Đang xử lý",
            status="in_progress",
        ),
    )

    def automatic_answer() -> None:
        moved = call_as(
            s.editor,
            "nd47_data_request_plan_item_create",
            id=s.data_request["id"],
            plan_id=s.draft_plan["id"],
            code="YC1",
        )
        call_as(
            s.editor, "nd47_plan_item_link", id=moved["plan_item_id"], package_id=s.public["id"]
        )
        call_as(None, "nd47_data_request_show", id=s.data_request["id"])

    flow("data request automatic answer", automatic_answer)
    flow(
        "share grant",
        lambda: call_as(
            s.admin,
            "nd47_share_request_grant",
            id=s.share_request["id"],
            grant_end=(datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        ),
    )
    flow(
        "share revoke",
        lambda: call_as(
            s.admin, "nd47_share_request_revoke", id=s.share_request["id"], reason="Hết"
        ),
    )

    def refusal() -> None:
        again = call_as(
            s.other_admin,
            "nd47_share_request_create",
            package_id=s.shared["id"],
            requester_org=s.other_org["id"],
            purpose="Lần hai",
            legal_basis="47/2020/NĐ-CP",
            contact="Phòng CNTT",
        )
        call_as(
            s.admin,
            "nd47_share_request_refuse",
            id=again["id"],
            reason="Không",
            legal_basis="47/2020/NĐ-CP",
        )

    flow("share request and refusal", refusal)
    flow("plan overdue reminders", lambda: cli_ok("nd47-plans", "overdue", "--email"))
    flow("plan review reminders", lambda: cli_ok("nd47-plans", "review-due", "--email"))
    flow("oversight digests", lambda: cli_ok("nd47-oversight", "report", "send"))

    silent = [name for name, messages in sent.items() if not messages]
    assert not silent, f"these flows sent nothing, so nothing was checked: {silent}"
    found = [
        finding
        for name, messages in sent.items()
        for recipients, message in messages
        for recipient in recipients
        for finding in _findings(s, recipient, name, message)
    ]
    assert not found, "\n".join(found)
    # outsiders were actually written to, and each of their own addresses only
    outsiders_reached = {r.lower() for _n, ms in sent.items() for rs, _m in ms for r in rs}
    assert {MARKERS["feedback_email"], FOLLOWER, OTHER_OFFICER} <= outsiders_reached
    assert set(s.signed_in.values()) <= outsiders_reached
    for recipients, _message in smtp.messages:
        assert len(recipients) == 1, f"one message to several people: {recipients}"
    # the secrets are in the mails where they belong: the check looks at real text
    to_officer = " ".join(_readable(m) for m in smtp.to(MARKERS["officer_email"]))
    assert MARKERS["plan"] in to_officer
