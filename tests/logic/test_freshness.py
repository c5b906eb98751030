"""Freshness: the one definition of "stale" (pure functions)."""

from __future__ import annotations

import datetime

import pytest

from ckanext.nd47.logic import freshness


@pytest.mark.parametrize(
    ("frequency", "last_change", "on", "stale"),
    [
        ("MONTHLY", "2026-01-01", "2026-02-01", False),  # 31 days: still fresh
        ("MONTHLY", "2026-01-01", "2026-02-02", True),
        ("ANNUAL", "2025-01-01", "2026-01-01", False),
        ("ANNUAL", "2025-01-01", "2026-01-03", True),
        ("DAILY", "2026-03-01T08:00:00", "2026-03-02T07:59:00", False),
        ("DAILY", "2026-03-01T08:00:00", "2026-03-02T08:01:00", True),
        ("QUARTERLY", "2026-01-01", "2026-04-03", False),
        ("QUARTERLY", "2026-01-01", "2026-04-04", True),
        ("IRREG", "2000-01-01", "2026-01-01", False),
        ("AS_NEEDED", "2000-01-01", "2026-01-01", False),
        ("NEVER", "2000-01-01", "2026-01-01", False),
        (None, "2000-01-01", "2026-01-01", False),
        ("MONTHLY", None, "2026-01-01", False),
    ],
)
def test_is_stale(frequency, last_change, on, stale):
    assert freshness.is_stale(last_change, frequency, on) is stale


def test_last_change_is_the_newest_data_date_never_the_metadata_edit():
    when = freshness.data_last_change(
        "2026-01-10", ["2026-02-01T10:00:00+07:00", None, "2025-12-01"], created="2020-01-01"
    )
    assert when == datetime.datetime(2026, 2, 1, 3, 0)  # in UTC
    assert freshness.data_last_change(None, [], created="2020-05-05") == datetime.datetime(
        2020, 5, 5
    )
    assert freshness.data_last_change(None, [None, ""]) is None


def test_stale_after():
    assert freshness.stale_after("2026-01-01", "WEEKLY") == datetime.datetime(2026, 1, 8)
    assert freshness.stale_after("2026-01-01", "UNKNOWN") is None
    assert freshness.stale_after("not a date", "WEEKLY") is None


def test_last_change_of_a_dataset_dict():
    pkg = {
        "metadata_modified": "2026-03-01T00:00:00",  # a description edit: not data
        "metadata_created": "2025-01-01T00:00:00",
        "modified": "2025-06-01",
        "resources": [{"last_modified": "2025-09-01T00:00:00"}, {"modified": "2025-07-01"}],
    }
    assert freshness.dataset_last_change(pkg) == datetime.datetime(2025, 9, 1)
    assert freshness.dataset_last_change(
        {"metadata_created": "2025-01-01T00:00:00", "resources": []}
    ) == datetime.datetime(2025, 1, 1)
