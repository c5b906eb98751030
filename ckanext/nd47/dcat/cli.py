"""``ckan nd47 dcat``: rebuild the full-catalogue dump."""

from __future__ import annotations

import click


@click.group("dcat", short_help="DCAT-AP 3 export of the portal")
def dcat() -> None:
    """DCAT-AP 3 export of the portal."""


def get_commands() -> list[click.Command]:
    """``ckan nd47 dcat``: joins the core ``nd47`` group (nd47 is required)."""
    from ckanext.nd47.cli import nd47

    nd47.add_command(dcat)
    return []


@dcat.command("dump")
@click.option("--background", is_flag=True, help="Queue the rebuild as a background job.")
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(["ttl", "rdf"]), help="Default: all."
)
def dump_command(background: bool, formats: tuple[str, ...]) -> None:
    """Rebuild the full-catalogue dump (Turtle and RDF/XML, gzip)."""
    from ckanext.nd47.dcat import dump

    if background:
        job = dump.enqueue()
        click.echo(f"Queued job {job.id}")
        return
    for fmt in formats or tuple(dump.FORMATS):
        meta = dump.build(fmt)
        click.echo(f"{dump.path(fmt)}: {meta['datasets']} datasets, {meta['size']} bytes")
