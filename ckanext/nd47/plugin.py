"""Plugin classes. They only wire: rules live in logic/, pages in views.py."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
class Nd47Plugin(p.SingletonPlugin, DefaultTranslation):
    """Metadata and search core: Vietnamese schemas, vocabularies, search."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "nd47")

    def configure(self, config: Any) -> None:
        # CKAN's JavaScript catalogue (/api/i18n/<lang>) does not read our
        # upstream translations by itself.
        from ckan.lib.i18n import get_js_translations_dir

        from ckanext.nd47.translations import write_js_translations

        write_js_translations(get_js_translations_dir())
