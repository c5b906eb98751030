"""Freshness through the dataset facts: what the dashboards count as stale."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.nd47.logic import freshness
from ckanext.nd47.oversight.model import DatasetFact
from tests.oversight.conftest import dataset


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
