"""The plan import given hostile files: a result or a validation error, nothing half-written."""

from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage

from ckanext.nd47.plans import spreadsheet
from tests.plans.conftest import Agency, make_plan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CELLS = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="\"',;\n\r\t=+-@|<>\x00\u0301", max_size=12),
    st.sampled_from(
        ["DM01", "y-te", "csv", "CSV,XLSX", "2026-05-01", "31/02/2026", "=1+1", "x" * 3000]
    ),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=14), min_size=0, max_size=6)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _header() -> list[str]:
    text = spreadsheet.template("csv").decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def _count(plan: dict) -> int:
    return len(helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)["items"])


def _import(agency: Agency, plan: dict, data: bytes, fmt: str) -> None:
    before = _count(plan)
    try:
        helpers.call_action(
            "nd47_plan_import",
            context={"user": agency.editor["name"], "ignore_auth": False},
            id=plan["id"],
            upload=FileStorage(io.BytesIO(data), filename=f"ke-hoach.{fmt}"),
        )
    except tk.ValidationError:
        assert _count(plan) == before, "a refused import wrote items"


def test_csv_rows_of_anything_are_imported_or_refused_whole():
    agency = Agency()
    plan = make_plan(agency)
    header = _header()

    @SETTINGS
    @given(rows=ROWS, delimiter=st.sampled_from([",", ";", "\t"]))
    def check(rows: list[list[str]], delimiter: str) -> None:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
        _import(agency, plan, out.getvalue().encode("utf-8", "surrogatepass"), "csv")

    check()


def test_bytes_of_anything_are_refused_as_csv_and_as_xlsx():
    agency = Agency()
    plan = make_plan(agency)

    @SETTINGS
    @given(data=st.binary(max_size=400), fmt=st.sampled_from(["csv", "xlsx"]))
    def check(data: bytes, fmt: str) -> None:
        _import(agency, plan, data, fmt)

    check()
