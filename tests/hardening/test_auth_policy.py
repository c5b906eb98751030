"""Every action and auth function the extension registers, against the declared policy.

The names come from the plugins themselves (``IActions.get_actions()``,
``IAuthFunctions.get_auth_functions()`` of every ``nd47*`` plugin), never
from a list kept by hand: a new action without a row in
``tests/hardening/policy.py`` fails here. Each name is asked for by every
role of ``world.ROLES`` with a realistic data_dict.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from tests.hardening.policy import POLICY
from tests.hardening.world import ROLES, World

PLUGINS = (
    "nd47 nd47_plans nd47_feedback nd47_dcat nd47_oversight nd47_sharing "
    "scheming_datasets scheming_organizations dcat"
)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context"),
]


def _ours(interface: Any, method: str) -> dict[str, str]:
    """Name -> the first of our plugins that registers it."""
    found: dict[str, str] = {}
    for plugin in p.PluginImplementations(interface):
        if plugin.name.startswith("nd47"):
            for name in getattr(plugin, method)():
                found.setdefault(name, plugin.name)
    return found


def registered_actions() -> dict[str, str]:
    return _ours(p.IActions, "get_actions")


def registered_auth_functions() -> dict[str, str]:
    return _ours(p.IAuthFunctions, "get_auth_functions")


def test_every_registered_name_has_a_policy_row():
    names = {**registered_actions(), **registered_auth_functions()}
    missing = sorted(
        f"{name} (plugin {plugin})" for name, plugin in names.items() if name not in POLICY
    )
    assert not missing, (
        "add a row to POLICY in tests/hardening/policy.py (who may call it, and "
        "the data_dict to ask with) for: " + ", ".join(missing)
    )
    stale = sorted(set(POLICY) - set(names))
    assert not stale, "POLICY rows for names no plugin registers: " + ", ".join(stale)


def test_every_own_action_has_an_auth_function_of_its_name():
    auth = registered_auth_functions()
    lacking = sorted(
        name for name in registered_actions() if name.startswith("nd47_") and name not in auth
    )
    assert not lacking, "actions without an auth function of the same name: " + ", ".join(lacking)


def _context(world: World, role: str) -> dict[str, Any]:
    user = world.user(role)
    return {"user": user["name"] if user else "", "model": model, "ignore_auth": False}


def _allowed(name: str, context: dict[str, Any], data: dict[str, Any]) -> bool:
    try:
        tk.check_access(name, context, data)
    except tk.NotAuthorized:
        return False
    return True


def test_the_auth_functions_follow_the_policy():
    """Our auth functions, and CKAN's for our own actions (chained actions of
    other extensions keep those extensions' auth: the next test calls them)."""
    world = World()
    wrong = []
    own_actions = {name for name in registered_actions() if name.startswith("nd47_")}
    for name in sorted(own_actions | set(registered_auth_functions())):
        row = POLICY[name]
        for role in ROLES:
            allowed = _allowed(name, _context(world, role), row.data(world))
            if allowed != (role in row.allowed):
                wrong.append(f"{name}: {role} {'is allowed' if allowed else 'is refused'}")
    assert not wrong, "differs from tests/hardening/policy.py:\n" + "\n".join(wrong)


def test_the_actions_refuse_whom_the_policy_refuses():
    """The action itself checks access first: a refused role writes and learns nothing.

    "Not found" is a refusal too: it is how an object the user may not read
    is answered where its existence must not be confirmed (DCAT of a private
    dataset).
    """
    world = World()
    wrong = []
    for name in sorted(registered_actions()):
        row = POLICY[name]
        for role in sorted(set(ROLES) - row.allowed):
            try:
                tk.get_action(name)(_context(world, role), row.data(world))
            except (tk.NotAuthorized, tk.ObjectNotFound):
                continue
            except Exception as error:  # noqa: BLE001 - anything but a refusal is the finding
                wrong.append(f"{name} as {role}: {type(error).__name__} before the auth check")
            else:
                wrong.append(f"{name} as {role}: ran")
            model.Session.rollback()
    assert not wrong, "\n".join(wrong)
