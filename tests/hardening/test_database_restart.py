"""PostgreSQL dropped every connection (a restart, a failover): the next request works.

The shared server is not restarted; the test ends every connection to its
own test database (``pg_terminate_backend``), which is what a restart does
to the site's connection pool. CKAN's ``sqlalchemy.pool_pre_ping`` (on by
default) replaces the dead connections when they are next checked out.
"""

from __future__ import annotations

import pytest
import sqlalchemy
from ckan import model
from ckan.tests import helpers

from tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _drop_every_connection(ckan_config) -> int:
    """End all other sessions on the test database; how many were ended."""
    engine = sqlalchemy.create_engine(
        ckan_config["sqlalchemy.url"], poolclass=sqlalchemy.pool.NullPool
    )
    with engine.connect() as conn:
        ended = conn.execute(
            sqlalchemy.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    engine.dispose()
    return int(ended or 0)


def test_the_next_request_after_the_database_dropped_its_connections_works(app, ckan_config):
    dataset = factories.Dataset(title="Dữ liệu sau khi khởi động lại")
    assert app.get(f"/dataset/{dataset['name']}").status_code == 200
    # nothing checked out in this thread: the pool holds the connections
    model.Session.remove()
    assert _drop_every_connection(ckan_config) >= 1

    page = app.get(f"/dataset/{dataset['name']}")
    assert page.status_code == 200
    assert "Dữ liệu sau khi khởi động lại" in page.body
    shown = app.get("/api/3/action/package_show", query_string={"id": dataset["id"]})
    assert shown.status_code == 200
    assert shown.json["result"]["id"] == dataset["id"]
    assert helpers.call_action("package_show", id=dataset["id"])["name"] == dataset["name"]
