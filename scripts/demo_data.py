"""Load the Vietnamese demo data into a CKAN site: python scripts/demo_data.py CONFIG.ini

Creates the demo agencies (organizations), two demo users of the agency
"UBND tỉnh Nghệ An" (an editor and an admin) and the demo datasets, with each
resource's small data file uploaded into CKAN's storage; with the
``nd47_feedback`` plugin, citizens' feedback and data requests with answers.
Existing objects are left as they are, so running it again changes nothing.
"""

from __future__ import annotations

import io
import json
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
        call("resource_create", fields)


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
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        return _load_all()


def _load_all() -> int:
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

    for raw in _load("datasets.json"):
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
        counts["datasets"] += 1

    counts["feedback"] = _load_feedback(call)

    total = call("package_search", {"q": "*:*", "include_private": True, "rows": 0})["count"]
    print(
        f"[demo] created {counts['agencies']} agencies, {counts['users']} users, "
        f"{counts['datasets']} datasets, {counts['feedback']} feedback messages and data "
        f"requests; the site now has {total} datasets",
        file=sys.stderr,
    )
    print(
        f"[demo] publisher logins: {', '.join(u[0] for u in USERS)} / {DEMO_PASSWORD}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dev.ini"))
