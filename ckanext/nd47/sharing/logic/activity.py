"""Activity streams of shared datasets: no file link for who may not read the files.

CKAN's ``activity`` plugin keeps a copy of the dataset with each activity and
shows it to every user whose permission labels match the dataset's: for a
shared ("dùng chung") dataset, every state-agency user. The copy holds the
resource URLs that ``hooks.strip_dataset`` blanks in ``package_show``, so the
activity actions are chained here to blank them the same way, and the diff
of two versions (HTML with the URLs in it) is refused to those users.

The chained actions are registered only when ``activity`` is enabled
(chaining an action that no plugin defines is an error).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.nd47.logic.activity import LISTS, chained_list
from ckanext.nd47.sharing import hooks
from ckanext.nd47.sharing.logic import access

__all__ = ["activity_actions"]


def _files(context: Context) -> access.FileAccess:
    return access.FileAccess(hooks.user_from_context(context))


def _strip_package(pkg: Any, files: access.FileAccess) -> bool:
    """Blank the URLs the user may not follow; True when any was blanked."""
    if not isinstance(pkg, dict) or not access.is_shared(pkg):
        return False
    blanked = False
    for resource in pkg.get("resources") or []:
        if resource.get("url") and not files.may_read(pkg, resource.get("id")):
            resource["url"] = ""
            blanked = True
    return blanked


def _strip_activity(activity: Any, files: access.FileAccess) -> Any:
    if isinstance(activity, dict):
        _strip_package((activity.get("data") or {}).get("package"), files)
    return activity


def _stripped(context: Context, activities: list[Any]) -> list[Any]:
    if context.get("ignore_auth") or not activities:
        return activities
    files = _files(context)
    return [_strip_activity(activity, files) for activity in activities]


@tk.side_effect_free
@tk.chained_action
def activity_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_show``, without file links of shared datasets.

    ``include_data`` defaults to false as in CKAN's own pages: CKAN's auth
    function reads it unguarded (a KeyError, a 500, without it).
    """
    activity = up_func(context, {"include_data": False, **data_dict})
    return activity if context.get("ignore_auth") else _strip_activity(activity, _files(context))


@tk.side_effect_free
@tk.chained_action
def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_data_show``, without file links of shared datasets."""
    data = up_func(context, data_dict)
    if context.get("ignore_auth") or not isinstance(data, dict):
        return data
    files = _files(context)
    _strip_package(data, files)  # object_type=package: the dataset itself
    _strip_package(data.get("package"), files)
    return data


@tk.side_effect_free
@tk.chained_action
def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_diff``; refused where it would show file links the user may not see."""
    result = up_func(context, data_dict)
    if context.get("ignore_auth"):
        return result
    files = _files(context)
    for activity in result.get("activities") or []:
        if _strip_package((activity.get("data") or {}).get("package"), files):
            raise tk.NotAuthorized(
                tk._("The history of this shared dataset shows its file links: ask for access.")
            )
    return result


def activity_actions() -> dict[str, Action]:
    """The chained activity actions, when CKAN's ``activity`` plugin is enabled."""
    if not plugins.plugin_loaded("activity"):
        return {}
    actions: dict[str, Action] = {
        name: chained_list(
            name, _stripped, f"CKAN's ``{name}``, without file links of shared datasets."
        )
        for name in LISTS
    }
    actions.update(
        activity_show=activity_show,
        activity_data_show=activity_data_show,
        activity_diff=activity_diff,
    )
    return actions
