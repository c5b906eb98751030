"""The actions we chain keep what the action they wrap promises: a read stays a read.

CKAN copies only the chained function's own attributes onto the chain, so
a chained ``*_show`` or ``*_list`` without ``@tk.side_effect_free`` answers
``GET /api/3/action/<name>`` with "Please use POST". Every action any of our
plugins chains (CKAN's ``activity`` plugin enabled, as in dev.ini) is
compared with the action at the end of its chain.
"""

from __future__ import annotations

import functools

import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest

from tests.hardening.test_auth_policy import PLUGINS, registered_actions

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"activity {PLUGINS}"),
    pytest.mark.usefixtures("with_plugins"),
]


def _chain(name: str) -> list[object]:
    """The functions of an action's chain, ours first, the wrapped action last."""
    tk.get_action(name)  # CKAN builds its table of actions on first use
    wrapped = logic._actions[name]  # CKAN's auth-audit wrapper around the chain
    inner = getattr(wrapped, "__wrapped__", None)
    if inner is None:  # CKAN 2.11's wrapper has no functools.wraps: its closure holds it
        cells = [cell.cell_contents for cell in wrapped.__closure__ or ()]
        inner = next((c for c in cells if callable(c)), wrapped)
    links = [inner]
    while isinstance(links[-1], functools.partial):
        links.append(links[-1].args[0])
    return links


def test_chained_reads_stay_side_effect_free(app):
    chains = {name: _chain(name) for name in registered_actions()}
    chained = sorted(name for name, links in chains.items() if len(links) > 1)
    assert "activity_show" in chained, chained
    lost = [
        name
        for name in chained
        if getattr(chains[name][-1], "side_effect_free", False)
        and not getattr(tk.get_action(name), "side_effect_free", False)
    ]
    assert not lost, f"chained reads that no longer answer GET: {lost}"
    for name in ("activity_show", "package_activity_list", "organization_activity_list"):
        response = app.get(f"/api/3/action/{name}?id=x")
        assert b"Please use POST" not in response.data, name
