"""A CKAN site on the benchmark's database and Solr core, emptied before and after.

Shared by the benchmarks that build their datasets through the actions
(``bench_search``, ``bench_similar``): the app from ``test.ini`` (the
``CKAN_*`` variables ``make bench`` sets choose the database and core), the
demo database refused, every enabled plugin's tables created, and a request
context to call actions in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def fresh_site(overrides: dict[str, str] | None = None) -> Iterator[None]:
    """Inside: an empty site (CKAN's tables, the plugins' tables, the site user)."""
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib.search import clear_all
    from ckan.tests import helpers

    conf = load_config(str(ROOT / "test.ini"))
    conf.update(overrides or {})
    app = make_app(conf)
    database = tk.config["sqlalchemy.url"].rsplit("/", 1)[-1]
    print(f"database: {database}\nsolr:     {tk.config['solr_url']}")
    if database == "ckan_nd47_dev":
        sys.exit("refusing to wipe the demo database ckan_nd47_dev")
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        helpers.reset_db()
        helpers.call_action("get_site_user", context={"ignore_auth": True})
        # the tables of every enabled plugin (dataset hooks read them)
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", str(ROOT / "test.ini")]
            + ["db", "pending-migrations", "--apply"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        clear_all()
        try:
            yield
        finally:
            helpers.reset_db()
            clear_all()
