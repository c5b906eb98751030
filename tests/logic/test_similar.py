"""nd47_similar_datasets: quality on the labelled set, and only what the caller may see."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories
from tests.logic import similar_eval

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_precision_at_5_on_the_labelled_set() -> None:
    data = similar_eval.load()
    assert len(data["queries"]) >= 20
    assert sum(len(q["same"]) + len(q["different"]) for q in data["queries"]) >= 60
    user = similar_eval.build(data)
    result = similar_eval.evaluate(data, user["name"])
    assert result["precision_at_5"] >= 0.8, result["misses"]
    assert result["recall"] >= 0.8, result["misses"]


def _similar(user: str | None, **params: Any) -> list[str]:
    context = {"user": user or "", "ignore_auth": False}
    found = helpers.call_action("nd47_similar_datasets", context=context, **params)
    return [d["name"] for d in found]


@pytest.fixture
def agencies() -> dict[str, Any]:
    publisher = ckan_factories.User()
    mine = factories.Agency(users=[{"name": publisher["name"], "capacity": "editor"}])
    other = factories.Agency()
    for name, title, sharing_class, owner in (
        ("dan-cu-mo", "Dữ liệu dân cư toàn quốc", "mo", other),
        ("dan-cu-dung-chung", "Dữ liệu dân cư dùng chung", "dung-chung", other),
        ("dan-cu-dung-rieng", "Dữ liệu dân cư dùng riêng", "dung-rieng", other),
        ("dan-cu-cua-toi", "Dữ liệu dân cư của tôi", "mo", mine),
    ):
        factories.Dataset(
            name=name,
            title=title,
            owner_org=owner["id"],
            sharing_class=sharing_class,
            admin_units=["VN"],
        )
    return {"publisher": publisher, "mine": mine, "other": other}


def test_the_callers_agency_is_left_out(agencies: dict[str, Any]) -> None:
    user = agencies["publisher"]["name"]
    names = _similar(user, title="du lieu dan cu", owner_org=agencies["mine"]["name"])
    assert "dan-cu-mo" in names
    assert "dan-cu-cua-toi" not in names


def test_private_class_data_is_never_suggested(agencies: dict[str, Any], sysadmin: dict) -> None:
    # not even to a sysadmin, who may see it: it is the owning agency's only
    for user in (agencies["publisher"]["name"], sysadmin["name"], None):
        assert "dan-cu-dung-rieng" not in _similar(user, title="Dữ liệu dân cư")


def test_citizens_never_see_shared_data(agencies: dict[str, Any]) -> None:
    citizen = ckan_factories.User()
    for user in (citizen["name"], None):
        names = _similar(user, title="Dữ liệu dân cư")
        assert "dan-cu-mo" in names
        assert "dan-cu-dung-chung" not in names


def test_empty_title_gives_nothing(agencies: dict[str, Any]) -> None:
    assert _similar(None, title="") == []
    assert _similar(None, title="Dữ liệu") == []  # only words that say nothing


def test_get_through_the_api(app: Any, agencies: dict[str, Any]) -> None:
    response = app.get(
        "/api/3/action/nd47_similar_datasets",
        query_string={"title": "dân cư", "owner_org": agencies["mine"]["name"]},
    )
    assert response.status_code == 200
    result = response.json["result"]
    assert [d["name"] for d in result] == ["dan-cu-mo"]
    assert set(result[0]) >= {"id", "name", "title", "organization", "url", "score"}


def test_limit_must_be_a_number(agencies: dict[str, Any]) -> None:
    with pytest.raises(helpers.logic.ValidationError):
        _similar(None, title="dân cư", limit="nhiều")
