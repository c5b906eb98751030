"""Nothing an outsider may not see appears in any output.

Objects carrying recognisable markers: a private ("dùng riêng") dataset, a
draft and a deleted dataset, a draft plan, a shared ("dùng chung") dataset,
the e-mail address of a feedback sender and of the agency's data officer,
and a private dataset linked to an item of a public (approved) plan. Every
GET page of our blueprints (from the Flask url_map), CKAN's pages that show
our data, the DCAT catalogue and dump, the exports (CSV/XLSX/JSON/TTL) and
every side-effect-free action we register are read as an anonymous visitor,
a signed-in citizen and the admin of another agency; no marker may appear
(the shared dataset is for agency users, so it is checked for the first two).
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.nd47.dcat import dump
from tests import factories as nd47_factories
from tests.hardening.policy import POLICY
from tests.hardening.test_auth_policy import PLUGINS, registered_actions
from tests.hardening.world import World, call_as

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

MARKERS = {
    "private": "zqxprivmark",
    "draft": "zqxdraftmark",
    "deleted": "zqxdelmark",
    "plan": "zqxplanmark",
    "shared": "zqxsharedmark",
    "feedback_email": "zqxsender@example.org",
    "officer_email": "zqxofficer@example.org",
    "linked": "zqxlinkedmark",
}
# agency users may see shared data: not a leak for another agency's admin
AGENCY_MAY_SEE = {"shared"}
OUTSIDERS = ("anonymous", "citizen", "other_admin")

# routes left out, and why
SKIPPED = {
    "nd47_dcat.scheme": "vocabulary concepts carry no dataset or user data",
    "nd47_dcat.concept": "vocabulary concepts carry no dataset or user data",
    "nd47_dcat.vocabulary": "vocabulary files carry no dataset or user data",
    "dcat.read_dataset_series": "no dataset series in the fixture",
}
FORMATS = ("csv", "xlsx", "json", "ttl", "rdf", "jsonld", "bib", "xml")


class Secrets(World):
    def __init__(self) -> None:
        super().__init__(marker=MARKERS["private"])
        call_as(
            self.sysadmin,
            "organization_patch",
            id=self.org["id"],
            data_officer_name="Cán bộ",
            data_officer_email=MARKERS["officer_email"],
        )
        self.shared = call_as(
            self.sysadmin,
            "package_patch",
            id=self.shared["id"],
            title=f"shared {MARKERS['shared']}",
        )
        self.draft = nd47_factories.Dataset(
            owner_org=self.org["id"], state="draft", title=f"draft {MARKERS['draft']}"
        )
        deleted = nd47_factories.Dataset(
            owner_org=self.org["id"], private=False, title=f"deleted {MARKERS['deleted']}"
        )
        call_as(self.sysadmin, "package_delete", id=deleted["id"])
        self.draft_plan = call_as(
            self.editor,
            "nd47_plan_create",
            owner_org=self.org["id"],
            period=2031,
            title=f"plan {MARKERS['plan']}",
        )
        # a public plan whose item is linked to a private dataset
        self.linked = self._dataset("dung-rieng", f"linked {MARKERS['linked']}")
        self.public_plan = call_as(
            self.editor, "nd47_plan_create", owner_org=self.org["id"], period=2032
        )
        self.public_item = call_as(
            self.editor,
            "nd47_plan_item_create",
            plan_id=self.public_plan["id"],
            code="L1",
            title="L",
        )
        call_as(
            self.editor,
            "nd47_plan_item_link",
            id=self.public_item["id"],
            package_id=self.linked["id"],
        )
        call_as(self.admin, "nd47_plan_approve", id=self.public_plan["id"])
        self.feedback = call_as(
            None,
            "nd47_feedback_create",
            package_id=self.public["id"],
            kind="error",
            body="Sai",
            email=MARKERS["feedback_email"],
        )
        self.data_request = call_as(
            None,
            "nd47_data_request_create",
            title="Yêu cầu",
            body="Cần",
            owner_org=self.org["id"],
            email=MARKERS["feedback_email"],
        )
        for fmt in dump.FORMATS:
            dump.build(fmt)


def _text(body: bytes) -> str:
    """The readable text of a response: unzipped XLSX, gunzipped dump, else UTF-8."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def _leaks(text: str, role: str) -> list[str]:
    folded = text.lower()
    return [
        key
        for key, marker in MARKERS.items()
        if marker in folded and not (role == "other_admin" and key in AGENCY_MAY_SEE)
    ]


