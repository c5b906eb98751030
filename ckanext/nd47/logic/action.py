"""Chained core actions (registered by ``@tk.blanket.actions``).

Datasets (``package_create``/``package_update``): the dataset form always
posts one blank group per repeating field (``legal_basis-0-number=''`` ...);
ckanext-scheming keeps such groups, so a required subfield (the legal-basis
document number) would refuse a form the publisher left empty, and optional
groups would be stored as empty dicts. We drop the groups whose values are
all empty before validation.

Datasets and agencies: every text value is stored in Unicode NFC, so a title
pasted in decomposed form (NFD) equals the same title typed.

Agencies (``organization_show``/``organization_list``): the fields the agency
schema marks ``nd47_internal: true`` (the data officer's name and e-mail) are
shown only to the agency's members and to sysadmins.

Also ``nd47_similar_datasets`` ("this data already exists", logic/similar.py)
and the bulk import and export of an agency's datasets (logic/bulk.py).
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SolrConnectionError
from ckan.types import Action, Context, DataDict

from ckanext.nd47.text import nfc

__all__ = [
    "nd47_dataset_bulk_export",
    "nd47_dataset_bulk_import",
    "nd47_similar_datasets",
    "organization_create",
    "organization_list",
    "organization_show",
    "organization_update",
    "package_create",
    "package_update",
]


# Shared by the plugins' own actions (not actions themselves: not in __all__).
def validate(data_dict: DataDict, schema: dict[str, Any], context: Context) -> DataDict:
    """``data_dict`` through a navl ``schema``; a ValidationError on any error."""
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def commit(context: Context) -> None:
    """Commit, unless the caller defers it (``defer_commit``, e.g. inside a batch)."""
    if not context.get("defer_commit"):
        from ckan import model

        model.repo.commit()


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


def normalised(value: Any) -> Any:
    """The value with every string in it (nested too) in Unicode NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    return value


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Text in NFC, blank repeating groups dropped, then CKAN's own create."""
    data_dict = normalised(data_dict)
    drop_empty_groups(data_dict, _repeating_fields(data_dict.get("type")))
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Text in NFC, blank repeating groups dropped, then CKAN's own update."""
    data_dict = normalised(data_dict)
    drop_empty_groups(data_dict, _repeating_fields(data_dict.get("type")))
    return up_func(context, data_dict)


@tk.chained_action
def organization_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Text in NFC, then CKAN's own create."""
    return up_func(context, normalised(data_dict))


@tk.chained_action
def organization_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Text in NFC, then CKAN's own update."""
    return up_func(context, normalised(data_dict))


# --- internal agency fields ---------------------------------------------------


def internal_agency_fields(group_type: str = "organization") -> frozenset[str]:
    """The agency fields the schema marks ``nd47_internal: true``."""
    schema = tk.h.scheming_get_organization_schema(group_type) or {}
    return frozenset(
        field["field_name"] for field in schema.get("fields", []) if field.get("nd47_internal")
    )


def _insiders(context: Context, org_ids: set[str]) -> set[str]:
    """The agencies among org_ids whose internal fields the context's user may see.

    Internal calls (``ignore_auth``), sysadmins and the agency's members (any
    capacity: CKAN's "read" permission on the organization).
    """
    if context.get("ignore_auth"):
        return org_ids
    user = context.get("user")
    if not user or not org_ids:
        return set()
    try:
        tk.check_access("sysadmin", {"user": user})
        return org_ids
    except tk.NotAuthorized:
        pass
    mine = tk.get_action("organization_list_for_user")(
        {"user": user}, {"id": user, "permission": "read"}
    )
    return {org["id"] for org in mine} & org_ids


