"""Plugin ``nd47_plans``: agency open-data plans on top of ``nd47``.

It only wires: actions, auth, validators, pages, options and the
``ckan nd47-plans`` commands are registered from their modules; dataset
changes are handed to ``logic.changes``. The plugin owns its tables (its
migrations: ``ckan db upgrade -p nd47_plans``) and its options
(``config_declaration.yaml`` beside this module); the translations come from
``nd47``'s domain, so ``nd47`` must be enabled too.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.nd47.plans import cli
from ckanext.nd47.plans.logic import changes
from ckanext.nd47.plans.logic.action.dataset import CLAIM_KEY


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli(cli.get_commands)
@tk.blanket.config_declarations
class Nd47PlansPlugin(p.SingletonPlugin):
    """Open-data plan tracking (docs/plans.md)."""

    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        if "nd47" not in tk.aslist(config.get("ckan.plugins")):
            raise RuntimeError("nd47_plans needs the nd47 plugin: add nd47 to ckan.plugins")
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "nd47_plans")

    # IPackageController hooks: the linked dataset moves its plan items.
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._sync(context, pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._sync(context, pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._sync(context, pkg_dict, deleted=True)

    @staticmethod
    def _sync(context: Any, pkg_dict: dict[str, Any], deleted: bool = False) -> None:
        # a claim checked by the chained package_create/package_update
        claim = context.pop(CLAIM_KEY, None)
        if claim:
            pkg_dict = {**pkg_dict, "plan_item": claim}
        if pkg_dict.get("id"):
            changes.sync_dataset(context, pkg_dict["id"], deleted=deleted, changed=pkg_dict)
