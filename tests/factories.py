"""Factories for our schema: agencies and datasets with the required fields filled."""

from __future__ import annotations

from typing import Any

import factory
from ckan.tests import factories


class Agency(factories.Organization):
    """An agency (organization) with an electronic identifier and a level."""

    agency_identifier = factory.Sequence(lambda n: f"000.00.{n:02d}.G{n % 100:02d}")
    agency_level = "bo"


class StaffedAgency:
    """An agency with three users: its admin, an editor and a member."""

    def __init__(self) -> None:
        self.admin = factories.User()
        self.editor = factories.User()
        self.member = factories.User()
        self.org = Agency(
            users=[
                {"name": self.admin["name"], "capacity": "admin"},
                {"name": self.editor["name"], "capacity": "editor"},
                {"name": self.member["name"], "capacity": "member"},
            ]
        )


class Dataset(factories.Dataset):
    """An open, public, reviewed dataset of an agency."""

    title = factory.Sequence(lambda n: f"Bộ dữ liệu thử số {n}")
    notes = "Mô tả bộ dữ liệu thử."
    owner_org = factory.LazyFunction(lambda: Agency()["id"])
    sharing_class = "mo"
    importance = "khac"
    theme = ["y-te"]
    database_kind = "dia-phuong"
    personal_data_reviewed = True


def dataset_fields(**fields: Any) -> dict[str, Any]:
    """The fields Dataset would send to package_create, with changes; nothing is created.

    For tests that call package_create themselves (to see its errors).
    """
    return factory.build(dict, FACTORY_CLASS=Dataset, **fields)
