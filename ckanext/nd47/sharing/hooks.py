"""What the plugin's interface methods do: permission labels and URL stripping.

Visibility goes through permission labels only, so search (results, counts,
facets), ``package_show`` and ``resource_show`` (which defers to
``package_show``) agree. Files are closed separately (``logic/auth.py``
chains ``resource_show``); here the resource URLs of shared datasets are
blanked for users who may not read them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.sharing.logic import access

__all__ = [
    "dataset_labels",
    "strip_dataset",
    "strip_search",
    "user_from_context",
    "user_labels",
]

_MEMBER = "member-"


def dataset_labels(labels: list[str], dataset_obj: Any) -> list[str]:
    if access.is_shared(dataset_obj):
        return [*labels, access.AGENCY_LABEL]
    return labels


def user_labels(labels: list[str]) -> list[str]:
    """CKAN's labels name the user's organizations (``member-<id>``): reuse them."""
    org_ids = [label[len(_MEMBER) :] for label in labels if label.startswith(_MEMBER)]
    if access.agency_org_ids(org_ids):
        return [*labels, access.AGENCY_LABEL]
    return labels


def _strip(pkg_dict: dict[str, Any], files: access.FileAccess) -> None:
    if not access.is_shared(pkg_dict):
        return
    for resource in pkg_dict.get("resources") or []:
        if not files.may_read(pkg_dict, resource.get("id")):
            resource["url"] = ""


def user_from_context(context: dict[str, Any]) -> Any:
    user = context.get("auth_user_obj")
    if user is not None and not getattr(user, "is_anonymous", False):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def strip_dataset(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    # ignore_auth: indexing and trusted internal reads keep the full dict
    if context.get("ignore_auth") or not access.is_shared(pkg_dict):
        return
    _strip(pkg_dict, access.FileAccess(user_from_context(context)))


def _request_user() -> Any:
    """``after_dataset_search`` has no context: the request's user, else nobody."""
    try:
        user = tk.current_user
        return None if user.is_anonymous else model.User.get(user.id)
    except Exception:  # outside a request: strip for everyone
        return None


def strip_search(search_results: dict[str, Any]) -> dict[str, Any]:
    results = [r for r in search_results.get("results") or [] if access.is_shared(r)]
    if results:
        files = access.FileAccess(_request_user())
        for pkg_dict in results:
            _strip(pkg_dict, files)
    return search_results
