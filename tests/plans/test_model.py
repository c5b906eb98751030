"""The nd47 migrations go down and up again, and the data survives a round trip."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers

TABLES = ("nd47_plan", "nd47_plan_item", "nd47_plan_audit")


def _tables() -> set[str]:
    return set(sa.inspect(model.meta.engine).get_table_names())


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_downgrade_and_upgrade(migrate_db_for, agency):
    plan = helpers.call_action("nd47_plan_create", owner_org=agency.org["id"], period=2026)
    item = helpers.call_action("nd47_plan_item_create", plan_id=plan["id"], code="A", title="A")
    model.Session.remove()

    # keep the data across down -> up, as an operator would with a dump
    with model.meta.engine.begin() as conn:
        saved = {
            t: [dict(r._mapping) for r in conn.execute(sa.text(f"select * from {t}"))]
            for t in TABLES
        }
    migrate_db_for("nd47", "base", forward=False)
    assert not set(TABLES) & _tables()
    migrate_db_for("nd47")
    assert set(TABLES) <= _tables()
    meta = sa.MetaData()
    meta.reflect(model.meta.engine, only=TABLES)
    with model.meta.engine.begin() as conn:
        for name in TABLES:
            if saved[name]:
                conn.execute(meta.tables[name].insert(), saved[name])

    shown = helpers.call_action("nd47_plan_item_show", id=item["id"])
    assert shown["code"] == "A"
    assert helpers.call_action("nd47_plan_show", id=plan["id"])["period"] == 2026
    assert helpers.call_action("nd47_plan_audit_list", plan_id=plan["id"])["count"] == 2


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_tables_are_not_created_at_plugin_load(migrate_db_for):
    migrate_db_for("nd47", "base", forward=False)
    assert not set(TABLES) & _tables()
    migrate_db_for("nd47")
