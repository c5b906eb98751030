"""Reading, merging and compiling our gettext catalogues (build time only).

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

This module is the library behind ``make i18n`` (``scripts/i18n_build.py``),
the coverage report and the catalogue tests. The running site never imports
it: what a running site needs is in ``translations.py``. The extraction
settings (``METHOD_MAP``, ``KEYWORDS``) are the project's only ones; they
serve our strings and the upstream packages' alike.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ckanext.nd47.translations import DOMAIN, I18N_DIR, LANGUAGES, js_catalogue_path

UPSTREAM_DOMAIN = "ckan-upstream"
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

# Message extraction, for our package and the upstream ones.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "N_": None,
    "NC_": ((1, "c"), 2),
    "ungettext": (1, 2),
    "ugettext": None,
}
METHOD_MAP = [
    ("**/tests/**", "ignore"),
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**/templates/**.txt", "ckan.lib.extract:extract_ckan"),
    ("**/assets/**.js", "javascript"),
    ("**.py", "python"),
]
COMMENT_TAGS = ("TRANSLATORS:",)
_SKIPPED_DIRS = {"tests", "node_modules", "__pycache__"}

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


# --- where the msgids come from ---------------------------------------------


def package_dir(module: str) -> Path | None:
    """The folder of an installed package, None when it is not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _keep_dir(dirname: str) -> bool:
    return os.path.basename(dirname) not in _SKIPPED_DIRS


def extract(path: Path) -> Iterable[tuple[str, int, Any, list[str], str | None]]:
    """(file, line, message, comments, context) of a folder's code and templates."""
    return extract_from_dir(
        str(path),
        METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=_keep_dir,
    )


def extract_package(path: Path) -> dict[str, str]:
    """msgid -> msgid_plural ('' when none) of a package's code and templates."""
    found: dict[str, str] = {}
    for _file, _line, message, _comments, _context in extract(path):
        if isinstance(message, (tuple, list)):
            singular, plural = message[0], message[1] if len(message) > 1 else ""
        else:
            singular, plural = message, ""
        if singular:
            found.setdefault(singular, plural or "")
            if plural and not found[singular]:
                found[singular] = plural
    return found