def _values(s: Secrets) -> dict[str, list[str]]:
    """URL argument -> the values to try: the public object and the secret one."""
    return {
        "org_id": [s.org["name"]],
        "agency": [s.org["name"]],
        "plan_id": [s.public_plan["id"], s.draft_plan["id"]],
        "item_id": [s.public_item["id"]],
        "id": [s.public["name"], s.private["name"], s.shared["name"], s.draft["name"]],
        "_id": [s.public["name"], s.private["name"], s.draft["name"]],
        "code": ["dan-cu"],
        "kind": ["template", "export"],
        "fmt": list(FORMATS),
        "_format": ["ttl", "jsonld"],
        "package_type": ["dataset"],
    }


ROUTE_IDS = {
    # routes whose <id> is not a dataset
    "nd47_feedback.request_read": lambda s: [s.data_request["id"]],
    "nd47_feedback.queue": lambda s: [s.org["name"]],
    "nd47_sharing.request_read": lambda s: [s.share_request["id"]],
}


def _urls(app: Any, s: Secrets) -> list[str]:
    values = _values(s)
    urls = []
    for rule in app.flask_app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if not (blueprint.startswith("nd47") or blueprint == "dcat") or "GET" not in rule.methods:
            continue
        if rule.endpoint in SKIPPED:
            continue
        combos: list[dict[str, str]] = [{}]
        for arg in sorted(rule.arguments):
            options = (
                ROUTE_IDS[rule.endpoint](s)
                if arg == "id" and rule.endpoint in ROUTE_IDS
                else values[arg]
            )
            combos = [{**c, arg: v} for c in combos for v in options]
        for combo in combos:
            path = rule.rule
            for arg, value in combo.items():
                path = re.sub(rf"<(?:[a-z]+:)?{arg}>", value, path)
            urls.append(path)
    return urls + [
        "/",
        "/dataset/",
        f"/dataset/{s.public['name']}",
        f"/dataset/{s.private['name']}",
        f"/dataset/{s.draft['name']}",
        "/organization/",
        f"/organization/{s.org['name']}",
        f"/organization/about/{s.org['name']}",
        "/api/3/action/package_search?q=zqx&include_private=true&include_drafts=true",
        f"/api/3/action/organization_show?id={s.org['name']}&include_datasets=true",
        "/api/3/action/organization_list?all_fields=true",
    ]


def test_no_output_shows_an_outsider_what_is_not_theirs(app):
    s = Secrets()
    urls = _urls(app, s)
    assert len(urls) > 60
    found = crawl(app, s, urls)
    assert not found, "\n".join(found)


def crawl(app: Any, s: Secrets, urls: list[str]) -> list[str]:
    """Read every URL as each outsider: what each sees that is not theirs."""
    found = []
    for role in OUTSIDERS:
        user = s.user(role)
        headers = {}
        if user is not None:
            headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
        for url in urls:
            response = app.get(url, headers=headers)
            assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
            for key in _leaks(_text(response.data), role):
                found.append(f"{role} sees {key} at {url} ({response.status_code})")
    return found


def test_no_read_action_shows_an_outsider_what_is_not_theirs():
    s = Secrets()
    reads = sorted(
        name
        for name in registered_actions()
        if getattr(tk.get_action(name), "side_effect_free", False)
    )
    assert len(reads) > 20
    found = []
    for role in OUTSIDERS:
        for name in reads:
            for data in _action_data(name, s):
                try:
                    result = call_as(s.user(role), name, **data)
                except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
                    continue
                for key in _leaks(tk.h.dump_json(result, ensure_ascii=False), role):
                    found.append(f"{role} sees {key} in {name}({data})")
    assert not found, "\n".join(found)


def _action_data(name: str, s: Secrets) -> list[dict[str, Any]]:
    """The policy's data_dict, and the same asked about each secret object."""
    base = POLICY[name].data(s)
    asks = [base]
    if "id" in base:
        for secret in (s.private, s.shared, s.draft, s.linked, s.draft_plan, s.public_plan):
            asks.append({**base, "id": secret["id"]})
    if "plan_id" in base:
        asks.append({**base, "plan_id": s.draft_plan["id"]})
        asks.append({**base, "plan_id": s.public_plan["id"]})
    if name.endswith("_list") or name.endswith("_search"):
        asks.append({**base, "q": "zqx"})
    return asks


def test_the_fixture_shows_the_markers_to_the_agency():
    """The markers are where the tests look: the agency's admin sees each."""
    s = Secrets()
    shown = tk.h.dump_json(
        [
            call_as(s.admin, "package_show", id=s.private["id"]),
            call_as(s.admin, "nd47_plan_show", id=s.draft_plan["id"]),
            call_as(s.admin, "organization_show", id=s.org["id"]),
            call_as(s.admin, "package_show", id=s.draft["id"]),
        ],
        ensure_ascii=False,
    )
    for key in ("private", "plan", "officer_email", "draft"):
        assert MARKERS[key] in shown, key
