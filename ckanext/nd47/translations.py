"""Our translation catalogues: the upstream catalogue, the merged .mo, coverage.

The plugin ships one gettext domain, ``ckanext-nd47``. Its compiled
``<lang>/LC_MESSAGES/ckanext-nd47.mo`` is built from two source catalogues:

- ``ckanext-nd47.po``: the strings of this extension (extracted from our code);
- ``ckan-upstream.po``: our translations of the UI strings of CKAN core
  (2.11 and 2.12), ckanext-dcat, ckanext-harvest and ckanext-scheming.

Flask-Babel, as CKAN configures it, loads CKAN's catalogue first and then the
catalogue of every ``ITranslation`` plugin, in reverse ``ckan.plugins`` order,
each one updating the merged catalogue (``babel.support.Translations.merge``):
the plugin listed first wins. So our compiled catalogue overrides CKAN's own
Vietnamese strings as long as ``nd47`` comes before the other translated
plugins in ``ckan.plugins``.

``python -m ckanext.nd47.translations`` is the build step behind ``make i18n``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "ckanext-nd47"
UPSTREAM_DOMAIN = "ckan-upstream"
I18N_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("vi", "en")
UPSTREAM_POT = I18N_DIR / f"{UPSTREAM_DOMAIN}.pot"
OURS_POT = I18N_DIR / f"{DOMAIN}.pot"

# The upstream packages whose UI strings we translate, by their import name.
EXTENSIONS = {
    "ckanext-dcat": "ckanext.dcat",
    "ckanext-harvest": "ckanext.harvest",
    "ckanext-scheming": "ckanext.scheming",
}
# Scheming schemas the portal may run with whose labels reach the UI through
# gettext (scheming_language_text translates plain-string labels).
SCHEMAS = {
    "ckanext-scheming": ["ckan_dataset.yaml"],
    "ckanext-dcat": [
        "schemas/dcat_ap_full.yaml",
        "schemas/dcat_ap_recommended.yaml",
        "schemas/publisher_organization.yaml",
    ],
}
_SCHEMA_KEYS = ("label", "help_text", "form_placeholder", "description", "about")
_KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None, "ungettext": (1, 2), "ugettext": None}
_METHOD_MAP = [
    ("**/tests/**", "ignore"),
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**/templates/**.txt", "ckan.lib.extract:extract_ckan"),
    ("**/assets/**.js", "javascript"),
    ("**.py", "python"),
]

# %(name)s, %s, %d, %r, %i, %%; {name}, {0}, {}, {name!r}; HTML tags.
_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgx%]")
_BRACE = re.compile(r"\{[^{}\s]*\}")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


def placeholders(text: str) -> list[str]:
    """The interpolation placeholders of a message, sorted, with repeats."""
    return sorted(_PERCENT.findall(text) + _BRACE.findall(text))


def html_tags(text: str) -> list[str]:
    """The HTML tag names (opening and closing) of a message, sorted."""
    return sorted(m.group(0).lower() for m in _TAG.finditer(text))


# --- where the upstream msgids come from ------------------------------------


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def extract_package(path: Path) -> dict[str, str]:
    """msgid -> msgid_plural ('' when none) of a package's code and templates."""
    found: dict[str, str] = {}

    def keep(dirname: str) -> bool:
        return os.path.basename(dirname) not in {"tests", "node_modules", "__pycache__"}

    for _file, _line, message, _comments, _context in extract_from_dir(
        str(path), _METHOD_MAP, keywords=_KEYWORDS, directory_filter=keep
    ):
        if isinstance(message, (tuple, list)):
            singular, plural = message[0], message[1] if len(message) > 1 else ""
        else:
            singular, plural = message, ""
        if singular:
            found.setdefault(singular, plural or "")
            if plural and not found[singular]:
                found[singular] = plural
    return found


def schema_strings(path: Path) -> dict[str, str]:
    """The translatable plain strings of a scheming schema (YAML or JSON)."""
    import yaml

    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _SCHEMA_KEYS and isinstance(value, str) and value.strip():
                    found.setdefault(value, "")
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _read_pot(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    out: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):
            out[message.id[0]] = message.id[1]
        else:
            out[message.id] = ""
    return out


