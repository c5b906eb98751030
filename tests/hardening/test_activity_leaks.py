"""The activity streams show an outsider nothing that is not theirs.

With CKAN's ``activity`` plugin enabled (as in dev.ini), the secrets of
``test_leaks.Secrets`` (private, draft and deleted datasets, a shared
dataset, a private dataset linked to a public plan item) are edited once
more so that each has several activities, an agency admin changes the
agency, and every activity page and action is read as an anonymous visitor,
a signed-in citizen and the admin of another agency (who may see the shared
dataset): the dataset, agency and user streams, the dashboard, the history
and change pages of every activity, and ``activity_show`` /
``activity_data_show`` / ``activity_diff`` of every activity id.

A dataset deleted while public had a public title: CKAN's streams keep its
"deleted" activity. The deleted marker is checked all the same: the
activities of a deleted dataset are the agency's history, not the public's.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy
from ckan import model
from ckan.tests import helpers

from tests.hardening.test_auth_policy import PLUGINS
from tests.hardening.test_leaks import MARKERS, Secrets, _leaks, _text, crawl
from tests.hardening.world import call_as
from tests.smtp import text

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"activity {PLUGINS}"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class ActivitySecrets(Secrets):
    def __init__(self) -> None:
        super().__init__()
        for dataset in (self.public, self.private, self.shared, self.linked, self.draft):
            call_as(self.sysadmin, "package_patch", id=dataset["id"], notes="Cập nhật")
        call_as(
            self.sysadmin,
            "organization_patch",
            id=self.org["id"],
            description="Cơ quan có dữ liệu riêng",
        )
        self.deleted_id = model.Session.execute(
            sqlalchemy.text("SELECT id FROM package WHERE state = 'deleted'")
        ).scalar()
        # activity id -> "package" or "organization" (CKAN's change pages take their own kind)
        rows = model.Session.execute(
            sqlalchemy.text("SELECT id, activity_type, object_id FROM activity ORDER BY timestamp")
        ).all()
        self.activities = {
            row[0]: "organization" if "organization" in row[1] else "package" for row in rows
        }
        # activity id -> the object it is about (a dataset's history page takes its own)
        self.objects = {row[0]: row[2] for row in rows}
        self.activity_ids = list(self.activities)


def _datasets(s: ActivitySecrets) -> list[str]:
    return [
        s.public["id"],
        s.private["id"],
        s.shared["id"],
        s.draft["id"],
        s.linked["id"],
        s.deleted_id,
    ]


KINDS = ("package", "organization")
CHANGES = {"package": "dataset", "organization": "organization"}


def _urls(s: ActivitySecrets) -> list[str]:
    users = [s.admin, s.editor, s.member, s.sysadmin]
    urls = ["/dashboard/", "/dashboard/datasets", "/ckan-admin/activities"]
    urls += [f"/dataset/activity/{id_}" for id_ in _datasets(s)]
    urls.append(f"/organization/activity/{s.org['name']}")
    urls += [f"/user/activity/{user['name']}" for user in users]
    first = {kind: next(i for i, k in s.activities.items() if k == kind) for kind in KINDS}
    for activity_id, kind in s.activities.items():
        urls += [
            f"/{CHANGES[kind]}/changes/{activity_id}",
            f"/{CHANGES[kind]}/changes_multiple?new_id={activity_id}&old_id={first[kind]}",
        ]
        if kind == "package":
            urls.append(f"/dataset/{s.objects[activity_id]}/history/{activity_id}")
    api = "/api/3/action/"
    urls += [f"{api}package_activity_list?id={id_}" for id_ in _datasets(s)]
    urls += [
        f"{api}package_activity_list?id={id_}&include_hidden_activity=true" for id_ in _datasets(s)
    ]
    urls += [
        f"{api}organization_activity_list?id={s.org['name']}",
        f"{api}organization_activity_list?id={s.org['name']}&include_hidden_activity=true",
        f"{api}recently_changed_packages_activity_list",
        f"{api}dashboard_activity_list",
    ]
    urls += [f"{api}user_activity_list?id={user['name']}" for user in users]
    for activity_id in s.activity_ids:
        urls += [
            f"{api}activity_show?id={activity_id}",
            f"{api}activity_show?id={activity_id}&include_data=true",
            f"{api}activity_data_show?id={activity_id}",
            f"{api}activity_data_show?id={activity_id}&object_type=package",
            f"{api}activity_diff?id={activity_id}&object_type=package",
            f"{api}activity_diff?id={activity_id}&object_type=package&diff_type=html",
        ]
    return urls


def test_no_activity_shows_an_outsider_what_is_not_theirs(app):
    s = ActivitySecrets()
    assert len(s.activity_ids) > 10
    found = crawl(app, s, _urls(s))
    assert not found, "\n".join(found)
    # the streams were read, not refused: the public dataset's stream answers
    for url in (
        f"/dataset/activity/{s.public['name']}",
        f"/api/3/action/package_activity_list?id={s.public['id']}",
        f"/api/3/action/organization_activity_list?id={s.org['name']}",
    ):
        response = app.get(url)
        assert response.status_code == 200 and s.public["name"] in _text(response.data), url


def test_the_agency_reads_its_activities(app):
    """The markers are where the test looks: the agency's admin reads each in the streams."""
    s = ActivitySecrets()
    context = {"user": s.admin["name"], "ignore_auth": False}
    shown = [
        helpers.call_action("package_activity_list", context=dict(context), id=id_)
        for id_ in _datasets(s)
    ]
    text = str(shown)
    for key in ("private", "shared", "deleted", "linked", "draft"):
        assert MARKERS[key] in text, key


@pytest.mark.ckan_config("ckan.activity_streams_email_notifications", "true")
def test_no_activity_mail_tells_an_outsider_what_is_not_theirs(app, smtp):
    """CKAN's activity e-mails (``send_email_notifications``, from each follower's
    dashboard) to outsiders who follow the agency and its datasets."""
    s = ActivitySecrets()
    outsiders = {"citizen": s.citizen, "other_admin": s.other_admin}
    for user in outsiders.values():
        call_as(s.sysadmin, "user_patch", id=user["id"], activity_streams_email_notifications=True)
        call_as(user, "follow_group", id=s.org["id"])
        for dataset in (s.public, s.private, s.shared, s.draft, s.linked):
            try:
                call_as(user, "follow_dataset", id=dataset["id"])
            except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
                continue  # what they may not read, they may not follow either
    for dataset in (s.public, s.private, s.shared, s.linked, s.draft):
        call_as(s.sysadmin, "package_patch", id=dataset["id"], notes="Lần hai")
    call_as(s.sysadmin, "organization_patch", id=s.org["id"], description="Lần hai")
    call_as(s.sysadmin, "send_email_notifications")
    found = []
    for role, user in outsiders.items():
        messages = smtp.to(user["email"])
        assert messages, f"no activity e-mail to the {role}: nothing was checked"
        for message in messages:
            body = _text(message.as_bytes()) + text(message)
            found += [f"{role} is mailed {key}" for key in _leaks(body, role)]
    assert not found, "\n".join(found)
    # the mail says how many activities: those the citizen's dashboard shows,
    # no hidden one counted
    shown = [
        activity
        for activity in call_as(s.citizen, "dashboard_activity_list")
        if activity["user_id"] != s.citizen["id"]
    ]
    (mail,) = smtp.to(s.citizen["email"])
    assert f"You have {len(shown)} new activities" in text(mail)
