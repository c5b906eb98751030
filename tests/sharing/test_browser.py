"""Browser flow on a live CKAN (Vietnamese pages): agency A finds agency B's
shared dataset by a query without diacritics and asks for it; B's admin tries
to refuse without a reason (error), then grants for 6 months; A downloads the
uploaded file; after the end date A is refused.

Headless Debian Chromium through Playwright; the server is ``ckan run``
against the test database (tests/browser/live.py). The live server's clock
cannot be frozen, so "after the end date" moves the grant's end date into
the past instead: access is computed from it on every read.

With ND47_SCREENSHOTS=1 the pages are saved as docs/screenshots/sharing-*.png.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.nd47.sharing.model import ShareRequest
from tests.browser.live import live_ckan, login
from tests.sharing.conftest import FILE_BODY, PLUGINS, Agency, add_upload, shared_dataset

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
# the live server's file storage (test.ini's ckan.storage_path, or CKAN's
# CKAN_STORAGE_PATH environment variable, which the server inherits)
SERVER_STORAGE = Path(os.environ.get("CKAN_STORAGE_PATH") or ROOT / ".run" / "storage-test")


def _give_the_server_its_files() -> None:
    """CKAN 2.11's create_with_upload stores files under a folder of the test's
    own (2.12's under test.ini's storage path): copy them where the live
    server reads them."""
    import shutil

    import ckan.plugins.toolkit as tk

    here = Path(tk.config["ckan.storage_path"]) / "resources"
    if here.is_dir() and here.resolve() != (SERVER_STORAGE / "resources").resolve():
        shutil.copytree(here, SERVER_STORAGE / "resources", dirs_exist_ok=True)


PASSWORD = "Mat-khau-2026!"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def server(tmp_path: Path) -> Any:
    """A live CKAN with nd47_sharing, started after clean_db prepared the database."""
    with live_ckan(tmp_path, **{"ckan.plugins": PLUGINS}) as url:
        yield url


def _password(user: dict[str, Any]) -> None:
    helpers.call_action("user_update", id=user["id"], email=user["email"], password=PASSWORD)


def _shot(page: Any, name: str) -> None:
    if os.environ.get("ND47_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / f"sharing-{name}.png"), full_page=True)


def test_request_refuse_error_grant_download_expiry(
    server: str, browser: Any, create_with_upload: Any
) -> None:
    owner = Agency(title="Sở Tư pháp tỉnh Nghệ An")
    requester = Agency(title="Công an tỉnh Hà Tĩnh")
    _password(owner.admin)
    _password(requester.editor)
    pkg = shared_dataset(owner, title="Dữ liệu hộ tịch tỉnh Nghệ An", name="ho-tich-nghe-an")
    resource = add_upload(create_with_upload, pkg, name="ho-tich.csv")
    _give_the_server_its_files()
    download_url = f"{server}/dataset/{pkg['id']}/resource/{resource['id']}/download/ho-tich.csv"

    asker = browser.new_context().new_page()
    asker.set_default_timeout(30000)
    login(asker, server, requester.editor["name"], PASSWORD)
    # found without diacritics
    asker.goto(f"{server}/dataset/?q=ho tich nghe an")
    _shot(asker, "search")
    asker.click("a[href='/dataset/ho-tich-nghe-an']")
    assert asker.request.get(download_url).status == 403
    _shot(asker, "dataset")
    asker.click("#nd47-request-access")
    asker.fill("#field-purpose", "Xác minh nhân thân trong điều tra")
    asker.fill("#field-legal_basis", "47/2020/NĐ-CP")
    asker.fill("#field-contact", "Phòng PV06, 0239 3855 000")
    _shot(asker, "request-form")
    asker.click("#nd47-share-request-form button[type=submit]")
    asker.wait_for_selector(".nd47-share-status[data-status=pending]")
    request_id = asker.url.rstrip("/").rsplit("/", 1)[-1]

    decider = browser.new_context().new_page()
    decider.set_default_timeout(30000)
    login(decider, server, owner.admin["name"], PASSWORD)
    decider.goto(f"{server}/sharing/requests?side=received")
    _shot(decider, "queue")
    decider.click(f"a[href='/sharing/requests/{request_id}']")
    # a refusal without a reason or legal basis is refused, naming the fields
    decider.click("#nd47-share-refuse button[type=submit]")
    decider.wait_for_selector(".nd47-errors")
    errors = decider.inner_text(".nd47-errors")
    # each field once, by the label of its input
    assert errors.count("Lý do:") == 1
    assert errors.count("Căn cứ pháp lý (số hiệu văn bản):") == 1
    _shot(decider, "refuse-error")
    end = datetime.date.today() + datetime.timedelta(days=183)
    decider.fill("#field-grant_end", end.isoformat())
    decider.click("#nd47-share-grant button[type=submit]")
    decider.wait_for_selector(".nd47-share-status[data-status=granted]")
    _shot(decider, "request")

    # the grantee downloads the uploaded file
    asker.goto(f"{server}/dataset/ho-tich-nghe-an")
    asker.wait_for_selector(".nd47-share-grant")
    response = asker.request.get(download_url)
    assert response.status == 200
    assert response.text() == FILE_BODY

    # after the end date: refused at once
    request = model.Session.get(ShareRequest, request_id)
    request.grant_start = datetime.date.today() - datetime.timedelta(days=200)
    request.grant_end = datetime.date.today() - datetime.timedelta(days=1)
    model.repo.commit()
    assert asker.request.get(download_url).status == 403
    asker.goto(f"{server}/sharing/requests?side=made")
    assert "Đã hết hạn" in asker.inner_text(".nd47-share-requests")

    asker.goto(f"{server}/sharing/register")
    _shot(asker, "register")
    assert asker.request.get(f"{server}/sharing/register.xlsx").status == 200