def installed_sources() -> dict[str, dict[str, str]]:
    """The UI msgids of the installed CKAN and extensions, by source.

    CKAN: its shipped ``ckan.pot``. Extensions: their shipped ``.pot`` (if
    any) united with a fresh extraction from their installed code and
    templates, since the shipped templates lag behind the code.
    """
    sources: dict[str, dict[str, str]] = {}
    ckan_dir = _package_dir("ckan")
    if ckan_dir is not None:
        import ckan

        sources["ckan-" + ".".join(ckan.__version__.split(".")[:2])] = _read_pot(
            ckan_dir / "i18n" / "ckan.pot"
        )
    for name, module in EXTENSIONS.items():
        path = _package_dir(module)
        if path is None:
            continue
        msgids: dict[str, str] = {}
        for pot in sorted((path / "i18n").glob("*.pot")):
            msgids.update(_read_pot(pot))
        for msgid, plural in extract_package(path).items():
            if plural or msgid not in msgids:
                msgids[msgid] = plural
        for schema in SCHEMAS.get(name, []):
            if (path / schema).exists():
                for msgid in schema_strings(path / schema):
                    msgids.setdefault(msgid, "")
        sources[name] = msgids
    return sources


def our_msgids() -> dict[str, str]:
    """Our own msgids, from the committed template of our catalogue."""
    return _read_pot(OURS_POT) if OURS_POT.exists() else {}


# --- building the catalogues ---------------------------------------------


def _read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def update_upstream_pot(pot_path: Path = UPSTREAM_POT) -> tuple[int, int]:
    """Add the installed upstream msgids to the upstream template.

    The template is the union over every CKAN version we support, so it only
    grows: run it from each virtualenv (``make i18n`` uses .venv and, if it
    exists, .venv-2.11). Returns (msgids before, msgids after).
    """
    template = _read_catalog(pot_path) if pot_path.exists() else Catalog(domain=UPSTREAM_DOMAIN)
    before = len(template)
    for source, msgids in installed_sources().items():
        for msgid, plural in msgids.items():
            key = (msgid, plural) if plural else msgid
            message = template.get(msgid)
            if message is None:
                template.add(key, locations=[(source, None)])
            elif (source, None) not in message.locations:
                message.locations.append((source, None))
    template.project = "ckanext-nd47 (upstream UI strings)"
    _write(template, pot_path, sort=True)
    return before, len(template)


def _write(catalog: Catalog, path: Path, sort: bool = False) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=80, sort_output=sort, omit_header=False, include_lineno=False)
    path.write_bytes(buf.getvalue())


def _translated(message: Any) -> bool:
    if isinstance(message.string, (tuple, list)):
        return any(message.string)
    return bool(message.string)


def merged_catalog(lang: str) -> Catalog:
    """Ours + upstream for one language; ours wins where both translate."""
    ours_path = I18N_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    upstream_path = I18N_DIR / lang / "LC_MESSAGES" / f"{UPSTREAM_DOMAIN}.po"
    merged = _read_catalog(ours_path, lang)
    if upstream_path.exists():
        for message in _read_catalog(upstream_path, lang):
            if not message.id or not _translated(message) or message.fuzzy:
                continue
            mine = merged.get(message.id)
            if mine is not None and _translated(mine) and not mine.fuzzy:
                continue
            if mine is not None:
                merged.delete(message.id)
            merged[message.id] = message
    return merged


def compiled_bytes(lang: str) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, merged_catalog(lang), use_fuzzy=False)
    return buf.getvalue()


def mo_path(lang: str) -> Path:
    return I18N_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_all(languages: Iterable[str] = LANGUAGES) -> dict[str, int]:
    """Write the merged .mo of each language; returns messages per language."""
    counts = {}
    for lang in languages:
        data = compiled_bytes(lang)
        mo_path(lang).write_bytes(data)
        counts[lang] = len([m for m in merged_catalog(lang) if m.id and _translated(m)])
    return counts


