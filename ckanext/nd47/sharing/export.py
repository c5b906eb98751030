"""The sharing register as CSV, XLSX or JSON bytes (pages and CLI share it)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

__all__ = ["FORMATS", "render"]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
REFUSAL_COLUMNS = (
    "package_name",
    "owner_org_title",
    "requester_org_title",
    "decided_at",
    "refusal_reason",
    "refusal_legal_basis",
)


def render(register: dict[str, Any], fmt: str) -> tuple[bytes, str]:
    """``(body, mimetype)`` of the register in ``fmt``."""
    columns = register["columns"]
    rows = [[row.get(c) for c in columns] for row in register["agencies"]]
    if fmt == "json":
        body = json.dumps(register, ensure_ascii=False, indent=2).encode("utf-8")
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        # BOM: spreadsheet programs then read the Vietnamese text as UTF-8
        body = ("\ufeff" + out.getvalue()).encode("utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "agencies"
        sheet.append(list(columns))
        for row in rows:
            sheet.append(row)
        refusals = book.create_sheet("refusals")
        refusals.append(list(REFUSAL_COLUMNS))
        for refusal in register["refusals"]:
            refusals.append([refusal.get(c) for c in REFUSAL_COLUMNS])
        buffer = io.BytesIO()
        book.save(buffer)
        body = buffer.getvalue()
    else:
        raise ValueError(fmt)
    return body, FORMATS[fmt]
