"""The oversight plugin's extension point for figures other plugins own.

A plugin that tracks something the dashboards should show (the sharing
plugin's sharing requests, for instance) implements
:class:`IOversightFigures` and adds its own section to the figures dict;
the dashboards and exports show every section they receive. Nothing is
shown for a plugin that is not enabled: no placeholder numbers.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins.interfaces import Interface

__all__ = ["IOversightFigures"]


class IOversightFigures(Interface):
    """Add figures to the national and agency dashboards."""

    def oversight_figures(
        self, context: dict[str, Any], scope: dict[str, Any], figures: dict[str, Any]
    ) -> None:
        """Add a section to ``figures`` in place, e.g. ``figures["sharing_requests"]``.

        ``scope`` holds the dashboard's filters (``agency`` id or None for the
        national dashboard, ``period``, ``province``, ``level``) and
        ``private`` (True when the viewer may see the agency's private data).
        A section is a dict with ``title`` (translated) and ``rows`` (a list of
        ``{"label": ..., "value": ...}``); respect the viewer's visibility.
        """
