"""Load the Vietnamese demo data into a CKAN site: python scripts/demo_data.py CONFIG.ini

Creates the demo agencies (organizations), two demo users of the agency
"UBND tỉnh Nghệ An" (an editor and an admin) and the demo datasets, with each
resource's small data file uploaded into CKAN's storage. Existing objects are
left as they are, so running it again changes nothing.

With ``nd47_plans`` enabled, every demo agency gets an approved 2026 plan
(scripts/demo/plans.json) with items in every status, some overdue, and one
published item "update overdue" (its data older than its cadence allows). With
``nd47_oversight`` enabled, the demo link-check results
(scripts/demo/link_checks.json: the broken ones; every other URL answered)
are recorded as a link-check worker records them, then every dataset is
scored from its DCAT output. With ``nd47_feedback`` enabled, citizens'
feedback and data requests with the agencies' answers.
"""

from __future__ import annotations

import io
import json
import logging
import mimetypes
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "demo"
# The complete example agency and dataset of the tests (every schema field
# filled) are part of the demo too, so the demo exercises every field.
EXAMPLES = Path(__file__).parent.parent / "tests" / "data"
DEMO_PASSWORD = "Nd47-demo-2026"
USERS = [
    # (name, full name, capacity in ubnd-tinh-nghe-an)
    ("bientap-nghean", "Biên tập viên Nghệ An", "editor"),
    ("quantri-nghean", "Quản trị viên Nghệ An", "admin"),
]


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _load(name: str) -> list[dict[str, Any]]:
    """The demo file ``name`` followed by the matching complete example."""
    if name == "agencies.json":
        return [*_json(HERE / name), _json(EXAMPLES / "example_agency.json")]
    example = _json(EXAMPLES / "example_dataset.json")
    # the example names no agency: it belongs to the example agency
    example["owner_org"] = _json(EXAMPLES / "example_agency.json")["name"]
    return [*_json(HERE / name), example]


def _add_resources(call: Any, package_id: str, resources: list[dict[str, Any]]) -> None:
    from werkzeug.datastructures import FileStorage

    for res in resources:
        fields = {k: v for k, v in res.items() if k not in ("content", "file")}
        fields["package_id"] = package_id
        if "content" in res:  # a small data file, uploaded into CKAN's storage
            fields["url"] = res["file"]
            fields["upload"] = FileStorage(
                stream=io.BytesIO(res["content"].encode("utf-8")),
                filename=res["file"],
                content_type=mimetypes.guess_type(res["file"])[0] or "application/octet-stream",
            )
        created = call("resource_create", fields)
        if "content" in res and res.get("last_modified"):
            # an upload is stamped "now"; the demo keeps the date its data last changed
            call("resource_patch", {"id": created["id"], "last_modified": res["last_modified"]})


def _create_datasets(call: Any, exists: Any, raws: list[dict[str, Any]]) -> int:
    created_count = 0
    for raw in raws:
        if exists("package_show", raw["name"]):
            continue
        dataset = {k: v for k, v in raw.items() if k not in ("resources", "tags")}
        dataset["tags"] = [{"name": t} for t in raw.get("tags", [])]
        dataset["private"] = raw.get("sharing_class") != "mo"
        created = call("package_create", dataset)
        try:
            _add_resources(call, created["id"], raw.get("resources", []))
        except Exception:
            call("dataset_purge", {"id": created["id"]})  # no half-loaded dataset
            raise
        created_count += 1
    return created_count


