"""Auth of the nd47_dcat actions (the chained dcat read actions keep ckanext-dcat's)."""

from __future__ import annotations

from typing import Any

__all__ = ["nd47_dcat_dump_rebuild"]


def nd47_dcat_dump_rebuild(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Only sysadmins (who bypass auth functions) may queue a dump rebuild."""
    return {"success": False}
