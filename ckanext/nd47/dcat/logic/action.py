"""ckanext-dcat's read actions, chained so that every DCAT output keeps our guarantees.

The stock actions search with the caller's context and sort on
``metadata_modified``; ours go through :mod:`ckanext.nd47.dcat.serialize`
(public, active, open datasets only; stable order; linear page cost).

They replace the stock ones rather than wrap them, so ``original_action`` is
deliberately not called: each stock action searches with the caller's
identity (private and draft datasets would leak), orders pages by
modification time (paging would skip datasets) and builds a serializer per
call (an entry-point scan of ~50 ms). Chaining still lets a plugin loaded
after ``nd47_dcat`` wrap ours.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.dcat import serialize
from ckanext.nd47.logic.rules import is_open_public

__all__ = [
    "dcat_catalog_search",
    "dcat_catalog_show",
    "dcat_dataset_show",
    "nd47_dcat_dump_rebuild",
]


# Solr counts result offsets in a signed 32-bit integer.
_MAX_OFFSET = 2**31 - 1


def _page(data_dict: dict[str, Any], rows: int) -> int:
    try:
        page = int(data_dict.get("page") or 1)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        raise tk.ValidationError({"page": [tk._("Page param must be a positive integer")]})
    if rows * page > _MAX_OFFSET:
        raise tk.ValidationError(
            {"page": [tk._("Page param must be at most %d") % (_MAX_OFFSET // rows)]}
        )
    return page


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(
    original_action: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> str:
    """One dataset in RDF; private, draft and deleted datasets are not found.

    :param id: the dataset id or name
    :type id: string
    :param format: ``xml``, ``ttl``, ``jsonld``, ...
    :type format: string
    :rtype: string
    """
    # Not found before any permission check: a private dataset answers like a
    # missing one (404, never 403), so its existence is not disclosed.
    dataset_dict = tk.get_action("package_show")({"ignore_auth": True}, {"id": data_dict.get("id")})
    if not is_open_public(dataset_dict):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("dcat_dataset_show", context, data_dict)
    serialize.check_format(data_dict.get("format"))
    return serialize.serialize_dataset(
        dataset_dict, data_dict.get("format"), data_dict.get("profiles")
    )


def _catalog(context: dict[str, Any], data_dict: dict[str, Any], name: str) -> str:
    tk.check_access(name, context, data_dict)
    serialize.check_format(data_dict.get("format"))
    rows = int(tk.config.get("ckanext.dcat.datasets_per_page"))
    page = _page(data_dict, rows)
    query = serialize.search_public(
        page=page,
        rows=rows,
        modified_since=data_dict.get("modified_since"),
        q=data_dict.get("q"),
        fq=data_dict.get("fq"),
    )
    return serialize.serialize_catalog(
        query["results"],
        data_dict.get("format"),
        serialize.pagination_info(query, data_dict, page, rows),
        data_dict.get("profiles"),
    )


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(
    original_action: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> str:
    """A catalogue page in RDF: public open datasets only, stable order.

    :param page: page number, from 1
    :type page: int
    :param modified_since: ISO-8601 date; only datasets modified since then
    :type modified_since: string
    :param format: ``xml``, ``ttl``, ``jsonld``, ...
    :type format: string
    :rtype: string
    """
    return _catalog(context, data_dict, "dcat_catalog_show")


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(
    original_action: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> str:
    """Like ``dcat_catalog_show`` with a query (``q``, ``fq``) on public datasets only.

    :rtype: string
    """
    return _catalog(context, data_dict, "dcat_catalog_search")


def nd47_dcat_dump_rebuild(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a rebuild of the full-catalogue dump (sysadmins only).

    When the job queue (Redis) does not answer, nothing is queued and the
    current dump stays; the API answers 503 with a message.

    :returns: the queued job's id
    :rtype: dictionary
    :raises ckanext.nd47.dcat.dump.QueueUnavailable: the job queue does not answer
    """
    from ckanext.nd47.dcat import dump

    tk.check_access("nd47_dcat_dump_rebuild", context, data_dict)
    job = dump.enqueue()
    return {"job_id": job.id}