def _without(org: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    for name in fields:
        org.pop(name, None)
    extras = org.get("extras")
    if isinstance(extras, list):
        org["extras"] = [extra for extra in extras if extra.get("key") not in fields]
    elif isinstance(extras, dict):  # the activity plugin's copy keeps extras as a dict
        org["extras"] = {key: value for key, value in extras.items() if key not in fields}
    return org


def hide_internal(context: Context, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Strip the internal fields of the agencies the user is not inside."""
    fields = internal_agency_fields()
    if not fields or not orgs:
        return orgs
    inside = _insiders(context, {org["id"] for org in orgs if org.get("id")})
    return [org if org.get("id") in inside else _without(org, fields) for org in orgs]


@tk.side_effect_free
@tk.chained_action
def organization_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's organization_show; internal fields only for the agency's members.

    With Solr unreachable the agency is shown without the parts that need
    Solr (its dataset count and its sub-groups' counts), so pages that show
    an agency keep working.
    """
    try:
        org = up_func(dict(context), data_dict)
    except SolrConnectionError:
        if tk.asbool(data_dict.get("include_datasets", False)):
            raise
        without_search = {"include_dataset_count": False, "include_groups": False}
        org = up_func(context, {**data_dict, **without_search})
        # templates print the count unconditionally; 0 until search is back
        org.setdefault("package_count", 0)
    return hide_internal(context, [org])[0]


@tk.side_effect_free
@tk.chained_action
def organization_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's organization_list; internal fields only for each agency's members."""
    result = up_func(context, data_dict)
    if result and isinstance(result[0], dict):
        return hide_internal(context, result)
    return result


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


def _agency(context: Context, data_dict: DataDict) -> dict[str, Any]:
    org_id = data_dict.get("organization_id")
    if not org_id:
        raise tk.ValidationError({"organization_id": [tk._("Missing value")]})
    return tk.get_action("organization_show")(
        {"user": context.get("user")}, {"id": org_id, "include_datasets": False}
    )


def nd47_dataset_bulk_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create and update an agency's datasets from an .xlsx or .csv file.

    Every row goes through ``package_create``/``package_update`` (the form's
    validators and rules) first without being written; if any row has an
    error nothing is written and the error lists them all. Rows are matched
    by URL name, else identifier, so importing the same file again changes
    nothing. The layout is the template's (``nd47_dataset_bulk_export``).

    :param organization_id: the agency's id or name
    :type organization_id: string
    :param upload: the file (multipart upload)
    :type upload: file
    :param format: ``xlsx`` or ``csv`` (default: from the file name)
    :type format: string
    :param dry_run: only report what would change (default: false)
    :type dry_run: bool

    :returns: ``{"created": n, "updated": n, "unchanged": n, "dry_run": bool,
        "datasets": [{"row", "name", "title", "action", "changes"}]}``;
        ``action`` is ``create``, ``update`` or ``unchanged``, ``changes``
        the headers of the changed columns
    :rtype: dictionary
    :raises ValidationError: ``{"rows": [{"sheet", "row", "column", "message"}, ...]}``
        or ``{"upload": [message]}`` for a file that cannot be read
    """
    from ckanext.nd47 import sheets
    from ckanext.nd47.logic import bulk

    tk.check_access("nd47_dataset_bulk_import", context, data_dict)
    org = _agency(context, data_dict)
    data, fmt = sheets.read_upload(data_dict, tk.config.get("ckanext.nd47.bulk_max_mb"))
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    return bulk.import_datasets(dict(context), org, data, fmt, dry_run)


@tk.side_effect_free
def nd47_dataset_bulk_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An agency's datasets as the bulk-import file, or the empty template.

    Importing the exported file changes nothing. Private datasets are
    included when the caller may see them.

    :param organization_id: the agency's id or name
    :type organization_id: string
    :param format: ``xlsx`` (default) or ``csv`` (datasets only, no resources)
    :type format: string
    :param template: the empty template instead of the datasets (default: false)
    :type template: bool

    :returns: ``{"filename", "mimetype", "content"}``, ``content`` the file in base64
    :rtype: dictionary
    """
    import base64

    from ckanext.nd47 import sheets
    from ckanext.nd47.logic import bulk

    tk.check_access("nd47_dataset_bulk_export", context, data_dict)
    org = _agency(context, data_dict)
    fmt = (data_dict.get("format") or "xlsx").lower()
    if fmt not in sheets.FORMATS:
        raise tk.ValidationError({"format": [tk._("Choose an .xlsx or .csv file")]})
    template = tk.asbool(data_dict.get("template", False))
    datasets = [] if template else bulk.agency_datasets(dict(context), org["id"])
    stem = "mau-nhap-bo-du-lieu" if template else f"bo-du-lieu-{org['name']}"
    return {
        "filename": f"{stem}.{fmt}",
        "mimetype": sheets.MIMETYPES[fmt],
        "content": base64.b64encode(bulk.export(datasets, fmt)).decode("ascii"),
    }
