"""What the running site needs of our translations.

The gettext catalogue itself is served by CKAN (``DefaultTranslation``, domain
``ckanext-nd47``). CKAN's JavaScript catalogue (``/api/i18n/<lang>``) is a file
CKAN builds from the ``.po`` files it knows, which lack our translations of
CKAN's own strings; ``make i18n`` therefore builds that file into the package
(``i18n/js/<lang>.js``, see ``catalogues.py``) and the site copies it into
place when the copy there differs. Building, extracting and measuring the
catalogues is not here: see ``catalogues.py``, ``i18n_coverage.py`` and
``scripts/i18n_build.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import ckan.plugins.toolkit as tk

DOMAIN = "ckanext-nd47"
# How gettext catalogues (.mo) key a message with a context: "msgctxt\x04msgid".
CONTEXT_SEPARATOR = "\x04"


def pgettext(context: str, message: str) -> str:
    """``message`` translated in ``context`` (its msgctxt), else as plain gettext.

    CKAN's toolkit has no pgettext; the compiled catalogue keys a contextual
    entry as ``context + "\x04" + msgid``, which ``tk._`` looks up like any
    other. A message with no entry of its own in that context gets its plain
    translation, so a context only has to hold the senses that differ.
    """
    key = f"{context}{CONTEXT_SEPARATOR}{message}"
    translated = tk._(key)
    return tk._(message) if translated == key else translated


def NC_(context: str, message: str) -> str:  # noqa: N802 (a gettext marker)
    """Mark ``message`` for extraction with its msgctxt; translated when shown."""
    return message


I18N_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("vi", "en")


def js_catalogue_path(lang: str) -> Path:
    """Where ``make i18n`` writes the JavaScript catalogue of one language."""
    return I18N_DIR / "js" / f"{lang}.js"


def install_js_catalogues(js_dir: str | Path) -> list[Path]:
    """Put our packaged JS catalogues where CKAN serves them from.

    Only a file whose content differs is written, so a start with everything
    in place costs one small read per language. CKAN rebuilds its own file
    only when a ``.po`` is newer than it, which a fresh copy is not.
    """
    written = []
    for lang in LANGUAGES:
        source = js_catalogue_path(lang)
        if not source.exists():
            continue
        data = source.read_bytes()
        target = Path(js_dir) / f"{lang}.js"
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Several workers may start at once: write aside, then rename.
        aside = target.with_name(f".{target.name}.{os.getpid()}")
        aside.write_bytes(data)
        os.replace(aside, target)
        written.append(target)
    return written
