"""Chained core actions (registered by ``@tk.blanket.actions``).

Also ``nd47_similar_datasets`` ("this data already exists", logic/similar.py).

The dataset form always posts one blank group per repeating field
(``legal_basis-0-number=''`` ...); ckanext-scheming keeps such groups, so a
required subfield (the legal-basis document number) would refuse a form the
publisher left empty, and optional groups would be stored as empty dicts. We
drop the groups whose values are all empty before validation.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

__all__ = ["nd47_similar_datasets", "package_create", "package_update"]

_FLAT = re.compile(r"^(?P<field>[a-z_]+)-(?P<index>\d+)-")


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _repeating_fields(package_type: str | None) -> set[str]:
    try:
        schema = tk.h.scheming_get_dataset_schema(package_type or "dataset")
    except (AttributeError, KeyError):
        return set()
    if not schema:
        return set()
    return {f["field_name"] for f in schema["dataset_fields"] if "repeating_subfields" in f}


def drop_empty_groups(data_dict: DataDict, fields: set[str]) -> DataDict:
    """Remove repeating-field groups whose values are all empty (list or form keys)."""
    for name in fields:
        value = data_dict.get(name)
        if isinstance(value, list):
            data_dict[name] = [group for group in value if not _blank(group)]
    groups: dict[tuple[str, str], list[str]] = {}
    for key in list(data_dict):
        m = _FLAT.match(key) if isinstance(key, str) else None
        if m and m.group("field") in fields:
            groups.setdefault((m.group("field"), m.group("index")), []).append(key)
    for keys in groups.values():
        if all(_blank(data_dict[k]) for k in keys):
            for k in keys:
                del data_dict[k]
    return data_dict


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Drop blank repeating groups, then create the dataset as CKAN does."""
    drop_empty_groups(data_dict, _repeating_fields(data_dict.get("type")))
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Drop blank repeating groups, then update the dataset as CKAN does."""
    drop_empty_groups(data_dict, _repeating_fields(data_dict.get("type")))
    return up_func(context, data_dict)


@tk.side_effect_free
def nd47_similar_datasets(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Datasets of other agencies that look like the data being described.

    Only datasets the caller may see are returned (``package_search`` with the
    caller's identity), never "dùng riêng" (private-class) data, never the
    caller's own agency's (``owner_org``).

    :param title: the title typed so far
    :type title: string
    :param tag_string: keywords, comma separated (or ``tags``, a list)
    :type tag_string: string
    :param theme: theme codes
    :type theme: list of strings
    :param admin_units: administrative-unit codes
    :type admin_units: list of strings
    :param owner_org: the agency (id or name) whose datasets are left out
    :type owner_org: string
    :param id: a dataset to leave out (the one being edited)
    :type id: string
    :param limit: at most this many (default 5, at most 5)
    :type limit: int

    :returns: the datasets, best first: ``id``, ``name``, ``title``,
        ``organization`` (``name``, ``title``), ``url``, ``sharing_class`` and
        ``score`` (0 to 1)
    :rtype: list of dictionaries
    """
    from ckanext.nd47.logic import similar

    tk.check_access("nd47_similar_datasets", context, data_dict)
    try:
        limit = min(int(data_dict.get("limit") or similar.LIMIT), similar.LIMIT)
    except (TypeError, ValueError) as e:
        raise tk.ValidationError({"limit": [tk._("Limit: must be a whole number.")]}) from e
    found = similar.similar_datasets(
        context,
        similar.Query.from_dataset(data_dict),
        exclude_owner_org=data_dict.get("owner_org"),
        exclude_id=data_dict.get("id"),
        limit=max(limit, 0),
    )
    return [
        {
            "id": dataset["id"],
            "name": dataset["name"],
            "title": dataset.get("title") or dataset["name"],
            "organization": {
                "name": (dataset.get("organization") or {}).get("name"),
                "title": (dataset.get("organization") or {}).get("title"),
            },
            "url": tk.url_for("dataset.read", id=dataset["name"], _external=True),
            "sharing_class": dataset.get("sharing_class"),
            "score": round(score, 3),
        }
        for score, dataset in found
    ]
