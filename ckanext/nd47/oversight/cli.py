"""``ckan nd47-oversight report send|quality score|links check|facts rebuild``.

The ``nd47-oversight`` group is registered by the ``nd47_oversight`` plugin
itself. Checks and scores can run here directly (``--now``) or be queued
for the workers; digests go through CKAN's mailer, for cron.
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["get_commands", "links", "oversight", "quality", "report"]


def _dataset_ids(ids: tuple[str, ...]) -> list[str]:
    if ids:
        return list(ids)
    from ckan import model

    rows = model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type == "dataset"
    )
    return [row.id for row in rows]


@click.group(short_help="Metadata quality scores (405-point MQA)")
def quality() -> None:
    """Metadata quality scores."""


@quality.command("score")
@click.argument("ids", nargs=-1)
def quality_score(ids: tuple[str, ...]) -> None:
    """Score the given datasets now (all active datasets without IDS)."""
    from ckanext.nd47.oversight import service

    for package_id in _dataset_ids(ids):
        service.record_fact(package_id)
        row = service.score(package_id)
        if row is not None:
            click.echo(f"{package_id}\t{row.score}\t{row.band}")


@click.group(short_help="Link checks of resource URLs")
def links() -> None:
    """Link checks."""


@links.command("check")
@click.argument("ids", nargs=-1)
@click.option("--now", is_flag=True, help="Check here and wait, instead of queueing jobs.")
def links_check(ids: tuple[str, ...], now: bool) -> None:
    """Check the links of the given datasets (all active datasets without IDS), then score them."""
    from ckanext.nd47.oversight import service

    for package_id in _dataset_ids(ids):
        if now:
            service.assess_dataset_job(package_id)
            broken = [
                row.url for row in service.latest_links(package_id) if row.outcome == "broken"
            ]
            click.echo(f"{package_id}\t{len(broken)} broken")
        else:
            service.enqueue_assessment(package_id)
    if not now:
        click.echo("queued; run `ckan jobs worker` to process them")


@click.group(short_help="Oversight digests for agencies")
def report() -> None:
    """Digests."""


@report.command("send")
@click.option("--dry-run", is_flag=True, help="Say who would get a digest; send nothing.")
def report_send(dry_run: bool) -> None:
    """E-mail each agency's data officer its oversight digest."""
    from ckanext.nd47.oversight import digest

    for name, email, sent in digest.send_all(dry_run=dry_run):
        state = "sent" if sent else ("no address" if not email else "not sent")
        click.echo(f"{name}\t{email or '-'}\t{state}")


@click.group(short_help="Dataset facts the dashboards count")
def facts() -> None:
    """Dataset facts."""


@facts.command("rebuild")
def facts_rebuild() -> None:
    """Rewrite every dataset's facts (after enabling the plugin on an existing portal)."""
    from ckan import model

    from ckanext.nd47.oversight import service

    count = 0
    for package_id in _dataset_ids(()):
        if service.record_fact(package_id) is not None:
            count += 1
    model.Session.commit()
    click.echo(f"{count} datasets")


@click.group(name="nd47-oversight", short_help="Quality scores, link checks, digests")
def oversight() -> None:
    """Metadata quality, link checks, dataset facts and the agencies' digests."""


for _group in (quality, links, report, facts):
    oversight.add_command(_group)


def get_commands() -> list[Any]:
    """The ``ckan nd47-oversight`` group."""
    return [oversight]
