"""Plugin ``nd47_sharing``: sharing between state agencies (Law on Data 2024 Art. 13).

It only wires: permission labels and dataset hooks are handed to
``hooks``, actions, auth, helpers, pages and CLI are registered from their
modules. Its tables come from its own migrations (``ckan db upgrade -p
nd47_sharing``); translations from ``nd47``'s domain, so ``nd47`` must be
enabled too. CKAN asks only the first plugin implementing
``IPermissionLabels``: no other enabled plugin may implement it.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.nd47.sharing import cli, hooks
from ckanext.nd47.sharing.logic import action


@tk.blanket.config_declarations
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli(cli.get_commands)
class Nd47SharingPlugin(p.SingletonPlugin, DefaultPermissionLabels):
    """Shared datasets visible to agency users, access requests, grants, register."""

    p.implements(p.IConfigurer)
    p.implements(p.IPermissionLabels)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        if "nd47" not in tk.aslist(config.get("ckan.plugins")):
            raise RuntimeError("nd47_sharing needs the nd47 plugin: add nd47 to ckan.plugins")
        tk.add_template_directory(config, "templates")

    # IPermissionLabels
    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return hooks.dataset_labels(super().get_dataset_labels(dataset_obj), dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return hooks.user_labels(super().get_user_dataset_labels(user_obj))

    # IPackageController: resource URLs of shared datasets only for who may read the files
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        hooks.strip_dataset(context, pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return hooks.strip_search(search_results)
