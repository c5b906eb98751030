"""Fixtures of the feedback tests: agencies with every role, a clean Redis, SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers

from tests import factories as nd47_factories


class Agency(nd47_factories.StaffedAgency):
    """An agency with its admin, an editor, a member, and one open dataset."""

    def __init__(self) -> None:
        super().__init__()
        self.dataset = nd47_factories.Dataset(
            owner_org=self.org["id"], private=False, admin_units=["VN"]
        )


@pytest.fixture
def agency() -> Agency:
    return Agency()


@pytest.fixture
def other_agency() -> Agency:
    return Agency()


@pytest.fixture(autouse=True)
def clean_rate_limits() -> Iterator[None]:
    """Rate counters of earlier tests must not refuse this test's messages."""

    def clear() -> None:
        redis = connect_to_redis()
        for key in redis.scan_iter("*:nd47_feedback:rate:*"):
            redis.delete(key)

    clear()
    yield
    clear()


def call_as(user: dict[str, Any] | None, action: str, **data: Any) -> Any:
    """Call an action as ``user`` (None: an anonymous visitor), with auth."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def feedback(agency: Agency, user: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    data = {"package_id": agency.dataset["id"], "kind": "error", "body": "Sai số liệu năm 2024"}
    if user is None:
        data["email"] = "dan@example.org"
    return call_as(user, "nd47_feedback_create", **{**data, **kw})


def request(agency: Agency | None, user: dict[str, Any] | None = None, **kw: Any) -> dict:
    data = {"title": "Danh sách trường học", "body": "Cần dữ liệu các trường học."}
    if agency is not None:
        data["owner_org"] = agency.org["name"]
    if user is None:
        data["email"] = "dan@example.org"
    return call_as(user, "nd47_data_request_create", **{**data, **kw})
