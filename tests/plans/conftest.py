"""Fixtures of the plan tracker tests: migrations, agencies with every role."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import helpers

from tests import factories as nd47_factories


def open_dataset(org_id: str, **kwargs: Any) -> dict[str, Any]:
    """A public dataset in the open sharing class ("mở")."""
    return nd47_factories.Dataset(owner_org=org_id, private=False, **kwargs)


def set_sharing_class(pkg: dict[str, Any], value: str) -> dict[str, Any]:
    return helpers.call_action("package_patch", id=pkg["id"], sharing_class=value)


class Agency:
    """An organization with a member, an editor and an admin."""

    def __init__(self) -> None:
        self.admin = nd47_factories.User()
        self.editor = nd47_factories.User()
        self.member = nd47_factories.User()
        self.org = nd47_factories.Agency(
            users=[
                {"name": self.admin["name"], "capacity": "admin"},
                {"name": self.editor["name"], "capacity": "editor"},
                {"name": self.member["name"], "capacity": "member"},
            ]
        )


@pytest.fixture
def agency() -> Agency:
    return Agency()


@pytest.fixture
def other_agency() -> Agency:
    return Agency()


def call_as(user: dict[str, Any] | None, action: str, **data: Any) -> Any:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def make_plan(agency: Agency, **kw: Any) -> dict[str, Any]:
    data = {"owner_org": agency.org["id"], "period": 2026, **kw}
    return call_as(agency.editor, "nd47_plan_create", **data)


def make_item(agency: Agency, plan: dict[str, Any], code: str = "DM01", **kw: Any) -> dict:
    data = {"plan_id": plan["id"], "code": code, "title": f"Dữ liệu {code}", **kw}
    return call_as(agency.editor, "nd47_plan_item_create", **data)


def audit(plan_id: str, **kw: Any) -> list[dict[str, Any]]:
    return helpers.call_action("nd47_plan_audit_list", plan_id=plan_id, **kw)["results"]
