"""Load the Vietnamese demo data into a CKAN site: python scripts/demo_data.py CONFIG.ini

Creates the demo agencies (organizations), two demo users of the agency
"UBND tỉnh Nghệ An" (an editor and an admin) and the demo datasets, with each
resource's small data file uploaded into CKAN's storage. Existing objects are
left as they are, so running it again changes nothing.
"""

from __future__ import annotations

import io
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "demo"
DEMO_PASSWORD = "Nd47-demo-2026"
USERS = [
    # (name, full name, capacity in ubnd-tinh-nghe-an)
    ("bientap-nghean", "Biên tập viên Nghệ An", "editor"),
    ("quantri-nghean", "Quản trị viên Nghệ An", "admin"),
]


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def main(ini: str) -> int:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        return _load_all()


def _load_all() -> int:
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

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
        for res in raw.get("resources", []):
            content = res["content"].encode("utf-8")
            upload = FileStorage(
                stream=io.BytesIO(content),
                filename=res["file"],
                content_type=mimetypes.guess_type(res["file"])[0] or "application/octet-stream",
            )
            fields = {k: v for k, v in res.items() if k not in ("content", "file")}
            call(
                "resource_create",
                {**fields, "package_id": created["id"], "url": res["file"], "upload": upload},
            )
        counts["datasets"] += 1

    total = call("package_search", {"q": "*:*", "include_private": True, "rows": 0})["count"]
    print(
        f"[demo] created {counts['agencies']} agencies, {counts['users']} users, "
        f"{counts['datasets']} datasets; the site now has {total} datasets",
        file=sys.stderr,
    )
    print(
        f"[demo] publisher logins: {', '.join(u[0] for u in USERS)} / {DEMO_PASSWORD}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dev.ini"))