def _load_sharing(call: Any, exists: Any) -> int:
    """Sharing demo (plugin nd47_sharing): users of a second agency, its shared
    datasets, and one access request in each state, made by the demo users."""
    import datetime

    import ckan.plugins.toolkit as tk

    demo = _json(HERE / "sharing.json")
    for user in demo["users"]:
        if not exists("user_show", user["name"]):
            call(
                "user_create",
                {
                    "name": user["name"],
                    "fullname": user["fullname"],
                    "email": f"{user['name']}@demo.nd47.invalid",
                    "password": DEMO_PASSWORD,
                },
            )
        call(
            "organization_member_create",
            {"id": user["org"], "username": user["name"], "role": user["capacity"]},
        )
    created = _create_datasets(call, exists, demo["datasets"])
    if call("nd47_share_request_list", {})["count"]:
        return created  # loaded before

    def act(user: str, action: str, data: dict[str, Any]) -> dict[str, Any]:
        return tk.get_action(action)({"user": user}, data)

    today = datetime.date.today()
    for item in demo["requests"]:
        request = act(
            item["user"],
            "nd47_share_request_create",
            {
                "package_id": item["dataset"],
                "requester_org": item["org"],
                **{k: item[k] for k in ("purpose", "legal_basis", "contact")},
            },
        )
        if item["state"] in ("granted", "revoked", "expired"):
            end = item.get("grant_end") or str(today + datetime.timedelta(days=item["grant_days"]))
            grant = {"id": request["id"], "grant_end": end}
            if item.get("grant_start"):
                grant["grant_start"] = item["grant_start"]
            act(item["decider"], "nd47_share_request_grant", grant)
        if item["state"] == "revoked":
            act(
                item["decider"],
                "nd47_share_request_revoke",
                {"id": request["id"], "reason": item["revoke_reason"]},
            )
        if item["state"] == "refused":
            act(
                item["decider"],
                "nd47_share_request_refuse",
                {
                    "id": request["id"],
                    "reason": item["reason"],
                    "legal_basis": item["refusal_legal_basis"],
                },
            )
    return created


def _load_feedback(call: Any) -> int:
    """Feedback and data requests from visitors, with the agencies' answers.

    Only with the nd47_feedback plugin, and only into a site that has none yet.
    """
    import ckan.plugins.toolkit as tk

    try:
        stats = call("nd47_feedback_stats", {})
    except KeyError:  # plugin not enabled
        return 0
    if stats["feedback"]["total"] or stats["request"]["total"]:
        return 0
    data = _json(HERE / "feedback.json")
    # sent as anonymous visitors (name and e-mail), answered by the site
    visitor = {"user": "", "ignore_auth": True}
    created = 0
    for kind, action in (("feedback", "nd47_feedback"), ("requests", "nd47_data_request")):
        for raw in data[kind]:
            fields = {k: v for k, v in raw.items() if k != "answers"}
            thread = tk.get_action(f"{action}_create")(dict(visitor), fields)
            for answer in raw.get("answers", []):
                call(f"{action}_answer", {"id": thread["id"], **answer})
            created += 1
    return created


def main(ini: str) -> int:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    # The demo's requests and answers would e-mail their people; a demo machine
    # has no SMTP server, so each mail fails (and is logged by CKAN with its
    # traceback). Said once here instead.
    for name in ("ckan.lib.mailer", "ckanext.nd47"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    print("[demo] e-mails of the demo's requests and answers are not sent", file=sys.stderr)
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        return _load_all()


def _load_all() -> int:
    import ckan.plugins as plugins
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})

    def call(action: str, data: dict[str, Any]) -> dict[str, Any]:
        return tk.get_action(action)({"user": site_user["name"], "ignore_auth": True}, data)

    def exists(action: str, ident: str) -> bool:
        try:
            call(action, {"id": ident})
            return True
        except tk.ObjectNotFound:
            return False

    counts = {"agencies": 0, "users": 0, "datasets": 0}
    for org in _load("agencies.json"):
        if not exists("organization_show", org["name"]):
            call("organization_create", org)
            counts["agencies"] += 1

    for name, fullname, capacity in USERS:
        if not exists("user_show", name):
            call(
                "user_create",
                {
                    "name": name,
                    "fullname": fullname,
                    "email": f"{name}@demo.nd47.invalid",
                    "password": DEMO_PASSWORD,
                },
            )
            counts["users"] += 1
        call(
            "organization_member_create",
            {"id": "ubnd-tinh-nghe-an", "username": name, "role": capacity},
        )

    counts["datasets"] += _create_datasets(call, exists, _load("datasets.json"))
    if plugins.plugin_loaded("nd47_sharing"):
        counts["datasets"] += _load_sharing(call, exists)

    if plugins.plugin_loaded("nd47_plans"):
        counts["plans"] = _load_plans(call)
    if plugins.plugin_loaded("nd47_oversight"):
        counts["scores"] = _load_oversight(call)

    counts["feedback"] = _load_feedback(call)

    total = call("package_search", {"q": "*:*", "include_private": True, "rows": 0})["count"]
    print(
        f"[demo] created {counts['agencies']} agencies, {counts['users']} users, "
        f"{counts['datasets']} datasets, {counts.get('plans', 0)} plans, "
        f"{counts.get('scores', 0)} quality scores, {counts['feedback']} feedback messages and "
        f"data requests; the site now has {total} datasets",
        file=sys.stderr,
    )
    print(
        f"[demo] publisher logins: {', '.join(u[0] for u in USERS)} / {DEMO_PASSWORD}"
        + (
            " (sharing: bientap-hanoi, quantri-hanoi)"
            if plugins.plugin_loaded("nd47_sharing")
            else ""
        ),
        file=sys.stderr,
    )
    return 0


