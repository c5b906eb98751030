"""``ckan nd47-oversight report send``: each agency's digest, captured by a local SMTP server."""

from __future__ import annotations

import datetime

import pytest
from ckan.cli.cli import ckan

from ckanext.nd47.oversight import service
from tests import factories as nd47_factories
from tests.oversight.conftest import dataset, insert_plan

TODAY = datetime.date.today()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
@pytest.mark.ckan_config("ckanext.nd47.oversight.dashboard.cache_seconds", "0")
class TestReportSend:
    def test_each_officer_gets_the_agency_digest(self, cli, smtp):
        officer = nd47_factories.Agency(
            title="Sở Y tế",
            data_officer_name="Nguyễn Văn A",
            data_officer_email="can-bo@soyte.example.vn",
        )
        quiet = nd47_factories.Agency(data_officer_email="khac@example.vn")
        stale = dataset(
            owner_org=officer["id"],
            title="Giường bệnh theo tháng",
            frequency="MONTHLY",
            modified=(TODAY - datetime.timedelta(days=90)).isoformat(),
        )
        service.score(stale["id"])
        insert_plan(
            officer["id"],
            [
                {
                    "code": "LATE",
                    "title": "Dữ liệu trễ hạn",
                    "status": "planned",
                    "due_date": TODAY - datetime.timedelta(days=5),
                }
            ],
        )
        # another agency's private data never reaches this digest
        dataset(owner_org=quiet["id"], title="Bí mật", sharing_class="dung-chung", private=True)

        dry = cli.invoke(ckan, ["nd47-oversight", "report", "send", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert smtp.messages == []
        result = cli.invoke(ckan, ["nd47-oversight", "report", "send"])
        assert result.exit_code == 0, result.output
        assert f"{officer['name']}\tcan-bo@soyte.example.vn\tsent" in result.output

        assert len(smtp.messages) == 1  # the quiet agency has nothing to report
        recipients, message = smtp.messages[0]
        assert recipients == ["can-bo@soyte.example.vn"]
        body = message.get_payload(decode=True).decode("utf-8")
        assert "LATE Dữ liệu trễ hạn" in body
        assert "Giường bệnh theo tháng" in body
        assert f"/dataset/{stale['name']}" in body
        assert "/405" in body  # the lowest-quality list
        assert "Bí mật" not in body
