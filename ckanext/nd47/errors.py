"""How the site answers when a service it needs is down, and request size.

CKAN answers a search while Solr is unreachable with a 500 carrying an
English text (``views/dataset.py`` aborts with the SolrConnectionError's
message). We answer 503, which says "try again later" to people and to
crawlers, with a message in the visitor's language; pages that need only the
database are not touched.

An action that queues a job (a link check, a dump rebuild) while Redis does
not answer fails inside CKAN's action API, which answers 500 to any
exception it does not know; such an answer is turned into a 503 with a
message in the visitor's language, after asking Redis again.

Request bodies are limited to ``ckan.max_resource_size`` (the largest upload
CKAN accepts) plus room for the form's other fields, unless the site sets
Flask's ``MAX_CONTENT_LENGTH`` itself: a larger body is refused with 413
before it is read.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import is_redis_available
from ckan.lib.search.common import SolrConnectionError
from flask import jsonify, request

# Room for the other fields of a form that carries a file.
FORM_OVERHEAD = 1024 * 1024


def search_unavailable_message() -> str:
    return tk._(
        "Search is unavailable at the moment (the search service does not answer). "
        "Please try again in a few minutes; dataset and agency pages still work."
    )


def job_queue_unavailable_message() -> str:
    return tk._(
        "The job queue is unavailable at the moment, so nothing was queued and "
        "nothing was changed. Please try again in a few minutes."
    )


_API_ACTION = re.compile(r"/api/(?:\d+/)?action/[^/]+/?$")


def _queue_unavailable(response: Any) -> Any:
    """A 500 of the action API while Redis does not answer: 503 with a message."""
    if response.status_code != 500 or not _API_ACTION.search(request.path) or is_redis_available():
        return response
    body = {
        "success": False,
        "error": {"__type": "Service Unavailable", "message": job_queue_unavailable_message()},
    }
    answer = jsonify(body)
    answer.status_code = 503
    answer.headers["Retry-After"] = "60"
    return answer


def _caused_by_solr(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, SolrConnectionError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def install(app: Any) -> None:
    """Register the 503 answer and the request-size limit on CKAN's Flask app."""
    if not app.config.get("MAX_CONTENT_LENGTH"):
        megabytes = tk.config.get("ckan.max_resource_size")
        app.config["MAX_CONTENT_LENGTH"] = int(megabytes) * 1024 * 1024 + FORM_OVERHEAD
    previous = app.error_handler_spec.get(None, {}).get(500, {})
    fallback = next(iter(previous.values()), None)

    def on_internal_error(error: Exception) -> Any:
        if _caused_by_solr(error):
            return tk.render(
                "error_document_template.html",
                {
                    "code": 503,
                    "content": search_unavailable_message(),
                    "name": tk._("Service Unavailable"),
                },
            ), 503
        if fallback is not None:
            return fallback(error)
        raise error

    app.register_error_handler(500, on_internal_error)
    app.after_request(_queue_unavailable)
