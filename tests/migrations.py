"""The extension's own tables for suites and live servers that need them."""

from __future__ import annotations

from typing import Any

# The plugins whose tables the tests create when the plugin is enabled: CKAN's
# activity plugin, then this package's (their migrations live under
# ckanext/nd47/migration/<plugin>/), in this order.
PLUGINS_WITH_TABLES = (
    "activity",
    "nd47_plans",
    "nd47_sharing",
    "nd47_oversight",
    "nd47_feedback",
    "nd47_dcat",
)


def migrate(migrate_db_for: Any, plugin: str, version: str = "head", forward: bool = True) -> None:
    """Run the migrations of one plugin (by default: create its tables).

    CKAN finds a plugin's migrations through the loaded plugin, so it is
    loaded for the step when the caller has not loaded it.
    """
    import ckan.plugins as p

    loaded = p.plugin_loaded(plugin)
    if not loaded:
        p.load(plugin)
    try:
        migrate_db_for(plugin, version, forward)
    finally:
        if not loaded:
            p.unload(plugin)


def migrate_plans(migrate_db_for: Any, version: str = "head", forward: bool = True) -> None:
    """Run the migrations of ``nd47_plans`` (by default: create the plan tables)."""
    migrate(migrate_db_for, "nd47_plans", version, forward)


def migrate_enabled(migrate_db_for: Any, plugins: str | list[str] | None) -> None:
    """Create the tables of every plugin of this package in ``plugins`` (ckan.plugins).

    Plugins not loaded yet are loaded together for the step (``nd47_dcat``
    chains ckanext-dcat's actions: it cannot be loaded alone).
    """
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk

    enabled = tk.aslist(plugins)
    missing = [name for name in enabled if not p.plugin_loaded(name)]
    if missing:
        p.load(*missing)
    try:
        for plugin in PLUGINS_WITH_TABLES:
            if plugin in enabled:
                migrate_db_for(plugin, "head", True)
    finally:
        if missing:
            p.unload(*missing)


def ini_plugins() -> str:
    """``ckan.plugins`` of test.ini: what a live test server runs by default."""
    from configparser import ConfigParser
    from pathlib import Path

    ini = ConfigParser(interpolation=None)
    ini.read(Path(__file__).resolve().parents[1] / "test.ini", encoding="utf-8")
    return ini["app:main"]["ckan.plugins"]
