"""Plugin classes. They only wire: rules live in logic/, pages in views.py."""

from __future__ import annotations

from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.nd47 import errors, helpers, search, translations, vocab
from ckanext.nd47.logic import action, activity
from ckanext.nd47.text import ui_lang


def _actions() -> dict[str, Any]:
    """logic/action.py's actions, and the chained activity reads when
    CKAN's ``activity`` plugin is enabled (logic/activity.py)."""
    return {
        **{name: getattr(action, name) for name in action.__all__},
        **activity.activity_actions(),
    }


@tk.blanket.config_declarations
@tk.blanket.actions(_actions)
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.validators
@tk.blanket.helpers
class Nd47Plugin(plugins.SingletonPlugin, DefaultTranslation):
    """Metadata and search core: Vietnamese schemas, vocabularies, search."""

    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IConfigurable)
    plugins.implements(plugins.ITranslation)
    plugins.implements(plugins.IPackageController, inherit=True)
    plugins.implements(plugins.IOrganizationController, inherit=True)
    plugins.implements(plugins.IFacets, inherit=True)
    plugins.implements(plugins.IMiddleware, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "nd47")
        # CKAN 2.11 exempts every plugin's pages from CSRF protection unless
        # told otherwise (2.12 protects them and no longer reads the option):
        # our forms carry the token, so every POST to them must too.
        config["ckan.csrf_protection.ignore_extensions"] = False
        # Leaflet, when scripts/assets.sh has installed it (outside git)
        if helpers.leaflet_installed():
            tk.add_resource(str(helpers.MAP_VENDOR_DIR), "nd47_vendor")
        if tk.asbool(config.get("ckanext.nd47.install_licenses")) and not config.get(
            "licenses_group_url"
        ):
            _install_licenses(config)

    def configure(self, config: Any) -> None:
        # CKAN's JavaScript catalogue (/api/i18n/<lang>) does not read our
        # upstream translations by itself; make i18n builds ours.
        from ckan.lib.i18n import get_js_translations_dir

        translations.install_js_catalogues(get_js_translations_dir())

    # IMiddleware

    def make_middleware(self, app: Any, config: Any) -> Any:
        errors.install(app)
        return app

    # IPackageController hooks

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_dataset(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.fold_query(search_params)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facets(search_results, ui_lang())

    # IOrganizationController (and IPackageController, whose edit hook has the same name)

    def edit(self, entity: Any) -> None:
        # an agency's name, title and level are part of its datasets' index
        if getattr(entity, "is_organization", False):
            search.reindex_agency(entity.id)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        titles = search.facet_titles()
        kept = {k: v for k, v in facets_dict.items() if k in ("organization", "tags", "license_id")}
        facets_dict.clear()
        facets_dict.update(titles)
        facets_dict.update(kept)
        return facets_dict


def _install_licenses(config: Any) -> None:
    """Our licence file becomes CKAN's licence list (the register is cached)."""
    from ckan import model

    config["licenses_group_url"] = "file://" + vocab.LICENSES_FILE
    if "_license_register" in vars(model.Package):
        del model.Package._license_register
