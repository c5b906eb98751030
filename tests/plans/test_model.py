"""The plan tables belong to ``nd47_plans``: its migrations go down and up
again, a site with ``nd47`` alone has none of them, and a 0.1.0 site (tables
made by the ``nd47`` plugin's migration) upgrades keeping its rows."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import ckan.plugins as p
import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from ckan import model
from ckan.tests import helpers

import ckanext.nd47
from tests.ini import write_ini
from tests.migrations import migrate_plans

TABLES = ("nd47_plan", "nd47_plan_item", "nd47_plan_audit")
MIGRATION = (
    Path(ckanext.nd47.__file__).parent / "migration/nd47_plans/versions/80741027a933_plans.py"
)
ROOT = Path(__file__).resolve().parents[2]


def _tables() -> set[str]:
    return set(sa.inspect(model.meta.engine).get_table_names())


def _version(table: str) -> list[str]:
    with model.meta.engine.begin() as conn:
        return [r[0] for r in conn.execute(sa.text(f"select version_num from {table}"))]


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
    migrate_db_for("nd47_plans", "base", forward=False)
    assert not set(TABLES) & _tables()
    migrate_db_for("nd47_plans")
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
    migrate_db_for("nd47_plans", "base", forward=False)
    model.Session.remove()
    try:
        # load the plugin again on the database without the tables
        p.unload("nd47_plans")
        p.load("nd47_plans")
        assert not set(TABLES) & _tables()
    finally:
        migrate_db_for("nd47_plans")


ND47_ALONE = "nd47 scheming_datasets scheming_organizations"


def _ckan(tmp_path: Path, *args: str) -> str:
    """``ckan -c <test.ini with nd47 alone> ARGS``, as an operator runs it."""
    ini = write_ini(tmp_path / "nd47-alone.ini", {"ckan.plugins": ND47_ALONE})
    ckan_bin = Path(sys.executable).with_name("ckan")
    done = subprocess.run(
        [str(ckan_bin), "-c", str(ini), *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.ckan_config("ckan.plugins", ND47_ALONE)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_nd47_alone_has_no_plan_tables_and_no_plan_options(migrate_db_for, tmp_path):
    migrate_plans(migrate_db_for, "base", forward=False)
    model.Session.remove()
    try:
        # core and every enabled plugin's migrations
        _ckan(tmp_path, "db", "upgrade")
        assert not set(TABLES) & _tables()
        declared = _ckan(tmp_path, "config", "declaration", "nd47")
        assert "ckanext.nd47.uri_base" in declared
        assert "ckanext.nd47.plans" not in declared
        assert "nd47-plans" not in _ckan(tmp_path, "--help")
    finally:
        migrate_plans(migrate_db_for)


def _legacy_layout() -> None:
    """The 0.1.0 database: plan tables made by the ``nd47`` plugin's migration."""
    spec = importlib.util.spec_from_file_location("legacy_plans_migration", MIGRATION)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with model.meta.engine.begin() as conn:
        with Operations.context(MigrationContext.configure(conn)):
            migration.create_tables()
        conn.execute(
            sa.text("create table nd47_alembic_version (version_num varchar(32) primary key)")
        )
        conn.execute(sa.text("insert into nd47_alembic_version values ('80741027a933')"))


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_upgrade_from_0_1_0_keeps_plans_items_and_audit(migrate_db_for, agency):
    migrate_db_for("nd47_plans", "base", forward=False)
    model.Session.remove()
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("drop table nd47_plans_alembic_version"))
    _legacy_layout()
    org = agency.org["id"]
    with model.meta.engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into nd47_plan (id, owner_org, period, title, status, version)"
                " values ('p1', :org, 2025, 'Kế hoạch cũ', 'approved', 2)"
            ),
            {"org": org},
        )
        conn.execute(
            sa.text(
                "insert into nd47_plan_item (id, plan_id, code, title, status)"
                " values ('i1', 'p1', 'DM01', 'Dữ liệu cũ', 'preparing')"
            )
        )
        conn.execute(
            sa.text(
                "insert into nd47_plan_audit (id, timestamp, plan_id, item_id, object_type,"
                " action, changes) values ('a1', now(), 'p1', 'i1', 'item', 'create', '{}')"
            )
        )

    # the documented upgrade step
    migrate_db_for("nd47_plans")

    # adopted by the first revision, then moved on to the head (item data dates)
    assert _version("nd47_plans_alembic_version") == ["b6e2d4f1a9c3"]
    assert "nd47_alembic_version" not in _tables()
    plan = helpers.call_action("nd47_plan_show", id="p1", include_items=True)
    assert (plan["title"], plan["status"], plan["version"]) == ("Kế hoạch cũ", "approved", 2)
    assert [(i["code"], i["status"]) for i in plan["items"]] == [("DM01", "preparing")]
    assert plan["items"][0]["data_modified"] is None
    trail = helpers.call_action("nd47_plan_audit_list", plan_id="p1")["results"]
    assert [(e["id"], e["action"]) for e in trail] == [("a1", "create")]
