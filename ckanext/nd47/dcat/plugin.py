"""The ``nd47_dcat`` plugin: DCAT output guarantees, SKOS vocabularies, full dump.

It only wires; the RDF profile is ``profile.py`` (entry point ``nd47`` in
``ckan.rdf.profiles``, configured as ``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 nd47``), the rest lives in ``logic/``, ``views.py``, ``cli.py``.
Needs the ``nd47`` plugin (vocabularies, config declarations) and ``dcat``.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.nd47.dcat import cli


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli(cli.get_commands)
class Nd47DcatPlugin(p.SingletonPlugin):
    """DCAT-AP 3 export of the Vietnamese portal."""