def _load_plans(call: Any) -> int:
    """An approved plan per demo agency, its items walked to their demo status."""
    created = 0
    for plan in _json(HERE / "plans.json"):
        found = call("nd47_plan_list", {"owner_org": plan["owner_org"], "period": plan["period"]})
        if found["count"]:
            continue
        fields = {k: v for k, v in plan.items() if k != "items"}
        plan_id = call("nd47_plan_create", fields)["id"]
        for raw in plan["items"]:
            item = {
                k: v
                for k, v in raw.items()
                if k not in ("status", "package", "reason", "reason_category")
            }
            item_id = call("nd47_plan_item_create", {"plan_id": plan_id, **item})["id"]
            _walk_item(call, item_id, raw)
        call("nd47_plan_approve", {"id": plan_id})
        created += 1
    return created


# the manual steps from "planned" to each demo status
_STEPS = {
    "planned": [],
    "preparing": ["preparing"],
    "in_review": ["preparing", "in_review"],
    "published": ["preparing", "in_review"],
    "withdrawn": ["withdrawn"],
    "cannot_be_opened": ["cannot_be_opened"],
}


def _walk_item(call: Any, item_id: str, raw: dict[str, Any]) -> None:
    for status in _STEPS[raw["status"]]:
        data = {"id": item_id, "status": status}
        if status in ("withdrawn", "cannot_be_opened"):
            data["reason"] = raw["reason"]
            if raw.get("reason_category"):
                data["reason_category"] = raw["reason_category"]
        call("nd47_plan_item_status_update", data)
    if raw.get("package"):
        # linking a public open dataset publishes the item
        call("nd47_plan_item_link", {"id": item_id, "package_id": raw["package"]})


def _load_oversight(call: Any) -> int:
    """Record the demo link-check results, then score every dataset."""
    from ckanext.nd47.oversight import linkcheck, service

    broken = {
        (row["dataset"], row["field"]): row for row in _json(HERE / "link_checks.json")["broken"]
    }
    found = call("package_search", {"q": "*:*", "include_private": True, "rows": 1000})
    for pkg in found["results"]:
        service.record_fact(pkg["id"])
        results = []
        for resource_id, field, url in linkcheck.resource_links(pkg):
            row = broken.get((pkg["name"], field))
            if row:
                result = linkcheck.Result(
                    url, "broken", status_code=row.get("status_code"), error=row.get("error")
                )
            else:
                result = linkcheck.Result(url, "ok", status_code=200, method="HEAD")
            result.attempts = 1
            results.append((resource_id, field, result))
        service.store_link_results(pkg, results)
        service.score(pkg["id"])
    return found["count"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dev.ini"))
