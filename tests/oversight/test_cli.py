"""The commands ``ckan nd47-oversight quality|links|facts ...`` and the dataset-page snippet."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.nd47.oversight import service
from ckanext.nd47.oversight.model import DatasetFact
from tests import factories as nd47_factories
from tests.oversight.conftest import LINKCHECK_CONFIG, complete_dataset, dataset

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")] + [
    pytest.mark.ckan_config(key, value) for key, value in LINKCHECK_CONFIG.items()
]


def test_quality_score(cli):
    pkg = dataset(notes="Mô tả.")
    result = cli.invoke(ckan, ["nd47-oversight", "quality", "score"])
    assert result.exit_code == 0, result.output
    row = service.latest_score(pkg["id"])
    assert f"{pkg['id']}\t{row.score}\t{row.band}" in result.output


def test_links_check_now(cli, http_server):
    pkg = complete_dataset(nd47_factories.Agency()["id"], url=http_server.url)
    result = cli.invoke(ckan, ["nd47-oversight", "links", "check", "--now", pkg["id"]])
    assert result.exit_code == 0, result.output
    assert f"{pkg['id']}\t0 broken" in result.output
    assert service.latest_score(pkg["id"]).score == 405


def test_links_check_queues_by_default(cli):
    helpers.call_action("job_clear")
    pkg = dataset()
    result = cli.invoke(ckan, ["nd47-oversight", "links", "check", pkg["id"]])
    assert result.exit_code == 0, result.output
    assert any(pkg["id"] in job["title"] for job in helpers.call_action("job_list"))
    helpers.call_action("job_clear")


def test_facts_rebuild(cli):
    from ckan import model

    pkg = dataset()
    model.Session.query(DatasetFact).delete()
    model.Session.commit()
    result = cli.invoke(ckan, ["nd47-oversight", "facts", "rebuild"])
    assert result.exit_code == 0, result.output
    assert model.Session.get(DatasetFact, pkg["id"]) is not None


def test_quality_snippet(app, http_server):
    import ckan.plugins.toolkit as tk

    pkg = complete_dataset(nd47_factories.Agency()["id"], url=http_server.url)
    with app.flask_app.test_request_context():
        assert tk.render_snippet("nd47/oversight/snippets/quality.html", {"pkg": pkg}).strip() == ""
    service.score(pkg["id"])  # links not checked yet: accessibility points missing
    with app.flask_app.test_request_context():
        html = tk.render_snippet("nd47/oversight/snippets/quality.html", {"pkg": pkg})
    assert "325" in html and "/ 405" in html
    assert "Repair the resource links that do not answer" in html
