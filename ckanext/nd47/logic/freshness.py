"""Freshness: the one definition of a "stale" dataset.

A dataset is stale when its *data* changed longer ago than its declared
update frequency allows. The data's last change is the newest of the
resources' last modification (CKAN's ``last_modified`` or the DCAT
``modified`` of a resource) and the dataset's own ``modified`` (the DCAT
date the publisher sets when the data changes) — never ``metadata_modified``,
which moves when a typo in the description is fixed. A dataset without any
of these dates counts from its creation (the data arrived with it).

Frequencies without a period (irregular, as needed, never, unknown, none
declared) never make a dataset stale. The functions here are pure: they take
dates and codes and give dates and booleans, so plan items' "update overdue"
and the oversight dashboards share them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.parser import parse as parse_date

__all__ = [
    "MAX_AGE",
    "data_last_change",
    "dataset_last_change",
    "is_stale",
    "max_age",
    "parse_when",
    "stale_after",
]

# How old the data of each EU frequency code may be before it is stale: one
# period of the declared frequency (a day's grace for the sub-daily ones, whose
# dates are days).
MAX_AGE: dict[str, datetime.timedelta] = {
    "CONT": datetime.timedelta(days=1),
    "UPDATE_CONT": datetime.timedelta(days=1),
    "HOURLY": datetime.timedelta(days=1),
    "DAILY": datetime.timedelta(days=1),
    "WEEKLY": datetime.timedelta(days=7),
    "BIWEEKLY": datetime.timedelta(days=14),
    "MONTHLY": datetime.timedelta(days=31),
    "BIMONTHLY": datetime.timedelta(days=62),
    "QUARTERLY": datetime.timedelta(days=92),
    "ANNUAL_2": datetime.timedelta(days=183),
    "ANNUAL": datetime.timedelta(days=366),
    "BIENNIAL": datetime.timedelta(days=731),
    "TRIENNIAL": datetime.timedelta(days=1096),
    "QUINQUENNIAL": datetime.timedelta(days=1827),
}


def max_age(frequency: str | None) -> datetime.timedelta | None:
    """How old data of this frequency may be; None when it can never be stale."""
    return MAX_AGE.get((frequency or "").strip().upper())


def parse_when(value: Any) -> datetime.datetime | None:
    """A date, datetime or ISO string as a naive UTC datetime; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        when = value
    elif isinstance(value, datetime.date):
        when = datetime.datetime.combine(value, datetime.time())
    else:
        try:
            when = parse_date(str(value))
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when


def data_last_change(
    dataset_modified: Any, resource_dates: Iterable[Any] = (), created: Any = None
) -> datetime.datetime | None:
    """The newest of the dataset's ``modified`` and its resources' dates, else ``created``."""
    dates = [parse_when(value) for value in (dataset_modified, *resource_dates)]
    known = [when for when in dates if when is not None]
    if known:
        return max(known)
    return parse_when(created)


def dataset_last_change(pkg_dict: dict[str, Any]) -> datetime.datetime | None:
    """:func:`data_last_change` of a dataset dict (as ``package_show`` gives it)."""
    resource_dates = []
    for res in pkg_dict.get("resources") or []:
        resource_dates += [res.get("last_modified"), res.get("modified")]
    created = pkg_dict.get("issued") or pkg_dict.get("metadata_created")
    return data_last_change(pkg_dict.get("modified"), resource_dates, created)


def stale_after(last_change: Any, frequency: str | None) -> datetime.datetime | None:
    """The moment the data turns stale; None when it never does."""
    age = max_age(frequency)
    when = parse_when(last_change)
    if age is None or when is None:
        return None
    return when + age


def is_stale(last_change: Any, frequency: str | None, on: Any) -> bool:
    """True when data last changed at ``last_change`` is stale at ``on``."""
    limit = stale_after(last_change, frequency)
    moment = parse_when(on)
    return bool(limit and moment and moment > limit)
