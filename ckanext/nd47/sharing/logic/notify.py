"""E-mails of the request workflow, through CKAN's mailer, to both agencies.

Each step goes to the requesting user and to the admins of the owning agency
(who decide); decisions also reach the admins of the requesting agency. A
mail that cannot be sent is logged, never fatal: the audit row is the record.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.sharing.model import ShareRequest

__all__ = ["send"]

log = logging.getLogger(__name__)


def _admins(org_id: str) -> list[str]:
    members = tk.get_action("member_list")(
        {"ignore_auth": True}, {"id": org_id, "object_type": "user", "capacity": "admin"}
    )
    return [member[0] for member in members]


def _subject(event: str, title: str) -> str:
    subjects = {
        "create": tk._("Access request for the dataset {title}"),
        "grant": tk._("Access granted to the dataset {title}"),
        "refuse": tk._("Access refused to the dataset {title}"),
        "revoke": tk._("Access revoked to the dataset {title}"),
    }
    return subjects[event].format(title=title)


def send(request: ShareRequest, event: str, request_dict: dict[str, Any]) -> int:
    """Mail one workflow step; returns how many mails were sent."""
    recipients = {request.requester_user_id, *_admins(request.owner_org)}
    if event != "create":
        recipients.update(_admins(request.requester_org))
    title = request_dict.get("package_title") or request.package_id
    url = tk.url_for("nd47_sharing.request_read", id=request.id, _external=True)
    lines = [
        _subject(event, title),
        "",
        tk._("Requesting agency: {org}").format(org=request_dict.get("requester_org_title")),
        tk._("Owning agency: {org}").format(org=request_dict.get("owner_org_title")),
        tk._("Purpose: {text}").format(text=request.purpose),
        tk._("Legal basis: {text}").format(text=request.legal_basis),
    ]
    if event == "grant":
        lines.append(
            tk._("Granted from {start} to {end}").format(
                start=request.grant_start, end=request.grant_end
            )
        )
    if event == "refuse":
        lines.append(tk._("Reason: {text}").format(text=request.refusal_reason))
        lines.append(
            tk._("Legal basis of the refusal: {text}").format(text=request.refusal_legal_basis)
        )
    if event == "revoke":
        lines.append(tk._("Reason: {text}").format(text=request.revoke_reason))
    lines += ["", url]
    sent = 0
    for user_id in sorted(recipients):
        user = model.User.get(user_id)
        if not user or not user.email:
            continue
        try:
            tk.mail_user(user, _subject(event, title), "\n".join(lines))
            sent += 1
        except Exception as err:  # MailerException, socket errors: the audit row stays
            log.warning("sharing mail to %s not sent: %s", user.name, err)
    return sent
