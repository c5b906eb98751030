#!/usr/bin/env python3
"""The build steps behind ``make i18n`` (scripts/i18n.sh runs them in order).

pot              extract our strings into ckanext-nd47.pot (kept when only
                 its date would change)
upstream-pot     add the installed upstream msgids to ckan-upstream.pot
update-upstream  bring each ckan-upstream.po in line with its template
compile          write the merged ckanext-nd47.mo of each language
js               write the packaged JavaScript catalogue of each language
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from ckanext.nd47 import catalogues
from ckanext.nd47.translations import I18N_DIR, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]


def _without_date(data: bytes) -> bytes:
    return b"\n".join(
        line for line in data.splitlines() if not line.startswith(b'"POT-Creation-Date:')
    )


def build_pot() -> None:
    buf = io.BytesIO()
    write_po(buf, catalogues.our_template(ROOT), width=80, sort_by_file=True)
    fresh = buf.getvalue()
    pot = catalogues.OURS_POT
    if pot.exists() and _without_date(pot.read_bytes()) == _without_date(fresh):
        print(f"[i18n] {pot.name}: no new strings")
        return
    pot.write_bytes(fresh)
    print(f"[i18n] {pot.name}: updated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n_build.py", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("pot")
    sub.add_parser("upstream-pot")
    up = sub.add_parser("update-upstream")
    up.add_argument("languages", nargs="*", default=["vi"])
    comp = sub.add_parser("compile")
    comp.add_argument("languages", nargs="*", default=list(LANGUAGES))
    sub.add_parser("js")
    args = parser.parse_args(argv)

    if args.cmd == "pot":
        build_pot()
    elif args.cmd == "upstream-pot":
        before, after = catalogues.update_upstream_pot()
        print(f"[i18n] {catalogues.UPSTREAM_POT.name}: {before} -> {after} msgids")
    elif args.cmd == "update-upstream":
        template = catalogues.read_catalog(catalogues.UPSTREAM_POT)
        for lang in args.languages:
            path = I18N_DIR / lang / "LC_MESSAGES" / f"{catalogues.UPSTREAM_DOMAIN}.po"
            catalog = catalogues.read_catalog(path, lang) if path.exists() else Catalog(locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalogues.write(catalog, path, sort=True, include_lineno=False)
            todo = [m.id for m in catalog if m.id and not catalogues.translated(m)]
            print(f"[i18n] {path.relative_to(I18N_DIR)}: {len(todo)} msgids to translate")
    elif args.cmd == "compile":
        for lang, count in catalogues.compile_all(args.languages).items():
            path = catalogues.mo_path(lang).relative_to(I18N_DIR)
            print(f"[i18n] {lang}: {count} messages in {path}")
    elif args.cmd == "js":
        for path in catalogues.write_js_catalogues():
            print(f"[i18n] {path.relative_to(I18N_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
