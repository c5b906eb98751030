"""Plan auth defers to CKAN's auth functions, and each action loads its plan once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk

from tests.plans.conftest import call_as, make_item, make_plan

PLUGINS = "nd47 nd47_plans scheming_datasets scheming_organizations"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS + " nd47_test_admins_only")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOverridingCoreAuth:
    """A plugin that lets only agency admins create datasets (``package_create``)."""

    def test_editors_no_longer_manage_plans(self, agency):
        with pytest.raises(tk.NotAuthorized):
            make_plan(agency)
        plan = call_as(agency.admin, "nd47_plan_create", owner_org=agency.org["id"], period=2026)
        with pytest.raises(tk.NotAuthorized):
            call_as(agency.editor, "nd47_plan_update", id=plan["id"], title="Sửa")
        with pytest.raises(tk.NotAuthorized):
            call_as(agency.editor, "nd47_plan_item_create", plan_id=plan["id"], code="A", title="A")
        item = call_as(
            agency.admin, "nd47_plan_item_create", plan_id=plan["id"], code="A", title="A"
        )
        assert item["code"] == "A"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestWithoutTheOverride:
    def test_editors_manage_plans(self, agency):
        plan = make_plan(agency)
        assert (
            call_as(agency.editor, "nd47_plan_update", id=plan["id"], title="Sửa")["title"] == "Sửa"
        )


class _Statements:
    """The SQL statements run while it is active (a real engine listener)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __enter__(self) -> _Statements:
        sa.event.listen(model.meta.engine, "before_cursor_execute", self._hear)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(model.meta.engine, "before_cursor_execute", self._hear)

    def _hear(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(statement)

    def loads(self, table: str) -> int:
        """SELECTs of one row of ``table`` by its id."""
        pattern = re.compile(rf"^\s*SELECT .*?\sFROM {table}\s+WHERE {table}\.id = ", re.S)
        return sum(bool(pattern.match(statement)) for statement in self.seen)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOneLoadPerAction:
    @pytest.mark.parametrize(
        "action, data",
        [
            ("nd47_plan_show", lambda plan, item: {"id": plan}),
            ("nd47_plan_update", lambda plan, item: {"id": plan, "title": "Mới"}),
            (
                "nd47_plan_item_create",
                lambda plan, item: {"plan_id": plan, "code": "B", "title": "B"},
            ),
            ("nd47_plan_item_update", lambda plan, item: {"id": item, "title": "Mới"}),
            ("nd47_plan_item_show", lambda plan, item: {"id": item}),
        ],
    )
    def test_plan_and_item_loaded_once(self, agency, action, data):
        plan = make_plan(agency)
        item = make_item(agency, plan)
        model.Session.remove()  # nothing in the session's identity map
        with _Statements() as sql:
            call_as(agency.editor, action, **data(plan["id"], item["id"]))
        assert sql.loads("nd47_plan") == 1
        # an action on an item loads that item once too; a plan action none by id
        assert sql.loads("nd47_plan_item") == (
            1 if action.endswith(("item_update", "item_show")) else 0
        )
