"""Digests: each agency's data officer gets its overdue items, stale datasets,
broken links and lowest-quality datasets by e-mail (CKAN's mailer).

The figures come from ``nd47_dashboard_show`` as the site user (who may read
every agency's data), so a digest says exactly what the agency's dashboard says.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

__all__ = ["agency_digest", "officer", "send_all"]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def officer(org: dict[str, Any]) -> tuple[str | None, str | None]:
    """(name, e-mail) of the agency's data officer, else its contact address."""
    extras = {extra["key"]: extra["value"] for extra in org.get("extras") or []}
    org = {**extras, **org}
    email = org.get("data_officer_email") or org.get("contact_email")
    return org.get("data_officer_name") or org.get("title"), email or None


def agency_digest(org: dict[str, Any]) -> tuple[str, str] | None:
    """(subject, body) of one agency's digest; None when there is nothing to report."""
    figures = tk.get_action("nd47_dashboard_show")(_site_context(), {"agency": org["id"]})
    site = tk.config.get("ckan.site_url").rstrip("/")
    limit = int(tk.config.get("ckanext.nd47.oversight.digest.lowest_quality"))
    sections: list[tuple[str, list[str]]] = [
        (
            tk._("Overdue plan items"),
            [
                f"- {row['code']} {row['title']} ({tk._('due')} {row['due_date']})"
                for row in figures["plans"]["overdue_items"]
            ],
        ),
        (
            tk._("Stale datasets"),
            [
                f"- {row['title']} ({tk._('data last changed')} "
                f"{(row['data_modified'] or '')[:10]}): {site}/dataset/{row['name']}"
                for row in figures["stale"]["datasets"]
            ],
        ),
        (
            tk._("Broken links"),
            [
                f"- {row['url']} ({row['status_code'] or row['error']}): "
                f"{site}/dataset/{row['name']}"
                for row in figures["links"]["broken_items"]
            ],
        ),
        (
            tk._("Lowest-quality datasets"),
            [
                f"- {row['title']}: {row['score']}/405: {site}/dataset/{row['name']}"
                for row in figures["quality"]["lowest"][:limit]
            ],
        ),
    ]
    if not any(lines for _title, lines in sections):
        return None
    title = org.get("title") or org["name"]
    subject = tk._("Data oversight digest: {agency}").format(agency=title)
    parts = [tk._("Dashboard: {url}").format(url=f"{site}/oversight/agency/{org['name']}"), ""]
    for heading, lines in sections:
        if lines:
            parts += [f"{heading} ({len(lines)})", *lines, ""]
    return subject, "\n".join(parts)


def send_all(dry_run: bool = False) -> list[tuple[str, str | None, bool]]:
    """Send every agency's digest; (agency name, address, sent) for each agency with news."""
    from ckan.lib import mailer

    # names only: listing with all fields stops at 25 agencies by default
    names = tk.get_action("organization_list")(_site_context(), {})
    report = []
    for name in names:
        org = tk.get_action("organization_show")(
            _site_context(), {"id": name, "include_datasets": False}
        )
        digest = agency_digest(org)
        if digest is None:
            continue
        name, email = officer(org)
        sent = False
        if email and not dry_run:
            try:
                mailer.mail_recipient(name or email, email, digest[0], digest[1])
                sent = True
            except Exception as error:  # MailerException, socket errors: reported as not sent
                log.warning("nd47_oversight: digest for %s not mailed: %s", org["name"], error)
                sent = False
        report.append((org["name"], email, sent))
    return report
