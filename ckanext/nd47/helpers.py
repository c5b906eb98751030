"""Template helpers of ckanext-nd47 (registered by ``tk.blanket.helpers``)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["render_datetime"]

# How dates are written per locale when a template gives no format of its own
# (strftime patterns; CKAN has already moved the time to ckan.display_timezone).
# CKAN's default for every locale is Babel's 'long' date and, with hours, the
# English-ordered pattern "MMMM d, YYYY, HH:mm (z)", which reads
# "tháng 11 26, 2026, 14:05 (UTC)" in Vietnamese. Vietnamese administrative
# texts write dates as day/month/year: 26/11/2026.
DATE_FORMATS: dict[str, tuple[str, str, str]] = {
    # locale: (date, date with hours, date with seconds)
    "vi": ("%d/%m/%Y", "%d/%m/%Y %H:%M (%Z)", "%d/%m/%Y %H:%M:%S (%Z)"),
}


@tk.chained_helper
def render_datetime(
    next_func: Any,
    datetime_: datetime.datetime | str | None,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's render_datetime, with day/month/year dates in Vietnamese."""
    formats = None if date_format else DATE_FORMATS.get(tk.h.lang() or "")
    if formats is None:
        return next_func(
            datetime_, date_format=date_format, with_hours=with_hours, with_seconds=with_seconds
        )
    pattern = formats[2] if with_seconds else formats[1] if with_hours else formats[0]
    return next_func(datetime_, date_format=pattern)
