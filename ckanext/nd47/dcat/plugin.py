"""The ``nd47_dcat`` plugin: DCAT output guarantees, SKOS vocabularies, full dump.

It only wires; the RDF profile is ``profile.py`` (entry point ``nd47`` in
``ckan.rdf.profiles``), the rest lives in ``logic/``, ``views.py``, ``cli.py``.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.actions
class Nd47DcatPlugin(p.SingletonPlugin):
    """DCAT-AP 3 export of the Vietnamese portal (needs ``nd47`` and ``dcat``)."""
