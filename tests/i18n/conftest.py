"""The Vietnamese portal the i18n browser tests visit: a live CKAN server
(tests/browser/live.py) on a clean database, with a sysadmin, an agency and a
dataset with a resource made through the portal's own schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.browser.live import live_ckan
from tests.migrations import ini_plugins, migrate_enabled

PASSWORD = "Mat-khau-2026"


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, reset_db, migrate_db_for
) -> Iterator[str]:
    """Base URL of a CKAN server whose default locale is vi, on a clean database."""
    from ckan.lib import search

    # A clean database (with the tables of test.ini's plugins, which the
    # server runs) and index before the server opens its connections. The
    # migrations are found through each plugin, loaded only for that step.
    reset_db()
    migrate_enabled(migrate_db_for, ini_plugins())
    search.clear_all()
    with live_ckan(tmp_path_factory.mktemp("live-vi")) as url:
        yield url


@pytest.fixture(scope="module")
def portal(live_server: str) -> dict[str, str]:
    """A sysadmin, an agency and a dataset with a resource, in Vietnamese.

    The agency and the dataset go through the live server's API, so they are
    validated by the portal's own schemas whatever plugins this process has.
    """
    from ckan.tests.helpers import call_action

    from tests import factories

    user = factories.Sysadmin(name="quan-tri", fullname="Quản trị viên", password=PASSWORD)
    token = call_action("api_token_create", user=user["name"], name="i18n")["token"]

    def api(action: str, **data: object) -> dict:
        response = requests.post(
            f"{live_server}/api/3/action/{action}",
            json=data,
            headers={"Authorization": token},
            timeout=30,
        )
        assert response.ok, response.text
        return response.json()["result"]

    agency = api(
        "organization_create",
        name="so-tai-nguyen-moi-truong",
        title="Sở Tài nguyên và Môi trường tỉnh Nghệ An",
        description="Cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh.",
        agency_identifier="000.12.00.H41",
        agency_level="so-nganh",
        province_code="40",
    )
    dataset = api(
        "package_create",
        name="chat-luong-khong-khi-2026",
        title="Chất lượng không khí tỉnh Nghệ An năm 2026",
        notes="Kết quả quan trắc chất lượng không khí tại các trạm tự động.",
        owner_org=agency["id"],
        tags=[{"name": "môi trường"}, {"name": "không khí"}],
        sharing_class="mo",
        importance="khac",
        theme=["moi-truong"],
        database_kind="dia-phuong",
        personal_data_reviewed=True,
        license_id="vn-open-data",
        admin_units=["40"],
        frequency="DAILY",
        resources=[
            {
                "name": "Số liệu quan trắc tháng 11",
                "description": "Giá trị PM2.5 trung bình ngày theo trạm.",
                "url": "https://example.invalid/quan-trac-11.csv",
                "format": "CSV",
                "size": 123456,
            }
        ],
    )
    return {
        "base": live_server,
        "user": user["name"],
        "password": PASSWORD,
        "agency": agency["name"],
        "dataset": dataset["name"],
        "resource": dataset["resources"][0]["id"],
    }
