"""Validators: dates in Vietnamese and ISO forms, codes, and vocabulary checks
through ``ckanext.nd47.vocab`` when it is installed."""

from __future__ import annotations

import datetime
import sys
import types

import pytest
from ckan.plugins import toolkit as tk

import ckanext.nd47
from ckanext.nd47.plans.logic import validators as v


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
    assert v.nd47_plan_date(value) == expected


@pytest.mark.parametrize("bad", ["05/2026", "31/02/2026", "hôm nay"])
def test_bad_dates(bad):
    with pytest.raises(tk.Invalid):
        v.nd47_plan_date(bad)


def test_formats_and_codes():
    assert v.nd47_plan_formats(["csv", " .json", "CSV"]) == "CSV,JSON"
    assert v.nd47_plan_formats("xlsx; pdf") == "XLSX,PDF"
    assert v.nd47_plan_code(" DM-01/2026 ") == "DM-01/2026"
    with pytest.raises(tk.Invalid):
        v.nd47_plan_code("DM 01")
    assert v.nd47_plan_period("2026") == 2026


@pytest.fixture
def fake_vocab(monkeypatch):
    terms = {
        "themes": ["y-te", "giao-duc-dao-tao"],
        "frequency": ["ANNUAL", "IRREG"],
        "file_type": ["CSV", "JSON"],
    }
    module = types.ModuleType("ckanext.nd47.vocab")
    module.get = lambda name: tuple(types.SimpleNamespace(code=c) for c in terms[name])
    monkeypatch.setitem(sys.modules, "ckanext.nd47.vocab", module)
    monkeypatch.setattr(ckanext.nd47, "vocab", module, raising=False)
    return module


def test_vocabularies_are_used_when_installed(fake_vocab):
    assert v.nd47_plan_theme("Y-TE") == "y-te"
    assert v.nd47_plan_cadence("annual") == "ANNUAL"
    assert v.nd47_plan_formats("csv,json") == "CSV,JSON"
    for validator, value in (
        (v.nd47_plan_theme, "the-thao"),
        (v.nd47_plan_cadence, "HOURLY"),
        (v.nd47_plan_formats, "DOCX"),
    ):
        with pytest.raises(tk.Invalid):
            validator(value)
