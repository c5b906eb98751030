"""Plugin ``nd47_oversight``: metadata quality, link checks, freshness, dashboards, home page.

It only wires. Tables come from this plugin's migrations (``ckan db upgrade
-p nd47_oversight``); business rules live in ``quality``, ``linkcheck``,
``freshness``, ``dashboard`` and ``service``; pages in ``views``; the
``ckan nd47-oversight`` commands in ``cli``. Needs the ``nd47`` plugin
(schema, vocabularies, translations) and ``dcat`` (the score is read from
the DCAT output; the ``nd47_dqv`` profile publishes it).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.nd47.logic.bulk import is_dry_run
from ckanext.nd47.oversight import cli, service


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
class Nd47OversightPlugin(p.SingletonPlugin):
    """Quality, freshness and link oversight with dashboards (issue 12)."""

    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        if "nd47" not in tk.aslist(config.get("ckan.plugins")):
            raise RuntimeError("nd47_oversight needs the nd47 plugin: add nd47 to ckan.plugins")
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "nd47_oversight")

    # IPackageController: keep the dataset's facts current, queue its assessment.
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._changed(context, pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._changed(context, pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if pkg_dict.get("id"):
            service.forget_dataset(pkg_dict["id"])

    @staticmethod
    def _changed(context: Any, pkg_dict: dict[str, Any]) -> None:
        package_id = pkg_dict.get("id")
        if package_id and service.record_fact(package_id) is not None:
            # a trial write (bulk dry run) is rolled back: nothing to assess
            if tk.config.get("ckanext.nd47.oversight.assess_on_update") and not is_dry_run(context):
                service.enqueue_assessment(package_id, quiet=True)
