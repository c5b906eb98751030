"""Activity streams: an agency's internal fields only for its members.

CKAN's ``activity`` plugin keeps a copy of the agency with each of its
activities ("changed organization") and shows it to anyone who may read the
agency, in the agency's and the acting user's streams: the copy holds the
fields ``organization_show`` hides (the data officer's name and e-mail,
``hide_internal`` in logic/action.py). The activity reads are chained here
to hide them the same way.

Registered only when ``activity`` is enabled (chaining an action that no
plugin defines is an error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.nd47.logic.action import hide_internal

__all__ = ["LISTS", "activity_actions", "chained_list"]

# The activity actions that answer a list of activities.
LISTS = (
    "package_activity_list",
    "organization_activity_list",
    "group_activity_list",
    "user_activity_list",
    "dashboard_activity_list",
    "recently_changed_packages_activity_list",
)


def _hide(context: Context, activities: list[Any]) -> None:
    """Strip, in place, the internal fields of the agencies the activities carry."""
    if context.get("ignore_auth"):
        return
    groups = [
        (activity.get("data") or {}).get("group")
        for activity in activities
        if isinstance(activity, dict)
    ]
    hide_internal(context, [group for group in groups if isinstance(group, dict)])


def chained_list(name: str, clean: Callable[[Context, list[Any]], list[Any]], doc: str) -> Action:
    """A chained activity list action ``name`` whose result goes through
    ``clean(context, activities)``; it stays a read (GET-able): CKAN copies
    only the chained function's own attributes."""

    @tk.side_effect_free
    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        activities = up_func(context, data_dict)
        return clean(context, activities) if isinstance(activities, list) else activities

    chained.__name__ = name
    chained.__doc__ = doc
    return chained


def _hidden(context: Context, activities: list[Any]) -> list[Any]:
    _hide(context, activities)
    return activities


@tk.side_effect_free
@tk.chained_action
def activity_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_show``, without the agency's internal fields."""
    activity = up_func(context, data_dict)
    _hide(context, [activity])
    return activity


@tk.side_effect_free
@tk.chained_action
def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_data_show``, without the agency's internal fields."""
    data = up_func(context, data_dict)
    if isinstance(data, dict):
        # object_type=group answers the agency itself; otherwise it is under "group"
        _hide(context, [{"data": {"group": data}}, {"data": data}])
    return data


def activity_actions() -> dict[str, Action]:
    """The chained activity actions, when CKAN's ``activity`` plugin is enabled."""
    if not plugins.plugin_loaded("activity"):
        return {}
    actions: dict[str, Action] = {
        name: chained_list(
            name, _hidden, f"CKAN's ``{name}``, without the agencies' internal fields."
        )
        for name in LISTS
    }
    actions.update(activity_show=activity_show, activity_data_show=activity_data_show)
    return actions
