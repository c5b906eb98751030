"""Chained core auth functions (registered by ``@tk.blanket.auth_functions``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.nd47.logic import rules

__all__ = [
    "bulk_update_public",
    "nd47_dataset_bulk_export",
    "nd47_dataset_bulk_import",
    "nd47_similar_datasets",
]


@tk.auth_sysadmins_check
@tk.chained_auth_function
def bulk_update_public(
    next_auth: AuthFunction, context: Context, data_dict: DataDict
) -> AuthResult:
    """CKAN's own check, then: only datasets that may be public become public.

    CKAN 2.11 makes datasets public by updating the database directly, past
    the validators that keep a dataset which is not open data private; so the
    rule (``rules.must_be_private``) is checked here, for sysadmins too
    (CKAN's own check lets them through).
    """
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    refused = [
        pkg["name"]
        for pkg in _datasets(data_dict.get("datasets"))
        if rules.must_be_private(pkg.get("sharing_class"))
    ]
    if refused:
        return {"success": False, "msg": rules.stays_private_error(refused)}
    return {"success": True}


def _datasets(ids: Any) -> list[dict[str, Any]]:
    found = []
    for dataset_id in ids if isinstance(ids, list) else [ids] if ids else []:
        try:
            found.append(tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id}))
        except tk.ObjectNotFound:
            continue  # CKAN skips unknown ids as well
    return found


@tk.auth_allow_anonymous_access
def nd47_similar_datasets(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone who may search datasets: the search itself keeps to what they may see."""
    tk.check_access("package_search", context, data_dict)
    return {"success": True}


def nd47_dataset_bulk_import(context: Context, data_dict: DataDict) -> AuthResult:
    """Who may create datasets for the agency (its editors and admins, sysadmins)."""
    tk.check_access("package_create", context, {"owner_org": data_dict.get("organization_id")})
    return {"success": True}


def nd47_dataset_bulk_export(context: Context, data_dict: DataDict) -> AuthResult:
    """As the import: the file is the agency's working copy of its metadata."""
    tk.check_access("package_create", context, {"owner_org": data_dict.get("organization_id")})
    return {"success": True}
