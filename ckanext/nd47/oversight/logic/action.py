"""Actions of the oversight plugin: quality scores, link checks, dashboard figures."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.oversight import dashboard, quality, service
from ckanext.nd47.text import db_key

__all__ = [
    "dataset_purge",
    "nd47_dashboard_show",
    "nd47_link_check_enqueue",
    "nd47_link_check_list",
    "nd47_quality_score",
    "nd47_quality_show",
]


def _package_id(data_dict: dict[str, Any]) -> str:
    package_id = data_dict.get("id")
    if not package_id:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    if not db_key(package_id):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    return pkg["id"]


def _score_dict(row: Any) -> dict[str, Any]:
    data = row.as_dict()
    data["max"] = quality.MAX_SCORE
    data["fixes"] = quality.fixes(row.indicators)
    return data


@tk.side_effect_free
def nd47_quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The newest quality score of a dataset, with what to fix and its history.

    :param id: the dataset's id or name
    :type id: string
    :returns: ``score`` (the newest score dict with ``dimensions``,
        ``indicators``, ``band``, ``fixes``; None when never scored) and
        ``history`` (``computed_at`` and ``score`` of every score, newest first)
    :rtype: dictionary
    """
    tk.check_access("nd47_quality_show", context, data_dict)
    package_id = _package_id(data_dict)
    row = service.latest_score(package_id)
    return {
        "package_id": package_id,
        "score": _score_dict(row) if row else None,
        "history": service.score_history(package_id),
    }


def nd47_quality_score(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Score a dataset now from its DCAT output and the newest link checks, and store it.

    :param id: the dataset's id or name
    :type id: string
    :returns: the new score
    :rtype: dictionary
    """
    tk.check_access("nd47_quality_score", context, data_dict)
    row = service.score(_package_id(data_dict))
    if row is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return _score_dict(row)


@tk.side_effect_free
def nd47_link_check_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict]:
    """The newest check of every URL of a dataset's resources.

    :param id: the dataset's id or name
    :type id: string
    :returns: one dict per URL (``url``, ``field``, ``resource_id``,
        ``outcome`` ok/broken/skipped, ``status_code``, ``error``, ``checked_at``)
    :rtype: list of dictionaries
    """
    tk.check_access("nd47_link_check_list", context, data_dict)
    return [row.as_dict() for row in service.latest_links(_package_id(data_dict))]


def nd47_link_check_enqueue(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a link check and a fresh score of a dataset (a background job).

    :param id: the dataset's id or name
    :type id: string
    :returns: ``{"queued": true, "package_id": ...}``
    :rtype: dictionary
    """
    tk.check_access("nd47_link_check_enqueue", context, data_dict)
    package_id = _package_id(data_dict)
    service.enqueue_assessment(package_id)
    return {"queued": True, "package_id": package_id}


@tk.side_effect_free
def nd47_dashboard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Dashboard figures, national or of one agency, as the viewer may see them.

    :param agency: an agency's id or name (omit for the national dashboard)
    :type agency: string
    :param period: the plan period (a year) the plan figures count
    :type period: int
    :param province: only agencies of this province code
    :type province: string
    :param level: only agencies of this level (agency_level code)
    :type level: string
    :returns: ``datasets`` (by theme, sharing class, province), ``plans``
        (completion and on-time rates, overdue items), ``quality`` (average,
        bands, monthly trend, lowest), ``stale``, ``links`` and ``agencies``
        (ranked), and ``sharing`` (the sharing register's ``national`` and
        ``agencies`` figures when ``nd47_sharing`` is enabled and its auth
        lets the viewer in; else None)
    :rtype: dictionary
    """
    tk.check_access("nd47_dashboard_show", context, data_dict)
    agency = None
    if data_dict.get("agency"):
        agency = tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": data_dict["agency"], "include_datasets": False}
        )
    period = data_dict.get("period")
    try:
        period = int(period) if period not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise tk.ValidationError(
            {"period": [tk._("The period must be a year, e.g. 2026")]}
        ) from exc
    scope = dashboard.Scope(
        context,
        agency=agency,
        period=period,
        province=data_dict.get("province"),
        level=data_dict.get("level"),
    )
    return dashboard.figures(context, scope)


@tk.chained_action
def dataset_purge(original_action: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """CKAN's ``dataset_purge``, then the dataset's oversight rows go too.

    (Purging calls no dataset hook, so the figures would keep counting it.)
    """
    package_id = service.package_id_of(data_dict.get("id"))
    result = original_action(context, data_dict)
    if package_id:
        service.drop_dataset(package_id)
    return result
