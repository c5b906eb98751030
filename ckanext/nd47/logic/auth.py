"""Auth functions of the nd47 plugin (registered by ``@tk.blanket.auth_functions``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["nd47_similar_datasets"]


@tk.auth_allow_anonymous_access
def nd47_similar_datasets(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone who may search datasets: the search itself keeps to what they may see."""
    tk.check_access("package_search", context, data_dict)
    return {"success": True}
