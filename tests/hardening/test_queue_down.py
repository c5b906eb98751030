"""Redis down: an action that queues a job is refused with a clear 503, and nothing changes."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from tests import factories as nd47_factories
from tests.hardening.test_auth_policy import PLUGINS
from tests.hardening.test_hostile_api import _counts

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", "job queue is unavailable"), ("/vi", "Hàng đợi công việc")],
)
def test_queueing_a_link_check_while_redis_is_down_answers_503(
    app, ckan_config, monkeypatch, prefix, words
):
    import ckan.lib.jobs
    import ckan.lib.redis

    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    dataset = nd47_factories.Dataset(private=False)
    before = _counts()
    # a port nothing listens on; CKAN keeps its Redis pool and queues per process
    monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(ckan.lib.redis, "_connection_pool", None)
    monkeypatch.setattr(ckan.lib.jobs, "_queues", {})

    response = app.post(
        f"{prefix}/api/3/action/nd47_link_check_enqueue",
        json={"id": dataset["id"]},
        headers={"Authorization": token},
    )
    assert response.status_code == 503, response.get_data(as_text=True)[-2000:]
    assert response.json["success"] is False
    assert words in response.json["error"]["message"]
    assert response.headers["Retry-After"] == "60"
    assert _counts() == before
