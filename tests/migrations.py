"""The plan tables for suites and live servers that need them."""

from __future__ import annotations

from typing import Any


def migrate_plans(migrate_db_for: Any, version: str = "head", forward: bool = True) -> None:
    """Run the migrations of ``nd47_plans`` (by default: create the plan tables).

    CKAN finds a plugin's migrations through the loaded plugin, so it is
    loaded for the step when the caller has not loaded it.
    """
    import ckan.plugins as p

    loaded = p.plugin_loaded("nd47_plans")
    if not loaded:
        p.load("nd47_plans")
    try:
        migrate_db_for("nd47_plans", version, forward)
    finally:
        if not loaded:
            p.unload("nd47_plans")
