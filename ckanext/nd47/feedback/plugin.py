"""Plugin ``nd47_feedback``: what citizens see and say about the data.

It only wires: actions, auth, helpers, pages and options are registered from
their modules. A request turned into a plan item is answered when it is read
after its item was published (no dataset hook: other plugins' dataset
changes never touch these tables). Tables
come from this plugin's migrations (``ckan db upgrade -p nd47_feedback``);
translations from ``nd47``'s domain, so ``nd47`` must be enabled too.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
@tk.blanket.blueprints
class Nd47FeedbackPlugin(p.SingletonPlugin):
    """Feedback, data requests, citations and the terms of use."""

    p.implements(p.IConfigurer)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        if "nd47" not in tk.aslist(config.get("ckan.plugins")):
            raise RuntimeError("nd47_feedback needs the nd47 plugin: add nd47 to ckan.plugins")
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "nd47_feedback")
