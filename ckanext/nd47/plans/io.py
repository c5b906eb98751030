"""Excel (.xlsx) and CSV import/export of a plan with its items."""

from __future__ import annotations

FORMATS = ("xlsx", "csv")


def format_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
