"""Validators: dates in Vietnamese and ISO forms, codes, and vocabulary checks
against the portal's own vocabularies."""

from __future__ import annotations

import datetime

import pytest
from ckan.plugins import toolkit as tk

from ckanext.nd47 import vocab
from ckanext.nd47.plans.logic import validators


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-05-01", datetime.date(2026, 5, 1)),
        ("01/05/2026", datetime.date(2026, 5, 1)),
        ("1.5.2026", datetime.date(2026, 5, 1)),
        (datetime.datetime(2026, 5, 1, 10), datetime.date(2026, 5, 1)),
        ("2026-05-01T00:00:00", datetime.date(2026, 5, 1)),
        ("", None),
    ],
)
def test_dates(value, expected):
    assert validators.nd47_plan_date(value) == expected


@pytest.mark.parametrize("bad", ["05/2026", "31/02/2026", "hôm nay"])
def test_bad_dates(bad):
    with pytest.raises(tk.Invalid):
        validators.nd47_plan_date(bad)


def test_formats_and_codes():
    assert validators.nd47_plan_formats(["csv", " .json", "CSV"]) == "CSV,JSON"
    assert validators.nd47_plan_formats("xlsx; pdf") == "XLSX,PDF"
    assert validators.nd47_plan_code(" DM-01/2026 ") == "DM-01/2026"
    with pytest.raises(tk.Invalid):
        validators.nd47_plan_code("DM 01")
    assert validators.nd47_plan_period("2026") == 2026


def test_codes_come_from_the_portal_vocabularies():
    # every code of the real vocabularies passes, in any case
    for term in vocab.get("themes"):
        assert validators.nd47_plan_theme(term.code.upper()) == term.code
    for term in vocab.get("frequency"):
        assert validators.nd47_plan_cadence(term.code.lower()) == term.code
    codes = [term.code for term in vocab.get("file_type")]
    assert validators.nd47_plan_formats(",".join(code.lower() for code in codes)) == ",".join(codes)
    # well-formed codes that no vocabulary has are refused
    for validator, value in (
        (validators.nd47_plan_theme, "the-thao"),
        (validators.nd47_plan_cadence, "FORTNIGHTLY"),
        (validators.nd47_plan_formats, "CSV,MP4"),
    ):
        with pytest.raises(tk.Invalid, match="is not in the list"):
            validator(value)
