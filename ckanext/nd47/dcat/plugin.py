"""The ``nd47_dcat`` plugin: DCAT output guarantees, SKOS vocabularies, full dump.

It only wires; the RDF profile is ``profile.py`` (entry point ``nd47`` in
``ckan.rdf.profiles``, configured as ``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 nd47``), the rest lives in ``logic/``, ``views.py``, ``cli.py``
(``ckan nd47-dcat``) and its options in ``config_declaration.yaml`` beside
this module. Needs the ``nd47`` plugin (vocabularies) and ``dcat``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import plugins

from ckanext.nd47.dcat import dump
from ckanext.nd47.logic.bulk import is_dry_run


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
class Nd47DcatPlugin(plugins.SingletonPlugin):
    """DCAT-AP 3 export of the Vietnamese portal."""

    plugins.implements(plugins.IPackageController, inherit=True)

    # A change of any dataset may change the dump (a dataset made private
    # leaves it): queue a debounced rebuild; never fails the save.
    def after_dataset_create(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        if not is_dry_run(context):
            dump.schedule()

    def after_dataset_update(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        if not is_dry_run(context):
            dump.schedule()

    def after_dataset_delete(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        if not is_dry_run(context):
            dump.schedule()
