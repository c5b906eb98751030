"""Open-data list actions: the list of an agency or of the country, and its "last sent" record."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.logic.rules import OPEN_SHARING_CLASS
from ckanext.nd47.plans import opendata_list
from ckanext.nd47.plans.logic.action import _common as common
from ckanext.nd47.plans.logic.action._common import Context, DataDict
from ckanext.nd47.plans.logic.validators import nd47_plan_agency
from ckanext.nd47.plans.model import utcnow
from ckanext.nd47.plans.opendata_list import ListSent

__all__ = ["nd47_opendata_list_sent_create", "nd47_opendata_list_show"]

# a page of the reads behind the list; the list itself is never paged
_PAGE = 1000


def _public() -> Context:
    # the list is what anyone may see: read it as an anonymous visitor
    return {"user": "", "ignore_auth": False}


def _all(action: str, data: DataDict) -> list[dict[str, Any]]:
    """Every result of a paged list action (package_search pages by rows/start)."""
    size, skip = ("rows", "start") if action == "package_search" else ("limit", "offset")
    results: list[dict[str, Any]] = []
    while True:
        page = tk.get_action(action)(_public(), {**data, size: _PAGE, skip: len(results)})
        results.extend(page["results"])
        if not page["results"] or len(results) >= page["count"]:
            return results


def _rows(org_id: str | None) -> list[dict[str, Any]]:
    titles = {
        org["id"]: org.get("title") or org["name"]
        for org in tk.get_action("organization_list")(
            _public(), {"all_fields": True, "limit": _PAGE}
        )
    }
    fq = f"+sharing_class:{OPEN_SHARING_CLASS}" + (f" +owner_org:{org_id}" if org_id else "")
    search = {"fq": fq, "include_private": False, "sort": "title_string asc"}
    datasets = _all("package_search", search)
    dataset_rows = {
        pkg["id"]: opendata_list.dataset_row(pkg, titles.get(pkg.get("owner_org") or "", ""))
        for pkg in datasets
    }
    plans = _all(
        "nd47_plan_list", {"status": "approved", **({"owner_org": org_id} if org_id else {})}
    )
    rows: list[dict[str, Any]] = []
    for plan in sorted(plans, key=lambda p: (titles.get(p["owner_org"], ""), -p["period"])):
        for item in _all("nd47_plan_item_list", {"plan_id": plan["id"]}):
            row = opendata_list.item_row(item, titles.get(plan["owner_org"], ""))
            if row:
                # what the plan left blank, the published dataset tells
                published = dataset_rows.get(row["package_id"] or "") or {}
                rows.append({k: v or published.get(k, "") for k, v in row.items()})
    listed = {row["package_id"] for row in rows if row["package_id"]}
    for pkg in datasets:
        row = dataset_rows[pkg["id"]]
        if row and pkg["id"] not in listed:
            listed.add(pkg["id"])
            rows.append(row)
    return rows


def _sent_dictize(sent: ListSent | None) -> dict[str, Any] | None:
    if sent is None:
        return None
    return {
        "id": sent.id,
        "owner_org": sent.owner_org,
        "sent_at": sent.sent_at.isoformat(),
        "rows": sent.rows,
        "checksum": sent.checksum,
        "note": sent.note,
    }


def _last_sent(org_id: str) -> ListSent | None:
    return (
        model.Session.query(ListSent)
        .filter(ListSent.owner_org == org_id)
        .order_by(ListSent.sent_at.desc())
        .first()
    )


@tk.side_effect_free
def nd47_opendata_list_show(context: Context, data_dict: DataDict) -> DataDict:
    """The open-data list of one agency, or of every agency (the national list).

    Rows: the items of approved plans (planned, or published with their
    dataset; withdrawn items and items that cannot be opened are left out)
    and the public open datasets no item names. Only what an anonymous
    visitor may see is read, whoever asks.

    :param owner_org: the agency (id or name); omitted: every agency
    :type owner_org: string

    :returns: ``{"agency", "columns": [{"key", "vi", "en"}], "rows": [{key: value,
        "package_id"}], "count", "checksum", "last_sent"}``
    :rtype: dictionary
    """
    tk.check_access("nd47_opendata_list_show", context, data_dict)
    org_id = None
    agency = None
    if data_dict.get("owner_org"):
        try:
            org_id = nd47_plan_agency(data_dict["owner_org"], context)
        except tk.Invalid as err:
            raise tk.ObjectNotFound(str(err)) from err
        agency = tk.get_action("organization_show")(_public(), {"id": org_id})
    rows = _rows(org_id)
    return {
        "agency": {"id": agency["id"], "name": agency["name"], "title": agency["title"]}
        if agency
        else None,
        "columns": [{"key": c.key, "vi": c.vi, "en": c.en} for c in opendata_list.columns()],
        "rows": rows,
        "count": len(rows),
        "checksum": opendata_list.checksum(rows),
        "last_sent": _sent_dictize(_last_sent(org_id)) if org_id else None,
    }


def nd47_opendata_list_sent_create(context: Context, data_dict: DataDict) -> DataDict:
    """Record that an agency's list was sent to the National Data Portal.

    The record keeps the number of rows and their fingerprint, so the next
    export tells whether the list changed since.

    :param owner_org: the agency (id or name)
    :type owner_org: string
    :param note: e.g. the dispatch number (optional)
    :type note: string

    :returns: the record: ``{"id", "owner_org", "sent_at", "rows", "checksum", "note"}``
    :rtype: dictionary
    """
    tk.check_access("nd47_opendata_list_sent_create", context, data_dict)
    shown = nd47_opendata_list_show(context, {"owner_org": data_dict.get("owner_org")})
    if not shown["agency"]:
        raise tk.ValidationError({"owner_org": [tk._("Missing value")]})
    user = model.User.get(context.get("user") or "")
    sent = ListSent(
        owner_org=shown["agency"]["id"],
        sent_at=utcnow(),
        user_id=user.id if user else None,
        rows=shown["count"],
        checksum=shown["checksum"],
        note=str(data_dict.get("note") or "")[:1000] or None,
    )
    model.Session.add(sent)
    common.commit(context)
    return _sent_dictize(sent) or {}
