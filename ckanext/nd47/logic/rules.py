"""Business rules shared by the schemas, the plan tracker and the DCAT profile."""

from __future__ import annotations

from typing import Any

# The sharing class that may be published (Law on Data 2024, Art. 3 and 13).
OPEN_SHARING_CLASS = "mo"


def is_open_public(pkg_dict: dict[str, Any]) -> bool:
    """True when a dataset is public and open: active, not private, sharing class "mở"."""
    return (
        not pkg_dict.get("private")
        and pkg_dict.get("state", "active") == "active"
        and pkg_dict.get("sharing_class") == OPEN_SHARING_CLASS
    )
