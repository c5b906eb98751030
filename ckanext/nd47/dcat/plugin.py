"""The ``nd47_dcat`` plugin: DCAT output guarantees, SKOS vocabularies, full dump.

It only wires; the RDF profile is ``profile.py`` (entry point ``nd47`` in
``ckan.rdf.profiles``, configured as ``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 nd47``), the rest lives in ``logic/``, ``views.py``, ``cli.py``
(``ckan nd47-dcat``) and its options in ``config_declaration.yaml`` beside
this module. Needs the ``nd47`` plugin (vocabularies) and ``dcat``.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import plugins


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
class Nd47DcatPlugin(plugins.SingletonPlugin):
    """DCAT-AP 3 export of the Vietnamese portal."""