# --- JavaScript translations ------------------------------------------------


def _js_msgids() -> set[str]:
    """msgids used by JavaScript: CKAN's ckan.pot entries found in .js files."""
    ckan_dir = _package_dir("ckan")
    if ckan_dir is None:
        return set()
    catalog = _read_catalog(ckan_dir / "i18n" / "ckan.pot")
    return {
        m.id[0] if isinstance(m.id, (tuple, list)) else m.id
        for m in catalog
        if m.id and any(str(loc).endswith(".js") for loc, _line in m.locations)
    }


def write_js_translations(js_dir: str | Path) -> list[Path]:
    """Write CKAN's /api/i18n/<lang> file with our translations on top.

    CKAN builds ``<js_dir>/<lang>.js`` from the ``<domain>.po`` of CKAN and
    of each ITranslation plugin, so it never sees ckan-upstream.po. This
    writes the same JSON (CKAN's own entries first, then our merged
    catalogue) for every language we ship an upstream catalogue for. CKAN
    rebuilds the file only when a .po is newer than it, so when the plugin
    writes it at start-up CKAN's ``build_js_translations`` leaves it alone.
    """
    import json

    written = []
    entries = _js_msgids()
    ckan_dir = _package_dir("ckan")
    for lang in LANGUAGES:
        if not (I18N_DIR / lang / "LC_MESSAGES" / f"{UPSTREAM_DOMAIN}.po").exists():
            continue
        result: dict[str, Any] = {
            "": {"plural-forms": "nplurals=1; plural=0;", "lang": lang, "domain": "ckan"}
        }
        catalogs = []
        ckan_po = ckan_dir / "i18n" / lang / "LC_MESSAGES" / "ckan.po" if ckan_dir else None
        if ckan_po is not None and ckan_po.exists():
            catalogs.append(_read_catalog(ckan_po, lang))
        catalogs.append(merged_catalog(lang))
        for catalog in catalogs:
            if catalog.plural_forms:
                result[""]["plural-forms"] = catalog.plural_forms
            for m in catalog:
                if not m.id or m.fuzzy or not _translated(m):
                    continue
                if isinstance(m.id, (tuple, list)):
                    if m.id[0] in entries:
                        result[m.id[0]] = [m.id[1], *m.string]
                elif m.id in entries:
                    result[m.id] = [None, m.string]
        path = Path(js_dir) / f"{lang}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        # Several workers may start at once: write aside, then rename.
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


# --- coverage ------------------------------------------------------------


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


def merged_translations(lang: str) -> Any:
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


# --- command line for make i18n --------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.nd47.translations")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("upstream-pot", help="add the installed upstream msgids to the template")
    up = sub.add_parser(
        "update-upstream", help="bring each ckan-upstream.po in line with the template"
    )
    up.add_argument("languages", nargs="*", default=["vi"])
    comp = sub.add_parser("compile", help="write the merged ckanext-nd47.mo of each language")
    comp.add_argument("languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args(argv)

    if args.cmd == "upstream-pot":
        before, after = update_upstream_pot()
        print(f"[i18n] {UPSTREAM_POT.name}: {before} -> {after} msgids")
    elif args.cmd == "update-upstream":
        template = _read_catalog(UPSTREAM_POT)
        for lang in args.languages:
            path = I18N_DIR / lang / "LC_MESSAGES" / f"{UPSTREAM_DOMAIN}.po"
            catalog = _read_catalog(path, lang) if path.exists() else Catalog(locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            _write(catalog, path, sort=True)
            todo = [m.id for m in catalog if m.id and not _translated(m)]
            print(f"[i18n] {path.relative_to(I18N_DIR)}: {len(todo)} msgids to translate")
    elif args.cmd == "compile":
        for lang, count in compile_all(args.languages).items():
            print(f"[i18n] {lang}: {count} messages in {mo_path(lang).relative_to(I18N_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
