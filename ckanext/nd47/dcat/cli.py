"""``ckan nd47-dcat``: command-line tools of the ``nd47_dcat`` plugin.

``ckan nd47-dcat dump [--background] [--cold] [--format ttl|nt|rdf] [--jobs N]``
rebuilds the full-catalogue dump (:mod:`ckanext.nd47.dcat.dump`).
"""

from __future__ import annotations

import click

__all__ = ["nd47_dcat"]


@click.group("nd47-dcat", short_help="DCAT-AP 3 export of the portal (plugin nd47_dcat)")
def nd47_dcat() -> None:
    """DCAT-AP 3 export of the portal."""


@nd47_dcat.command("dump")
@click.option("--background", is_flag=True, help="Queue the rebuild as a background job.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["ttl", "nt", "rdf"]),
    help="Default: all.",
)
@click.option(
    "--cold",
    is_flag=True,
    help="Forget every stored dataset record first: serialize every dataset again.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Processes that build the records (default: ckanext.nd47.dcat.dump_jobs; 0: one per CPU).",
)
def dump_command(background: bool, formats: tuple[str, ...], cold: bool, jobs: int | None) -> None:
    """Rebuild the full-catalogue dump (Turtle, N-Triples, RDF/XML, gzip).

    Only datasets changed since the last build are serialized again.
    """
    from ckanext.nd47.dcat import dump

    if cold:
        click.echo(f"{dump.forget_all()} stored records forgotten")
    if background:
        job = dump.enqueue(jobs)
        click.echo(f"Queued job {job.id}")
        return
    for fmt, meta in dump.build_all(formats or None, jobs=jobs).items():
        click.echo(f"{dump.path(fmt)}: {meta['datasets']} datasets, {meta['size']} bytes")
