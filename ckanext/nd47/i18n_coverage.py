"""How much of the UI a catalogue translates (``ckan nd47 i18n-coverage``).

The msgids come from ``catalogues.installed_sources`` (CKAN, ckanext-dcat,
ckanext-harvest, ckanext-scheming) and our own template; the catalogue
measured is the one CKAN serves, or what it would serve without ours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ckanext.nd47.catalogues import placeholders
from ckanext.nd47.translations import DOMAIN


@dataclass
class SourceCoverage:
    source: str
    total: int = 0
    missing: list[str] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def lookup(translations: Any, msgid: str, plural: str = "") -> str:
    """The translation of msgid in a gettext catalogue, '' when untranslated."""
    catalog = getattr(translations, "_catalog", {}) or {}
    value = catalog.get((msgid, 0)) if plural else catalog.get(msgid)
    if value is None and not plural:
        value = catalog.get((msgid, 0))
    return value or ""


def check(translations: Any, sources: dict[str, dict[str, str]]) -> Iterator[SourceCoverage]:
    """How many msgids of each source the catalogue translates, and which not."""
    for source, msgids in sources.items():
        result = SourceCoverage(source, total=len(msgids))
        for msgid, plural in sorted(msgids.items()):
            text = lookup(translations, msgid, plural)
            if not text:
                result.missing.append(msgid)
                continue
            expected = sorted(set(placeholders(msgid)) | set(placeholders(plural)))
            if sorted(set(placeholders(text))) != expected:
                result.broken.append((msgid, text))
        yield result


def served_translations(lang: str) -> Any:
    """The catalogue CKAN serves for lang: core + every ITranslation plugin.

    Needs an application context (the CKAN CLI and the test ``app`` provide
    one); this is Flask-Babel's own merge, not a re-implementation.
    """
    import flask_babel

    with flask_babel.force_locale(lang):
        return flask_babel.get_translations()


def ckan_only_translations(lang: str) -> Any:
    """CKAN's own catalogue for lang, without any plugin."""
    from babel.support import Translations
    from ckan.lib.i18n import get_ckan_i18n_dir

    return Translations.load(get_ckan_i18n_dir(), [lang], "ckan")


def baseline_translations(lang: str) -> Any:
    """What the portal would serve without our catalogue (the 'before').

    CKAN's catalogue merged with every other enabled ITranslation plugin's
    catalogue, in the order Flask-Babel uses.
    """
    from babel.support import Translations
    from ckan.plugins import ITranslation, PluginImplementations

    merged = ckan_only_translations(lang)
    if not isinstance(merged, Translations):
        merged = Translations()
    for plugin in PluginImplementations(ITranslation):
        if plugin.i18n_domain() == DOMAIN:
            continue
        merged.merge(Translations.load(plugin.i18n_directory(), [lang], plugin.i18n_domain()))
    return merged
