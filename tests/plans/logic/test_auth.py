"""The auth matrix: every action for anonymous, member, editor, admin of the
agency, admin of another agency and sysadmin, on a draft and an approved plan."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.nd47.plans.logic.action import __all__ as ACTIONS
from ckanext.nd47.plans.logic.auth import __all__ as AUTHS

ROLES = ("anonymous", "member", "editor", "admin", "other_admin", "sysadmin")
T, F = True, False
ANYONE = dict.fromkeys(ROLES, T)
INSIDE = dict(zip(ROLES, (F, T, T, T, F, T), strict=True))
MANAGE = dict(zip(ROLES, (F, F, T, T, F, T), strict=True))
ADMIN = dict(zip(ROLES, (F, F, F, T, F, T), strict=True))

# action -> (data builder, expected on a draft plan, expected on an approved plan)
MATRIX = {
    "nd47_plan_create": (lambda w: {"owner_org": w["org"], "period": 2030}, MANAGE, MANAGE),
    "nd47_plan_show": (lambda w: {"id": w["plan"]}, INSIDE, ANYONE),
    "nd47_plan_list": (lambda w: {}, ANYONE, ANYONE),
    "nd47_plan_update": (lambda w: {"id": w["plan"]}, MANAGE, ADMIN),
    "nd47_plan_delete": (lambda w: {"id": w["plan"]}, MANAGE, ADMIN),
    "nd47_plan_import": (lambda w: {"id": w["plan"]}, MANAGE, ADMIN),
    "nd47_plan_approve": (lambda w: {"id": w["plan"]}, ADMIN, ADMIN),
    "nd47_plan_reopen": (lambda w: {"id": w["plan"]}, ADMIN, ADMIN),
    "nd47_plan_item_create": (lambda w: {"plan_id": w["plan"]}, MANAGE, ADMIN),
    "nd47_plan_item_show": (lambda w: {"id": w["item"]}, INSIDE, ANYONE),
    "nd47_plan_item_list": (lambda w: {"plan_id": w["plan"]}, INSIDE, ANYONE),
    "nd47_plan_item_overdue_list": (lambda w: {}, ANYONE, ANYONE),
    "nd47_plan_figures": (lambda w: {"org_ids": [w["org"]]}, ANYONE, ANYONE),
    "nd47_plan_item_update": (lambda w: {"id": w["item"]}, MANAGE, ADMIN),
    "nd47_plan_item_delete": (lambda w: {"id": w["item"]}, MANAGE, ADMIN),
    "nd47_plan_item_status_update": (lambda w: {"id": w["item"]}, MANAGE, MANAGE),
    "nd47_plan_item_link": (lambda w: {"id": w["item"]}, MANAGE, MANAGE),
    "nd47_plan_item_dataset_autocomplete": (
        lambda w: {"plan_id": w["plan"], "q": "du lieu"},
        MANAGE,
        MANAGE,
    ),
    "nd47_plan_audit_list": (lambda w: {"plan_id": w["plan"]}, INSIDE, ANYONE),
    "nd47_opendata_list_show": (lambda w: {"owner_org": w["org"]}, ANYONE, ANYONE),
    "nd47_opendata_list_sent_create": (lambda w: {"owner_org": w["org"]}, ADMIN, ADMIN),
}


def test_matrix_covers_every_action():
    # package_create/package_update are CKAN's, chained (a dataset claims an item)
    own = [name for name in ACTIONS if name.startswith("nd47_")]
    assert sorted(MATRIX) == sorted(own) == sorted(AUTHS)


@pytest.fixture
def world(agency, other_agency):
    users = {
        "anonymous": "",
        "member": agency.member["name"],
        "editor": agency.editor["name"],
        "admin": agency.admin["name"],
        "other_admin": other_agency.admin["name"],
        "sysadmin": factories.Sysadmin()["name"],
    }
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    item = helpers.call_action("nd47_plan_item_create", plan_id=plan["id"], code="A", title="A")
    return {"org": agency.org["id"], "plan": plan["id"], "item": item["id"], "users": users}


def _allowed(action: str, user: str, data: dict) -> bool:
    context = {"user": user, "model": model}
    try:
        tk.check_access(action, context, data)
    except tk.NotAuthorized:
        return False
    return True


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_auth_matrix(world, action, approved):
    build, on_draft, on_approved = MATRIX[action]
    if approved:
        helpers.call_action("nd47_plan_approve", id=world["plan"])
    expected = on_approved if approved else on_draft
    got = {role: _allowed(action, world["users"][role], build(world)) for role in ROLES}
    assert got == expected


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_missing_objects_are_not_found(agency):
    context = {"user": agency.editor["name"], "model": model}
    with pytest.raises(tk.ObjectNotFound):
        tk.check_access("nd47_plan_update", context, {"id": "nope"})
    with pytest.raises(tk.ObjectNotFound):
        tk.check_access("nd47_plan_item_create", context, {"plan_id": "nope"})
    with pytest.raises(tk.ObjectNotFound):
        tk.check_access("nd47_plan_item_show", {"user": "", "model": model}, {"id": "nope"})
    # an unknown agency is the action's validation error on owner_org
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action(
            "nd47_plan_create",
            context={**context, "ignore_auth": False},
            owner_org="nope",
            period=2026,
        )
    assert err.value.error_dict == {"owner_org": ["Agency not found"]}


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_editor_cannot_move_plan_to_another_agency(agency, other_agency):
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action(
            "nd47_plan_update",
            context={"user": agency.editor["name"], "ignore_auth": False},
            id=plan["id"],
            owner_org=other_agency.org["id"],
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_approved_plan_changes_are_the_admins(agency):
    editor = {"user": agency.editor["name"], "ignore_auth": False}
    admin = {"user": agency.admin["name"], "ignore_auth": False}
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    item = helpers.call_action("nd47_plan_item_create", plan_id=plan["id"], code="A", title="A")
    helpers.call_action("nd47_plan_approve", context=admin, id=plan["id"])
    for action, data in (
        ("nd47_plan_update", {"id": plan["id"], "title": "Khác", "decision_number": "9/QĐ"}),
        ("nd47_plan_item_create", {"plan_id": plan["id"], "code": "B", "title": "B"}),
        ("nd47_plan_item_update", {"id": item["id"], "title": "Khác"}),
        ("nd47_plan_item_delete", {"id": item["id"]}),
        ("nd47_plan_delete", {"id": plan["id"]}),
    ):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action(action, context=dict(editor), **data)
    shown = helpers.call_action("nd47_plan_show", id=plan["id"], include_items=True)
    assert (shown["status"], shown["title"], shown["decision_number"]) == (
        "approved",
        plan["title"],
        None,
    )
    assert [i["code"] for i in shown["items"]] == ["A"]
    # carrying the plan out stays the editors' work
    moved = helpers.call_action(
        "nd47_plan_item_status_update", context=dict(editor), id=item["id"], status="preparing"
    )
    assert moved["status"] == "preparing"
    updated = helpers.call_action(
        "nd47_plan_update", context=dict(admin), id=plan["id"], title="Khác"
    )
    assert (updated["title"], updated["status"]) == ("Khác", "approved")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_admins_read_the_trail_of_their_deleted_plans(agency, other_agency):
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    helpers.call_action("nd47_plan_delete", id=plan["id"])
    trail = helpers.call_action(
        "nd47_plan_audit_list",
        context={"user": agency.admin["name"], "ignore_auth": False},
        plan_id=plan["id"],
    )
    assert [e["action"] for e in trail["results"]] == ["delete", "create"]
    for user in (agency.editor, agency.member, other_agency.admin):
        assert not _allowed("nd47_plan_audit_list", user["name"], {"plan_id": plan["id"]})
    with pytest.raises(tk.ObjectNotFound):
        tk.check_access(
            "nd47_plan_audit_list", {"user": agency.admin["name"]}, {"plan_id": "never-existed"}
        )