def our_template(root: Path) -> Catalog:
    """The template of our own strings, as ``pybabel extract`` would write it.

    ``root`` is the folder holding ``ckanext/``; locations are relative to it.
    """
    catalog = Catalog(project=DOMAIN, charset="utf-8")
    source = root / "ckanext"
    for filename, line, message, comments, context in extract(source):
        location = (os.path.normpath(os.path.join("ckanext", filename)), line)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


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


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _msgids(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for message in read_catalog(path):
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
    ckan_dir = package_dir("ckan")
    if ckan_dir is not None:
        import ckan

        sources["ckan-" + ".".join(ckan.__version__.split(".")[:2])] = _msgids(
            ckan_dir / "i18n" / "ckan.pot"
        )
    for name, module in EXTENSIONS.items():
        path = package_dir(module)
        if path is None:
            continue
        msgids: dict[str, str] = {}
        for pot in sorted((path / "i18n").glob("*.pot")):
            msgids.update(_msgids(pot))
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
    return _msgids(OURS_POT) if OURS_POT.exists() else {}


# --- building the catalogues ---------------------------------------------


def update_upstream_pot(pot_path: Path = UPSTREAM_POT) -> tuple[int, int]:
    """Add the installed upstream msgids to the upstream template.

    The template is the union over every CKAN version we support, so it only
    grows: run it from each virtualenv (``make i18n`` uses .venv and, if it
    exists, .venv-2.11). Returns (msgids before, msgids after).
    """
    template = read_catalog(pot_path) if pot_path.exists() else Catalog(domain=UPSTREAM_DOMAIN)
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
    write(template, pot_path, sort=True, include_lineno=False)
    return before, len(template)


def write(catalog: Catalog, path: Path, sort: bool = False, include_lineno: bool = True) -> None:
    """Write a .po/.pot as pybabel does (width 80)."""
    buf = io.BytesIO()
    write_po(
        buf,
        catalog,
        width=80,
        sort_output=sort,
        sort_by_file=not sort,
        omit_header=False,
        include_lineno=include_lineno,
    )
    path.write_bytes(buf.getvalue())


def translated(message: Any) -> bool:
    if isinstance(message.string, (tuple, list)):
        return any(message.string)
    return bool(message.string)


def merged_catalog(lang: str) -> Catalog:
    """Ours + upstream for one language; ours wins where both translate."""
    ours_path = I18N_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    upstream_path = I18N_DIR / lang / "LC_MESSAGES" / f"{UPSTREAM_DOMAIN}.po"
    merged = read_catalog(ours_path, lang)
    if upstream_path.exists():
        for message in read_catalog(upstream_path, lang):
            if not message.id or not translated(message) or message.fuzzy:
                continue
            mine = merged.get(message.id)
            if mine is not None and translated(mine) and not mine.fuzzy:
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
        mo_path(lang).write_bytes(compiled_bytes(lang))
        counts[lang] = len([m for m in merged_catalog(lang) if m.id and translated(m)])
    return counts


# --- JavaScript translations ------------------------------------------------


def js_msgids() -> set[str]:
    """msgids used by JavaScript: CKAN's ckan.pot entries found in .js files,
    and those of our own scripts (``ckan.i18n._``)."""
    ours = {
        message[0] if isinstance(message, (tuple, list)) else message
        for filename, _line, message, _comments, _context in extract(Path(__file__).parent)
        if filename.endswith(".js") and message
    }
    ckan_dir = package_dir("ckan")
    if ckan_dir is None:
        return ours
    return ours | {
        m.id[0] if isinstance(m.id, (tuple, list)) else m.id
        for m in read_catalog(ckan_dir / "i18n" / "ckan.pot")
        if m.id and any(str(loc).endswith(".js") for loc, _line in m.locations)
    }


def js_catalogue(lang: str) -> str:
    """The JSON CKAN serves at /api/i18n/<lang>, with our translations on top.

    CKAN builds that file from the ``<domain>.po`` of CKAN and of each
    ITranslation plugin, so it never sees ckan-upstream.po. This builds the
    same JSON (CKAN's own entries first, then our merged catalogue).

    One file serves every CKAN version we support: the entries of msgids the
    installed CKAN's JavaScript does not use (another version's, e.g.
    "Loading..." of 2.11) are kept from the committed file, so ``make i18n``,
    run from each virtualenv, makes it the union.
    """
    entries = js_msgids()
    ckan_dir = package_dir("ckan")
    result: dict[str, Any] = {
        "": {"plural-forms": "nplurals=1; plural=0;", "lang": lang, "domain": "ckan"}
    }
    catalogs = []
    ckan_po = ckan_dir / "i18n" / lang / "LC_MESSAGES" / "ckan.po" if ckan_dir else None
    if ckan_po is not None and ckan_po.exists():
        catalogs.append(read_catalog(ckan_po, lang))
    catalogs.append(merged_catalog(lang))
    for catalog in catalogs:
        if catalog.plural_forms:
            result[""]["plural-forms"] = catalog.plural_forms
        for message in catalog:
            if not message.id or message.fuzzy or not translated(message):
                continue
            if isinstance(message.id, (tuple, list)):
                if message.id[0] in entries:
                    result[message.id[0]] = [message.id[1], *message.string]
            elif message.id in entries:
                result[message.id] = [None, message.string]
    committed = js_catalogue_path(lang)
    if committed.exists():
        for msgid, entry in json.loads(committed.read_text(encoding="utf-8")).items():
            if msgid and msgid not in entries:
                result[msgid] = entry
    return json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def js_languages() -> list[str]:
    """The languages we ship an upstream catalogue (hence a JS file) for."""
    return [
        lang
        for lang in LANGUAGES
        if (I18N_DIR / lang / "LC_MESSAGES" / f"{UPSTREAM_DOMAIN}.po").exists()
    ]


def write_js_catalogues() -> list[Path]:
    """Write the packaged JS catalogue of each language (``make i18n``)."""
    written = []
    for lang in js_languages():
        path = js_catalogue_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(js_catalogue(lang), encoding="utf-8")
        written.append(path)
    return written
