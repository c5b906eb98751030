"""A test plugin (entry point ``nd47_test_admins_only``): a site rule that
only agency admins create datasets, through CKAN's own ``package_create``."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.chained_auth_function
def package_create(next_auth: Any, context: dict, data_dict: dict | None) -> dict:
    owner_org = (data_dict or {}).get("owner_org")
    if owner_org:
        try:
            tk.check_access("organization_update", {"user": context["user"]}, {"id": owner_org})
        except tk.NotAuthorized:
            return {"success": False, "msg": "only agency admins create datasets here"}
    return next_auth(context, data_dict)


class AdminsOnlyPlugin(p.SingletonPlugin):
    p.implements(p.IAuthFunctions)

    def get_auth_functions(self) -> dict[str, Any]:
        return {"package_create": package_create}
