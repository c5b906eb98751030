"""One agency's worth of every kind of object, and a user in every role.

The auth matrix and the leak tests build this once per test: an agency with
a member, an editor and an admin, the admin of another agency, a citizen
(signed in, in no agency) and a sysadmin; datasets private, public and
shared ("dùng chung"), a draft plan with an item, a feedback thread, a data
request and a sharing request from the other agency.
"""

from __future__ import annotations

from typing import Any

from ckan.tests import factories, helpers

from tests import factories as nd47_factories

# the roles of the policy table, in the order of its columns
ROLES = ("anonymous", "citizen", "member", "editor", "admin", "other_admin", "sysadmin")


def call_as(user: dict[str, Any] | None, action: str, **data: Any) -> Any:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


class World:
    def __init__(self, marker: str = "") -> None:
        self.marker = marker
        self.admin = factories.User(email=factories.fake.email())
        self.editor = factories.User(email=factories.fake.email())
        self.member = factories.User(email=factories.fake.email())
        self.other_admin = factories.User(email=factories.fake.email())
        self.citizen = factories.User(email=factories.fake.email())
        self.sysadmin = factories.Sysadmin()
        self.org = nd47_factories.Agency(
            users=[
                {"name": self.admin["name"], "capacity": "admin"},
                {"name": self.editor["name"], "capacity": "editor"},
                {"name": self.member["name"], "capacity": "member"},
            ]
        )
        self.other_org = nd47_factories.Agency(
            users=[{"name": self.other_admin["name"], "capacity": "admin"}]
        )
        self.public = nd47_factories.Dataset(
            owner_org=self.org["id"], private=False, admin_units=["VN"]
        )
        self.private = self._dataset("dung-rieng", "private")
        # the marker names what is private: the shared dataset never carries it
        self.shared = self._dataset("dung-chung", "shared", marked=False)
        self.resource = factories.Resource(
            package_id=self.private["id"], url="http://x.invalid/a.csv", format="CSV"
        )
        self.plan = call_as(self.editor, "nd47_plan_create", owner_org=self.org["id"], period=2030)
        self.item = call_as(
            self.editor, "nd47_plan_item_create", plan_id=self.plan["id"], code="DM1", title="A"
        )
        self.feedback = call_as(
            None,
            "nd47_feedback_create",
            package_id=self.public["id"],
            kind="error",
            body="Sai số liệu",
            email="dan@example.org",
        )
        self.data_request = call_as(
            None,
            "nd47_data_request_create",
            title="Danh sách trường học",
            body="Cần dữ liệu",
            owner_org=self.org["id"],
            email="dan@example.org",
        )
        self.share_request = call_as(
            self.other_admin,
            "nd47_share_request_create",
            package_id=self.shared["id"],
            requester_org=self.other_org["id"],
            purpose="Đối soát",
            legal_basis="47/2020/NĐ-CP",
            contact="Phòng CNTT",
        )

    def _dataset(self, sharing_class: str, what: str, marked: bool = True) -> dict[str, Any]:
        return nd47_factories.Dataset(
            owner_org=self.org["id"],
            private=True,
            sharing_class=sharing_class,
            admin_units=["VN"],
            title=f"{what} {self.marker if marked else ''}".strip(),
        )

    def user(self, role: str) -> dict[str, Any] | None:
        return None if role == "anonymous" else getattr(self, role)
