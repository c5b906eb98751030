"""CKAN config files that extend test.ini (live servers, CLI runs, benchmarks).

CKAN 2.11's config loader hands the very file it is given to
``logging.config.fileConfig``, which fails ("KeyError: 'formatters'") unless
that file has the ``[loggers]``, ``[handlers]`` and ``[formatters]`` sections;
CKAN 2.12 takes them from any file of the ``use = config:`` chain. Every
config file the tests and benchmarks write carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_INI = ROOT / "test.ini"

LOGGING_SECTIONS = (
    "[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n"
    "[logger_root]\nlevel = WARN\nhandlers = console\n\n"
    "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\n"
    "formatter = generic\n\n"
    "[formatter_generic]\nformat = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s\n"
)


def write_ini(
    path: Path | str,
    options: Mapping[str, object],
    base: Path | str = TEST_INI,
    defaults: Mapping[str, object] | None = None,
) -> Path:
    """Write ``path``: ``[app:main]`` extends ``base`` with ``options``.

    ``defaults``: the ``[DEFAULT]`` section (e.g. ``debug``), when given.
    """
    path = Path(path)
    text = ""
    if defaults:
        text += "[DEFAULT]\n" + "".join(f"{k} = {v}\n" for k, v in defaults.items()) + "\n"
    text += f"[app:main]\nuse = config:{Path(base).resolve()}\n"
    text += "".join(f"{key} = {value}\n" for key, value in options.items())
    path.write_text(f"{text}\n{LOGGING_SECTIONS}", encoding="utf-8")
    return path
