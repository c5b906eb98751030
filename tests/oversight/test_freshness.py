"""Freshness: the one definition of "stale", pure and through the dataset facts."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.nd47.oversight import freshness
from ckanext.nd47.oversight.model import DatasetFact
from tests.oversight.conftest import dataset


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


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
class TestDatasetFacts:
    def _fact(self, package_id: str) -> DatasetFact:
        from ckan import model

        model.Session.expire_all()
        return model.Session.get(DatasetFact, package_id)

    def test_a_description_edit_does_not_make_stale_data_fresh(self):
        with freeze_time("2026-01-15"):
            pkg = dataset(frequency="MONTHLY", modified="2025-11-01")
        fact = self._fact(pkg["id"])
        assert fact.data_modified == datetime.datetime(2025, 11, 1)
        with freeze_time("2026-01-20"):
            helpers.call_action("package_patch", id=pkg["id"], notes="Sửa lỗi chính tả.")
            fact = self._fact(pkg["id"])
            assert fact.data_modified == datetime.datetime(2025, 11, 1)
            assert freshness.is_stale(fact.data_modified, fact.frequency, datetime.date.today())

    def test_a_resource_change_makes_it_fresh(self):
        with freeze_time("2026-01-15"):
            pkg = dataset(frequency="MONTHLY", modified="2025-11-01")
        with freeze_time("2026-01-20"):
            helpers.call_action(
                "resource_create",
                package_id=pkg["id"],
                url="https://example.gov.vn/a.csv",
                format="CSV",
                last_modified="2026-01-19T00:00:00",
            )
            fact = self._fact(pkg["id"])
            assert fact.data_modified == datetime.datetime(2026, 1, 19)
            assert not freshness.is_stale(fact.data_modified, "MONTHLY", datetime.date.today())
            assert fact.stale_after == datetime.datetime(2026, 2, 19)

    def test_private_and_deleted_datasets_are_not_public(self):
        pkg = dataset()
        assert self._fact(pkg["id"]).public_open is True
        helpers.call_action("package_patch", id=pkg["id"], sharing_class="dung-chung")
        assert self._fact(pkg["id"]).public_open is False
        other = dataset()
        helpers.call_action("package_delete", id=other["id"])
        fact = self._fact(other["id"])
        assert (fact.active, fact.public_open) == (False, False)

    def test_a_purged_dataset_leaves_no_rows(self):
        from ckan import model

        from ckanext.nd47.oversight import service
        from ckanext.nd47.oversight.model import QualityScore

        pkg = dataset()
        service.score(pkg["id"])
        helpers.call_action("dataset_purge", id=pkg["name"])
        model.Session.expire_all()
        assert model.Session.get(DatasetFact, pkg["id"]) is None
        assert model.Session.query(QualityScore).filter_by(package_id=pkg["id"]).count() == 0
