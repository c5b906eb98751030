"""Every error message of the dataset and plan forms, in Vietnamese: the
field's label once and never an internal name (a field name, a code).

The forms are posted with one wrong value in as many fields as the form
checks, on the pages a publisher sees (the HTML the browser gets); every line
of the summary and every inline message is checked.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from ckan.tests import helpers

from ckanext.nd47 import vocab
from ckanext.nd47.plans import fields
from tests import factories
from tests.plans.conftest import Agency, call_as

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SCHEMA = Path(vocab.__file__).parent / "schemas" / "dataset.yaml"
# snake_case words and hyphenated codes are internal names, never words of a message
INTERNAL = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+(?:-[a-z]+)+\b")


def _field_names() -> set[str]:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))

    def names(declared: list[dict[str, Any]]) -> set[str]:
        found = set()
        for field in declared:
            found.add(field["field_name"])
            found |= names(field.get("repeating_subfields", []))
        return found

    plan = {f.name for f in (*fields.PLAN_FIELDS, *fields.ITEM_FIELDS)}
    return names(schema["dataset_fields"]) | names(schema["resource_fields"]) | plan


def _texts(html: str, pattern: str) -> list[str]:
    found = re.findall(pattern, html, re.S)
    return [t for t in (" ".join(unescape(re.sub(r"<[^>]+>", " ", f)).split()) for f in found) if t]


def _summary(html: str) -> list[str]:
    block = re.search(r'class="[^"]*error-explanation[^"]*"(.*?)</div>', html, re.S)
    assert block, "no error summary"
    return _texts(block.group(1), r"<li[^>]*>(.*?)</li>") or _texts(
        block.group(1), r"<p[^>]*>(.*?)</p>"
    )


def _inline(html: str) -> list[str]:
    return _texts(html, r'<span class="error-block">(.*?)</span>')


def _problems(lines: list[str], labels: list[str], sent: dict[str, Any]) -> list[str]:
    """Lines naming a label twice in a row, starting with an orphan, or an internal name.

    The values the user typed may be quoted back; they are not checked.
    """
    internal = _field_names()
    typed = sorted((str(v) for v in sent.values() if str(v)), key=len, reverse=True)
    problems = []
    for line in lines:
        for value in typed:
            line = line.replace(value, "").replace(value.upper(), "")
        words = set(INTERNAL.findall(line)) | {w for w in re.findall(r"\w+", line) if w in internal}
        words -= {"ten-bo-du-lieu"}  # the slug example of a URL-name message
        if words:
            problems.append(f"internal name {sorted(words)}: {line}")
        for label in labels:
            if line.startswith(f"{label}: {label}") or line.count(f"{label}:") > 1:
                problems.append(f"label twice: {line}")
        if re.fullmatch(r"[^:]+:", line):
            problems.append(f"orphan line: {line}")
    return problems


def _labels() -> list[str]:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    found = []

    def walk(declared: list[dict[str, Any]]) -> None:
        for field in declared:
            label = field.get("label")
            if isinstance(label, dict):
                found.append(label["vi"])
            walk(field.get("repeating_subfields", []))

    walk(schema["dataset_fields"])
    walk(schema["resource_fields"])
    return found


def _auth(user: dict[str, Any]) -> dict[str, str]:
    token = helpers.call_action("api_token_create", user=user["name"], name="errors")["token"]
    return {"Authorization": token}


@pytest.fixture
def publisher() -> dict[str, Any]:
    user = factories.User()
    agency = factories.Agency(
        agency_level="tinh", users=[{"name": user["name"], "capacity": "editor"}]
    )
    return {"user": user, "agency": agency, "headers": _auth(user)}


def test_dataset_form_errors(app, publisher) -> None:
    data = {
        "title": "",
        "name": "Tên Có Dấu!",
        "notes": "",
        "owner_org": publisher["agency"]["id"],
        "sharing_class": "mo",
        "importance": "cot-loi",
        "theme": "khong-co",
        "admin_units": "99999",
        "issued": "31/31/2026",
        "modified": "ngày mai",
        "documentation": "khong-phai-url",
        "landing_page": "ftp//sai",
        "version": "x" * 200,
        "legal_basis__0__number": "QD so 45",
        "legal_basis__0__issued": "hôm qua",
        "contact__0__email": "khong-phai-thu",
        "contact__0__url": "sai url",
        "temporal_coverage__0__start": "2026-12-31",
        "temporal_coverage__0__end": "2026-01-01",
        "save": "continue",
        "_ckan_phase": "dataset_new_1",
    }
    html = app.post("/vi/dataset/new", data=data, headers=publisher["headers"]).body
    summary, inline = _summary(html), _inline(html)
    print("\n".join(["SUMMARY", *summary, "INLINE", *inline]))
    assert len(summary) >= 8, summary
    assert not _problems(summary + inline, _labels(), data)
    # under its own label, a choice's message does not start with the label again
    assert any(m.startswith("Dữ liệu cốt lõi") for m in inline), inline
    # under its own label, a message never names a field again ("Phạm vi hành chính: …")
    repeated = [m for m in inline for label in _labels() if m.startswith(f"{label}:")]
    assert not repeated, repeated
    assert not any(m.startswith("Phân loại chia sẻ:") for m in inline), inline


def test_plan_forms_errors(app) -> None:
    agency = Agency()
    headers = _auth(agency.editor)
    plan_data = {
        "owner_org": agency.org["name"],
        "period": "năm nay",
        "decision_number": "QD so 45 UBND",
        "decision_date": "32/13/2026",
        "decision_url": "khong-phai-url",
        "last_review": "hôm qua",
        "next_review_due": "x",
        "version": "-1",
    }
    html = app.post("/vi/plan/new", data=plan_data, headers=headers).body
    plan_lines = _summary(html)
    plan = call_as(agency.editor, "nd47_plan_create", owner_org=agency.org["id"], period=2026)
    item_data = {
        "code": "mã có dấu cách",
        "title": "",
        "theme": "khong-co",
        "access_mode": "fax",
        "update_cadence": "mỗi phút",
        "priority": "gấp",
        "due_date": "31/02/2026",
        "formats": "KHONGCO",
    }
    html = app.post(f"/vi/plan/{plan['id']}/item/new", data=item_data, headers=headers).body
    item_lines = _summary(html)
    item = call_as(agency.editor, "nd47_plan_item_create", plan_id=plan["id"], code="A1", title="A")
    html = app.post(
        f"/vi/plan/item/{item['id']}/status",
        data={"status": "published"},
        headers=headers,
        follow_redirects=True,
    ).body
    flashed = r'<div class="alert[^"]*alert-(?:danger|error)[^"]*"[^>]*>(.*?)</div>'
    status_lines = _texts(html, flashed)
    print("\n".join(["PLAN", *plan_lines, "ITEM", *item_lines, "STATUS", *status_lines]))
    labels = [f.label for f in (*fields.PLAN_FIELDS, *fields.ITEM_FIELDS)]
    assert len(plan_lines) >= 5 and len(item_lines) >= 5 and status_lines
    assert not _problems(plan_lines + item_lines + status_lines, labels, plan_data | item_data)
