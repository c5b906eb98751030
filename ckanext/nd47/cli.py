"""Command-line tools of ckanext-nd47: ``ckan nd47 <command>``."""

from __future__ import annotations

import click

__all__ = ["nd47"]


@click.group(short_help="ckanext-nd47 (Vietnamese open-data portal) tools")
def nd47() -> None:
    """Tools for the Vietnamese open-data portal."""


@nd47.command("i18n-coverage")
@click.option("--lang", default="vi", show_default=True, help="Locale to check.")
@click.option(
    "--before",
    is_flag=True,
    help="Measure the portal without our catalogue (CKAN's and the plugins' own).",
)
@click.option(
    "--list/--no-list",
    "show_list",
    default=True,
    show_default=True,
    help="List the untranslated msgids.",
)
@click.option("--strict", is_flag=True, help="Exit 1 if a msgid is untranslated or broken.")
def i18n_coverage(lang: str, before: bool, show_list: bool, strict: bool) -> None:
    """How many UI strings of the installed CKAN and plugins have a translation.

    Sources: the installed CKAN's ckan.pot; ckanext-dcat, ckanext-harvest and
    ckanext-scheming (shipped .pot plus their installed code and templates);
    ckanext-nd47. The catalogue checked is the one CKAN serves for LANG
    (CKAN's own merged with every ITranslation plugin), or without ours with
    --before. "broken" counts translations that drop or add a placeholder.
    """
    from ckanext.nd47 import catalogues, i18n_coverage

    sources = catalogues.installed_sources()
    sources["ckanext-nd47"] = catalogues.our_msgids()
    flask_app = click.get_current_context().meta["flask_app"]
    with flask_app.test_request_context():
        if before:
            catalogue = i18n_coverage.baseline_translations(lang)
        else:
            catalogue = i18n_coverage.served_translations(lang)
        results = list(i18n_coverage.check(catalogue, sources))

    label = "without ckanext-nd47" if before else "as served"
    click.echo(f"UI strings translated into '{lang}' ({label}):")
    click.echo(f"  {'source':<20} {'msgids':>7} {'translated':>10} {'%':>6} {'broken':>6}")
    for r in results:
        click.echo(
            f"  {r.source:<20} {r.total:>7} {r.translated:>10} {r.percent:>6.1f} {len(r.broken):>6}"
        )
    total = sum(r.total for r in results)
    done = sum(r.translated for r in results)
    broken = sum(len(r.broken) for r in results)
    percent = 100.0 * done / total if total else 100.0
    click.echo(f"  {'total':<20} {total:>7} {done:>10} {percent:>6.1f} {broken:>6}")

    if show_list:
        for r in results:
            for msgid in r.missing:
                click.echo(f"untranslated\t{r.source}\t{msgid!r}")
            for msgid, text in r.broken:
                click.echo(f"broken\t{r.source}\t{msgid!r}\t{text!r}")
    if strict and (done < total or broken):
        raise click.exceptions.Exit(1)
