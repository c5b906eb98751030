"""Dashboard figures against a known fixture, visibility, query count, cache, exports."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.nd47.oversight import service
from tests import factories as nd47_factories
from tests.oversight.conftest import dataset, insert_plan

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
NO_CACHE = ("ckanext.nd47.oversight.dashboard.cache_seconds", "0")


def call_as(user: dict | None, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("nd47_dashboard_show", context=context, **data)


class Fixture:
    """Agency A (province 01, a private dataset, an approved plan) and B (a ministry)."""

    def __init__(self) -> None:
        self.member_a = factories.User()
        self.member_b = factories.User()
        self.a = nd47_factories.Agency(
            province_code="01",
            agency_level="tinh",
            users=[{"name": self.member_a["name"], "capacity": "member"}],
        )
        self.b = nd47_factories.Agency(
            agency_level="bo", users=[{"name": self.member_b["name"], "capacity": "member"}]
        )
        long_ago = (TODAY - 400 * DAY).isoformat()
        self.public_a = dataset(
            owner_org=self.a["id"], theme=["y-te"], frequency="MONTHLY", modified=long_ago
        )
        self.private_a = dataset(
            owner_org=self.a["id"],
            theme=["y-te"],
            sharing_class="dung-chung",
            private=True,
            frequency="MONTHLY",
            modified=long_ago,
        )
        self.public_b = dataset(
            owner_org=self.b["id"], theme=["giao-duc-dao-tao"], frequency="IRREG"
        )
        for pkg in (self.public_a, self.private_a, self.public_b):
            service.score(pkg["id"])
        when = datetime.datetime.combine(TODAY - 60 * DAY, datetime.time())
        insert_plan(
            self.a["id"],
            [
                {"status": "planned", "due_date": TODAY - 10 * DAY},  # overdue
                {"status": "preparing", "due_date": TODAY + 100 * DAY},
                {"status": "published", "due_date": TODAY - 50 * DAY, "status_changed": when},
                {"status": "published", "due_date": TODAY - 70 * DAY, "status_changed": when},
                {"status": "withdrawn", "due_date": TODAY - 70 * DAY},
            ],
        )
        # a draft is not counted
        insert_plan(self.b["id"], [{"status": "planned", "due_date": TODAY - DAY}], status="draft")


@pytest.fixture
def fx() -> Fixture:
    return Fixture()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config(*NO_CACHE)
class TestFigures:
    def test_national_figures(self, fx):
        f = call_as(None)
        assert f["datasets"]["count"] == 2
        themes = {row["code"]: row["count"] for row in f["datasets"]["themes"]}
        assert themes["y-te"] == 1 and themes["giao-duc-dao-tao"] == 1
        assert len(themes) == 12
        assert [row["code"] for row in f["datasets"]["sharing_class"]] == ["mo"]
        assert f["plans"] | {"overdue_items": None} == {
            "planned": 5,
            "published": 2,
            "closed": 1,
            "overdue": 1,
            "owed": 4,
            "completion_rate": 50.0,  # 2 of the 4 still owed
            "on_time_rate": 50.0,
            "overdue_items": None,
        }
        assert [row["agency"] for row in f["plans"]["overdue_items"]] == [fx.a["title"]]
        assert f["stale"]["count"] == 1
        assert f["stale"]["datasets"][0]["name"] == fx.public_a["name"]
        assert f["quality"]["scored"] == 2
        assert sum(row["count"] for row in f["quality"]["bands"]) == 2
        assert [row["name"] for row in f["agencies"]] == [fx.a["name"], fx.b["name"]]
        assert f["agencies"][0]["rank"] == 1

    def test_filters(self, fx):
        by_province = call_as(None, province="01")
        assert [row["name"] for row in by_province["agencies"]] == [fx.a["name"]]
        assert by_province["datasets"]["count"] == 1
        by_level = call_as(None, level="bo")
        assert [row["name"] for row in by_level["agencies"]] == [fx.b["name"]]
        assert by_level["plans"]["planned"] == 0
        assert call_as(None, period=2025)["plans"]["planned"] == 0
        with pytest.raises(helpers.logic.ValidationError):
            call_as(None, period="năm nay")

    def test_private_data_only_for_those_who_may_see_it(self, fx):
        anonymous = call_as(None, agency=fx.a["name"])
        member = call_as(fx.member_a, agency=fx.a["name"])
        other_agency = call_as(fx.member_b, agency=fx.a["name"])
        assert anonymous["datasets"]["count"] == other_agency["datasets"]["count"] == 1
        assert anonymous["stale"]["count"] == other_agency["stale"]["count"] == 1
        assert anonymous["quality"]["scored"] == other_agency["quality"]["scored"] == 1
        assert member["datasets"]["count"] == 2
        assert member["stale"]["count"] == 2
        assert member["quality"]["scored"] == 2
        assert {row["code"] for row in member["datasets"]["sharing_class"]} == {"mo", "dung-chung"}
        # the national dashboard stays public whoever looks
        assert call_as(fx.member_a)["datasets"]["count"] == 2


def _count_queries(call) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def _agencies_with_data(count: int) -> None:
    from ckanext.nd47.oversight.model import DatasetFact, QualityScore

    stale = datetime.datetime.combine(TODAY - 5 * DAY, datetime.time())
    for number in range(count):
        org = nd47_factories.Agency(province_code="01", agency_level="tinh")
        for index in range(2):
            package_id = f"{org['id']}-{index}"
            model.Session.add(
                DatasetFact(
                    package_id=package_id,
                    owner_org=org["id"],
                    name=f"ds-{number}-{index}",
                    title="Bộ dữ liệu",
                    public_open=True,
                    active=True,
                    frequency="MONTHLY",
                    stale_after=stale,
                )
            )
            model.Session.add(
                QualityScore(
                    package_id=package_id, owner_org=org["id"], score=200, band="sufficient"
                )
            )
        insert_plan(org["id"], [{"status": "planned", "due_date": TODAY - DAY}])
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config(*NO_CACHE)
class TestQueryCount:
    def test_the_same_with_5_and_50_agencies(self):
        _agencies_with_data(5)
        few = _count_queries(lambda: call_as(None))
        assert call_as(None)["agency_count"] == 5
        _agencies_with_data(45)
        many = _count_queries(lambda: call_as(None))
        figures = call_as(None)
        assert figures["agency_count"] == 50
        assert figures["stale"]["count"] == 100
        assert figures["plans"]["overdue"] == 50
        assert few == many


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config("ckanext.nd47.oversight.dashboard.cache_seconds", "600")
class TestCache:
    def test_cached_until_something_changes(self, fx):
        first = call_as(None)
        # the change marks only: oversight's and the plans plugin's
        assert _count_queries(lambda: call_as(None)) == 2
        assert call_as(None) == first
        dataset(owner_org=fx.b["id"])
        assert call_as(None)["datasets"]["count"] == first["datasets"]["count"] + 1
        insert_plan(fx.b["id"], [{"status": "planned", "due_date": TODAY - DAY}], period=2027)
        assert call_as(None)["plans"]["planned"] == first["plans"]["planned"] + 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config(*NO_CACHE)
class TestPages:
    def test_national_page(self, app, fx):
        page = app.get("/oversight/")
        assert page.status_code == 200
        assert fx.a["title"] in page.body
        assert "<svg" in page.body and "<table" in page.body

    def test_no_sharing_figures_without_the_sharing_plugin(self, fx):
        # test.ini does not enable nd47_sharing (see test_sharing_figures.py)
        assert call_as(fx.member_a)["sharing"] is None

    def test_agency_page(self, app, fx):
        assert app.get(f"/oversight/agency/{fx.a['name']}").status_code == 200
        assert app.get("/oversight/agency/khong-co").status_code == 404

    def test_exports(self, app, fx):
        body = app.get("/oversight/export.csv").body.lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(body)))
        assert ["plans", "overdue", "", "1"] in rows
        assert any(row[:2] == ["1", fx.a["name"]] for row in rows)
        data = json.loads(app.get("/oversight/export.json").body)
        assert data["plans"]["overdue"] == 1
        from openpyxl import load_workbook

        response = app.get(f"/oversight/agency/{fx.a['name']}/export.xlsx")
        book = load_workbook(io.BytesIO(response.data))
        assert book.sheetnames == [
            "figures",
            "agencies",
            "overdue",
            "stale",
            "broken_links",
            "lowest_quality",
        ]
        assert app.get("/oversight/export.pdf").status_code == 404

    @pytest.mark.ckan_config("ckan.site_intro_text", "Cổng dữ liệu mở của tỉnh thử.")
    def test_home_page(self, app, fx):
        page = app.get("/")
        assert "Cổng dữ liệu mở của tỉnh thử." in page.body
        assert page.body.count("?vocab_nd47_theme=") == 12
        assert fx.public_a["title"] in page.body
        assert fx.private_a["title"] not in page.body
        assert 'name="q"' in page.body
        # the planned-datasets card and the plans sentence count the same items:
        # the 4 still owed by A's approved plan (its withdrawn item and B's draft not)
        card = re.search(r'value">(\d+)</span><span class="label">Planned datasets<', page.body)
        assert card and card.group(1) == "4"
        assert "of the 4 datasets the agencies plan to open" in page.body
