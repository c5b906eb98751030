"""Factories for our schema: agencies and datasets with the required fields filled."""

from __future__ import annotations

from typing import Any

import factory
from ckan.tests import factories

# CKAN's factories point image_url at a placeholder site the tests cannot
# reach: pages and screenshots would show broken images. Ours leave it empty.


class User(factories.User):
    """A user without a picture."""

    image_url = ""


class Sysadmin(factories.Sysadmin):
    """A sysadmin without a picture."""

    image_url = ""


class Agency(factories.Organization):
    """An agency (organization) with an electronic identifier and a level, without a picture."""

    image_url = ""
    agency_identifier = factory.Sequence(lambda n: f"000.00.{n:02d}.G{n % 100:02d}")
    agency_level = "bo"


class StaffedAgency:
    """An agency with three users: its admin, an editor and a member."""

    def __init__(self) -> None:
        self.admin = User()
        self.editor = User()
        self.member = User()
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
