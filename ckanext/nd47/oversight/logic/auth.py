"""Auth functions of the oversight actions, one per action and with its name.

Scores and link results of a dataset are readable by whoever may read the
dataset (``package_show``); recomputing them needs ``package_update``.
Dashboards are public: the figures themselves respect visibility.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = [
    "nd47_dashboard_show",
    "nd47_link_check_enqueue",
    "nd47_link_check_list",
    "nd47_quality_score",
    "nd47_quality_show",
]

AuthResult = dict[str, Any]


def _defer(action: str, context: dict, data_dict: dict) -> AuthResult:
    try:
        tk.check_access(action, context, {"id": data_dict.get("id")})
    except tk.NotAuthorized as exc:
        return {"success": False, "msg": str(exc)}
    return {"success": True}


@tk.auth_allow_anonymous_access
def nd47_quality_show(context: dict, data_dict: dict) -> AuthResult:
    return _defer("package_show", context, data_dict)


def nd47_quality_score(context: dict, data_dict: dict) -> AuthResult:
    return _defer("package_update", context, data_dict)


@tk.auth_allow_anonymous_access
def nd47_link_check_list(context: dict, data_dict: dict) -> AuthResult:
    return _defer("package_show", context, data_dict)


def nd47_link_check_enqueue(context: dict, data_dict: dict) -> AuthResult:
    return _defer("package_update", context, data_dict)


@tk.auth_allow_anonymous_access
def nd47_dashboard_show(context: dict, data_dict: dict) -> AuthResult:
    return {"success": True}
