"""Who may call each action the extension registers: the declared auth policy.

One row per action or auth function name: the roles allowed (columns of
``world.ROLES``) and the data_dict to ask with, built from ``world.World``.
``tests/hardening/test_auth_policy.py`` checks every registered name against
this table; a name without a row fails there. Adding a row is one line.

Chained CKAN actions and auth functions have rows too: the extension changed
them, so what they allow is part of its policy (``organization_create`` as
test.ini sets ``ckan.auth.user_create_organizations``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from tests.hardening.world import ROLES, World

ANYONE = frozenset(ROLES)
SIGNED_IN = ANYONE - {"anonymous"}
# the agency's own users: they read its private data and draft plans
AGENCY_READERS = frozenset({"member", "editor", "admin", "sysadmin"})
AGENCY_EDITORS = frozenset({"editor", "admin", "sysadmin"})
AGENCY_ADMINS = frozenset({"admin", "sysadmin"})
# users of any state agency ("dùng chung" is for them)
AGENCY_USERS = frozenset({"member", "editor", "admin", "other_admin", "sysadmin"})
# the asking agency's admin (and sysadmins)
REQUESTER = frozenset({"other_admin", "sysadmin"})
# both sides of a sharing request
REQUEST_PARTIES = AGENCY_READERS | {"other_admin"}
SYSADMIN = frozenset({"sysadmin"})
NOBODY: frozenset[str] = frozenset()


class Row(NamedTuple):
    allowed: frozenset[str]
    data: Callable[[World], dict[str, Any]]


def _id(attr: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"id": getattr(w, attr)["id"]}


POLICY: dict[str, Row] = {
    # --- nd47 (core) ---
    "nd47_similar_datasets": Row(ANYONE, lambda w: {"title": "Dân số"}),
    "nd47_dataset_bulk_export": Row(AGENCY_EDITORS, lambda w: {"organization_id": w.org["id"]}),
    "nd47_dataset_bulk_import": Row(AGENCY_EDITORS, lambda w: {"organization_id": w.org["id"]}),
    "bulk_update_public": Row(
        NOBODY, lambda w: {"datasets": [w.private["id"]], "org_id": w.org["id"]}
    ),
    "organization_create": Row(SIGNED_IN, lambda w: {"name": "co-quan-moi"}),
    "organization_list": Row(ANYONE, lambda w: {}),
    "organization_show": Row(ANYONE, lambda w: {"id": w.org["id"]}),
    "organization_update": Row(AGENCY_ADMINS, lambda w: {"id": w.org["id"]}),
    "package_create": Row(AGENCY_EDITORS, lambda w: {"owner_org": w.org["id"]}),
    "package_update": Row(AGENCY_EDITORS, _id("private")),
    # --- nd47_plans ---
    "nd47_plan_create": Row(AGENCY_EDITORS, lambda w: {"owner_org": w.org["id"], "period": 2031}),
    "nd47_plan_show": Row(AGENCY_READERS, _id("plan")),
    "nd47_plan_figures": Row(ANYONE, lambda w: {}),
    "nd47_plan_list": Row(ANYONE, lambda w: {}),
    "nd47_plan_update": Row(AGENCY_EDITORS, _id("plan")),
    "nd47_plan_delete": Row(AGENCY_EDITORS, _id("plan")),
    "nd47_plan_import": Row(AGENCY_EDITORS, _id("plan")),
    "nd47_plan_approve": Row(AGENCY_ADMINS, _id("plan")),
    "nd47_plan_reopen": Row(AGENCY_ADMINS, _id("plan")),
    "nd47_plan_item_create": Row(AGENCY_EDITORS, lambda w: {"plan_id": w.plan["id"], "code": "X"}),
    "nd47_plan_item_show": Row(AGENCY_READERS, _id("item")),
    "nd47_plan_item_list": Row(AGENCY_READERS, lambda w: {"plan_id": w.plan["id"]}),
    "nd47_plan_item_overdue_list": Row(ANYONE, lambda w: {}),
    "nd47_plan_item_update": Row(AGENCY_EDITORS, _id("item")),
    "nd47_plan_item_delete": Row(AGENCY_EDITORS, _id("item")),
    "nd47_plan_item_status_update": Row(AGENCY_EDITORS, _id("item")),
    "nd47_plan_item_link": Row(AGENCY_EDITORS, _id("item")),
    "nd47_plan_item_dataset_autocomplete": Row(
        AGENCY_EDITORS, lambda w: {"plan_id": w.plan["id"], "q": "Dữ"}
    ),
    "nd47_plan_audit_list": Row(AGENCY_READERS, lambda w: {"plan_id": w.plan["id"]}),
    "nd47_opendata_list_show": Row(ANYONE, lambda w: {"owner_org": w.org["id"]}),
    "nd47_opendata_list_sent_create": Row(AGENCY_ADMINS, lambda w: {"owner_org": w.org["id"]}),
    # --- nd47_feedback ---
    "nd47_feedback_create": Row(ANYONE, lambda w: {"package_id": w.public["id"]}),
    "nd47_feedback_show": Row(ANYONE, _id("feedback")),
    "nd47_feedback_list": Row(ANYONE, lambda w: {"package_id": w.public["id"]}),
    "nd47_feedback_follow": Row(ANYONE, _id("feedback")),
    "nd47_feedback_stats": Row(ANYONE, lambda w: {}),
    "nd47_feedback_answer": Row(AGENCY_EDITORS, _id("feedback")),
    "nd47_feedback_status_update": Row(AGENCY_EDITORS, _id("feedback")),
    "nd47_feedback_moderate": Row(AGENCY_ADMINS, _id("feedback")),
    "nd47_data_request_create": Row(ANYONE, lambda w: {"owner_org": w.org["id"]}),
    "nd47_data_request_show": Row(ANYONE, _id("data_request")),
    "nd47_data_request_list": Row(ANYONE, lambda w: {}),
    "nd47_data_request_follow": Row(ANYONE, _id("data_request")),
    "nd47_data_request_answer": Row(AGENCY_EDITORS, _id("data_request")),
    "nd47_data_request_status_update": Row(AGENCY_EDITORS, _id("data_request")),
    "nd47_data_request_moderate": Row(AGENCY_ADMINS, _id("data_request")),
    "nd47_data_request_plan_item_create": Row(AGENCY_EDITORS, _id("data_request")),
    "nd47_dataset_citation": Row(AGENCY_READERS, _id("private")),
    # --- nd47_dcat ---
    "dcat_catalog_search": Row(ANYONE, lambda w: {}),
    "dcat_catalog_show": Row(ANYONE, lambda w: {}),
    "dcat_dataset_show": Row(AGENCY_READERS, _id("private")),
    "nd47_dcat_dump_rebuild": Row(SYSADMIN, lambda w: {}),
    # --- nd47_oversight ---
    "dataset_purge": Row(SYSADMIN, _id("private")),
    "nd47_dashboard_show": Row(ANYONE, lambda w: {}),
    "nd47_quality_show": Row(AGENCY_READERS, _id("private")),
    "nd47_quality_score": Row(AGENCY_EDITORS, _id("private")),
    "nd47_link_check_list": Row(AGENCY_READERS, _id("private")),
    "nd47_link_check_enqueue": Row(AGENCY_EDITORS, _id("private")),
    # --- nd47_sharing ---
    "nd47_share_register": Row(AGENCY_USERS, lambda w: {}),
    "nd47_share_request_create": Row(
        REQUESTER, lambda w: {"package_id": w.shared["id"], "requester_org": w.other_org["id"]}
    ),
    "nd47_share_request_show": Row(REQUEST_PARTIES, _id("share_request")),
    "nd47_share_request_list": Row(SIGNED_IN, lambda w: {}),
    "nd47_share_request_grant": Row(AGENCY_ADMINS, _id("share_request")),
    "nd47_share_request_refuse": Row(AGENCY_ADMINS, _id("share_request")),
    "nd47_share_request_revoke": Row(AGENCY_ADMINS, _id("share_request")),
    "resource_show": Row(AGENCY_READERS, _id("resource")),
    "resource_view_list": Row(AGENCY_READERS, _id("resource")),
}
