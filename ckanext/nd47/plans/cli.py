"""``ckan nd47-plans overdue``, ``review-due`` and ``list export``.

The commands read through the actions (as the site user) and mail through
CKAN's mailer, so they hold no state and can run on any worker or from cron.
The ``nd47-plans`` group is registered by the ``nd47_plans`` plugin itself.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.nd47.plans.model import today

__all__ = ["get_commands", "plans"]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _all(action: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    limit = tk.config.get("ckanext.nd47.plans.list_max_limit")
    while True:
        page = tk.get_action(action)(
            _site_context(), {**data, "limit": limit, "offset": len(results)}
        )
        results.extend(page["results"])
        if not page["results"] or len(results) >= page["count"]:
            return results


def _officer(org_id: str) -> tuple[str, str | None, str | None]:
    """(agency title, data officer name, e-mail) — the agency's fields, when the schema has them."""
    org = tk.get_action("organization_show")(_site_context(), {"id": org_id})
    # the agency schema has these fields at the top level; CKAN's default keeps extras
    org = {**{e["key"]: e["value"] for e in org.get("extras") or []}, **org}
    email = org.get("data_officer_email") or org.get("contact_email")
    name = org.get("data_officer_name") or org.get("title")
    return org.get("title") or org["name"], name, email


def _mail(email: str | None, name: str | None, subject: str, body: str) -> bool:
    from ckan.lib import mailer

    if not email:
        return False
    try:
        mailer.mail_recipient(name or email, email, subject, body)
    except mailer.MailerException as err:
        click.secho(f"  ! {email}: {err}", fg="red", err=True)
        return False
    return True


@click.group(name="nd47-plans", short_help="Open-data plans: overdue items, reviews due")
def plans() -> None:
    """Open-data plan reminders."""


@plans.command("overdue")
@click.option("--agency", help="Only this agency (name or id).")
@click.option("--email", is_flag=True, help="Mail each agency's data officer its list.")
def overdue(agency: str | None, email: bool) -> None:
    """Print the overdue items (due date passed, not published) and the
    published items whose update is overdue, by agency."""
    data: dict[str, Any] = {"kind": "all"}
    if agency:
        data["owner_org"] = agency
    items = _all("nd47_plan_item_overdue_list", data)
    by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_org[item["plan"]["owner_org"]].append(item)
    for org_id, rows in sorted(by_org.items()):
        title, officer, address = _officer(org_id)
        lines = [
            "- [{code}] {title} ({kind}; {due})".format(
                code=i["code"],
                title=i["title"],
                kind=tk._("update overdue") if i["update_overdue"] else tk._("overdue"),
                due=i["due_date"] or "-",
            )
            for i in rows
        ]
        click.echo(f"{title}: {len(rows)}")
        click.echo("\n".join("  " + line for line in lines))
        if email:
            subject = tk._("Overdue open-data plan items: %(agency)s") % {"agency": title}
            body = "\n".join(
                [tk._("These items of your agency's open-data plan are overdue:"), "", *lines]
            )
            if _mail(address, officer, subject, body):
                click.echo(f"  -> {address}")
    click.echo(tk._("%(count)s overdue item(s)") % {"count": len(items)})


@plans.command("review-due")
@click.option(
    "--days", type=int, help="Window in days (default: ckanext.nd47.plans.review_notice_days)."
)
@click.option("--email", is_flag=True, help="Mail each agency's data officer.")
def review_due(days: int | None, email: bool) -> None:
    """Print the plans whose next review deadline has passed or falls within the window."""
    window = days if days is not None else tk.config.get("ckanext.nd47.plans.review_notice_days")
    limit = today() + datetime.timedelta(days=window)
    count = 0
    for plan in _all("nd47_plan_list", {}):
        due = plan.get("next_review_due")
        if not due or datetime.date.fromisoformat(due) > limit:
            continue
        count += 1
        title, officer, address = _officer(plan["owner_org"])
        line = f"{title}: {plan['title']} ({plan['period']}) - {tk._('next review')}: {due}"
        click.echo(line)
        if email:
            subject = tk._("Open-data plan review due: %(agency)s") % {"agency": title}
            if _mail(address, officer, subject, line):
                click.echo(f"  -> {address}")
    click.echo(tk._("%(count)s plan(s) due for review") % {"count": count})


@plans.group("list", short_help="The open-data list (danh mục dữ liệu mở)")
def list_() -> None:
    """The open-data list each agency sends for the National Data Portal."""


@list_.command("export")
@click.option("--agency", required=True, help="The agency (name or id).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--note", default="", help="Recorded with the sending, e.g. the dispatch number.")
@click.option("--record/--no-record", default=True, help="Record the sending (default: yes).")
def list_export(agency: str, out_dir: str, note: str, record: bool) -> None:
    """Write the agency's list (CSV, XLSX, JSON, DCAT Turtle) and a manifest to OUT."""
    import hashlib
    import json
    import os

    from ckanext.nd47.plans import opendata_list

    try:
        shown = tk.get_action("nd47_opendata_list_show")(_site_context(), {"owner_org": agency})
    except tk.ObjectNotFound as err:
        raise click.ClickException(str(err)) from err
    os.makedirs(out_dir, exist_ok=True)
    name = shown["agency"]["name"]
    title = f"Danh mục dữ liệu mở - {shown['agency']['title']}"
    files = []
    for fmt in opendata_list.FORMATS:
        data = opendata_list.render(shown["rows"], fmt, title)
        filename = f"danh-muc-du-lieu-mo-{name}.{fmt}"
        with open(os.path.join(out_dir, filename), "wb") as out:
            out.write(data)
        files.append({"file": filename, "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {
        "agency": shown["agency"],
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "rows": shown["count"],
        "checksum": shown["checksum"],
        "columns": shown["columns"],
        "previous_sending": shown["last_sent"],
        "files": files,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=2)
    if record:
        tk.get_action("nd47_opendata_list_sent_create")(
            _site_context(), {"owner_org": shown["agency"]["id"], "note": note}
        )
    click.echo(
        tk._("%(count)s row(s) written to %(dir)s") % {"count": shown["count"], "dir": out_dir}
    )


def get_commands() -> list[click.Command]:
    """The ``ckan nd47-plans`` group."""
    return [plans]
