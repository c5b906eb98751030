"""E-mails to the sender and the followers of a thread when the agency answers.

Sent through CKAN's mailer (smtp.* options). A failing mail server never
fails the answer: the error is logged and the answer stays published.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.feedback import workflow as wf
from ckanext.nd47.feedback.model import Answer, Feedback

__all__ = ["recipients", "send_answer"]

log = logging.getLogger(__name__)


def _user_email(user_id: str | None) -> tuple[str, str] | None:
    user = model.User.get(user_id) if user_id else None
    if user and user.email and user.state == "active":
        return user.display_name, user.email
    return None


def recipients(thread: Feedback) -> dict[str, str]:
    """{e-mail: name} of the sender and every follower, each once."""
    found: dict[str, str] = {}
    sender = _user_email(thread.author_user_id)
    if sender:
        found[sender[1].lower()] = sender[0]
    elif thread.author_email:
        found[thread.author_email.lower()] = thread.author_name or ""
    for follower in thread.followers():
        person = _user_email(follower.user_id)
        if person:
            found.setdefault(person[1].lower(), person[0])
        elif follower.email:
            found.setdefault(follower.email.lower(), "")
    return found


def send_answer(thread: Feedback, answer: Answer, url: str) -> int:
    """Mail the answer to everyone concerned; return how many were sent."""
    site = tk.config.get("ckan.site_title")
    subject = tk._("[{site}] Answer to: {title}").format(
        site=site, title=thread.title or wf.label("kind", thread.kind)
    )
    body = tk._(
        "{site} has answered the message you sent or follow.\n\n"
        "Status: {status}\n\n{answer}\n\nRead it and the whole thread at {url}\n"
    ).format(site=site, status=wf.label("status", answer.status), answer=answer.body, url=url)
    sent = 0
    for email, name in recipients(thread).items():
        try:
            tk.mail_recipient(name or email, email, subject, body)
            sent += 1
        except Exception as error:  # MailerException, socket errors, no sender set
            log.warning("nd47_feedback: answer %s not mailed: %s", answer.id, error)
    return sent
