"""Pages of the nd47_dcat plugin: SKOS vocabularies and the full-catalogue dump."""

from __future__ import annotations

import email.utils
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, jsonify, redirect, request

from ckanext.nd47.dcat import dump, skos

__all__ = ["nd47_dcat"]

nd47_dcat = Blueprint("nd47_dcat", __name__)


def vocabulary(slug: str, fmt: str) -> Any:
    """A vocabulary as SKOS in Turtle, RDF/XML or JSON-LD."""
    name = skos.slug_to_name(slug)
    if not name or fmt not in skos.FORMATS:
        return tk.abort(404, tk._("Vocabulary not found"))
    rdf_format, media_type = skos.FORMATS[fmt]
    graph = skos.scheme_graph(name)
    kwargs = {"auto_compact": True} if rdf_format == "json-ld" else {}
    body = graph.serialize(format=rdf_format, **kwargs)
    response = Response(body, mimetype=media_type)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def vocabulary_uri(slug: str, code: str | None = None) -> Any:
    """Scheme and concept URIs dereference to the scheme's Turtle (303 See Other)."""
    if not skos.slug_to_name(slug):
        return tk.abort(404, tk._("Vocabulary not found"))
    return redirect(tk.url_for("nd47_dcat.vocabulary", slug=slug, fmt="ttl"), code=303)


def _not_modified(meta: dict[str, Any]) -> bool:
    etag = f'"{meta["etag"]}"'
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = [t.strip() for t in if_none_match.split(",")]
        return etag in tags or "*" in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        modified = email.utils.parsedate_to_datetime(_http_date(meta["last_modified"]))
        return modified <= since
    return False


def _http_date(iso: str) -> str:
    import datetime

    moment = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc
    )
    return email.utils.format_datetime(moment, usegmt=True)


def catalog_dump(fmt: str) -> Any:
    """The whole catalogue in one gzip file, with ETag/Last-Modified and 304."""
    if fmt not in dump.FORMATS:
        return tk.abort(404, tk._("Unknown dump format"))
    meta = dump.info(fmt)
    if not meta:
        return tk.abort(404, tk._("The catalogue dump has not been built yet"))
    headers = {
        "ETag": f'"{meta["etag"]}"',
        "Last-Modified": _http_date(meta["last_modified"]),
        "Cache-Control": "public, max-age=300",
    }
    if _not_modified(meta):
        return Response(status=304, headers=headers)
    response = dump.store().response(f"catalog.{fmt}.gz")
    response.headers.update(headers)
    response.headers["X-Content-Media-Type"] = dump.FORMATS[fmt][1]
    return response


@nd47_dcat.after_app_request
def rebuild_unavailable(response: Response) -> Response:
    """503 for a dump rebuild refused because the job queue does not answer.

    CKAN's action API answers 500 to every exception it does not know, so the
    cause is asked again here, only for that action's failures.
    """
    if (
        response.status_code == 500
        and request.path.rstrip("/").endswith("/action/nd47_dcat_dump_rebuild")
        and not dump.queue_available()
    ):
        body = {
            "success": False,
            "error": {
                "__type": "Service Unavailable",
                "message": dump.queue_unavailable_message(),
            },
        }
        response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = "60"
    return response


nd47_dcat.add_url_rule("/vocab/<slug>.<fmt>", view_func=vocabulary, endpoint="vocabulary")
nd47_dcat.add_url_rule("/vocab/<slug>", view_func=vocabulary_uri, endpoint="scheme")
nd47_dcat.add_url_rule("/vocab/<slug>/<code>", view_func=vocabulary_uri, endpoint="concept")
nd47_dcat.add_url_rule("/catalog/dump.<fmt>.gz", view_func=catalog_dump, endpoint="dump")
