"""Fixtures of the sharing tests: plugins, migrations, agencies, shared datasets, grants."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests import factories as nd47_factories

PLUGINS = "nd47 nd47_sharing nd47_dcat scheming_datasets scheming_organizations dcat"
FILE_BODY = "ma_tinh,ten\n40,Nghệ An\n"


class Agency:
    """An agency with an admin, an editor and a member, each with an e-mail."""

    def __init__(self, **org: Any) -> None:
        self.admin = factories.User(email=factories.fake.email())
        self.editor = factories.User(email=factories.fake.email())
        self.member = factories.User(email=factories.fake.email())
        self.org = nd47_factories.Agency(
            users=[
                {"name": self.admin["name"], "capacity": "admin"},
                {"name": self.editor["name"], "capacity": "editor"},
                {"name": self.member["name"], "capacity": "member"},
            ],
            **org,
        )


def call_as(user: dict[str, Any] | None, action: str, **data: Any) -> Any:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def dataset(agency: Agency, sharing_class: str, **kw: Any) -> dict[str, Any]:
    """A dataset of ``agency`` in ``sharing_class`` (only "mo" may be public)."""
    kw.setdefault("admin_units", ["VN"])
    return nd47_factories.Dataset(
        owner_org=agency.org["id"], sharing_class=sharing_class, private=sharing_class != "mo", **kw
    )


def shared_dataset(agency: Agency, **kw: Any) -> dict[str, Any]:
    return dataset(agency, "dung-chung", **kw)


def add_upload(create_with_upload: Any, pkg: dict[str, Any], name: str = "dan-so.csv") -> dict:
    return create_with_upload(
        FILE_BODY, name, package_id=pkg["id"], name=name, format="CSV", url="dan-so.csv"
    )


def request_access(requester: Agency, pkg: dict[str, Any], **kw: Any) -> dict[str, Any]:
    data = {
        "package_id": pkg["id"],
        "requester_org": requester.org["id"],
        "purpose": "Đối soát dữ liệu dân cư",
        "legal_basis": "47/2020/NĐ-CP",
        "contact": "Phòng CNTT, 0238 3844 000",
        **kw,
    }
    return call_as(requester.editor, "nd47_share_request_create", **data)


def grant(owner: Agency, request: dict[str, Any], days: int = 180, **kw: Any) -> dict:
    end = datetime.date.today() + datetime.timedelta(days=days)
    return call_as(
        owner.admin, "nd47_share_request_grant", id=request["id"], grant_end=end.isoformat(), **kw
    )


@pytest.fixture
def owner() -> Agency:
    return Agency()


@pytest.fixture
def requester() -> Agency:
    return Agency()
