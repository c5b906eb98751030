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

Parameters of the action API that name one thing (an id, a name, a query,
a sort, a format) must be text, and no text may hold a NUL character:
CKAN's own actions and ckanext-dcat's pass such values to PostgreSQL or
Solr as they come and answer 500; so does ``package_search`` given an empty
``rows`` or ``start``, or a yes/no parameter (``include_private``) that is
neither. They are refused first with CKAN's
validation-error answer (409), naming the parameter, in the visitor's language.

A page view that lets a refusal, a "not found" or a validation error of an
action escape (CKAN's activity change pages ask ``activity_show`` for any id
given in the URL; a list page passes its query string's filters on) answers
403, 404 or 400 with CKAN's error page naming the field, not 500.

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

# Parameters that name one thing: text or absent, never a list, an object or a number.
TEXT_PARAMS = frozenset(
    ("id", "name", "owner_org", "package_id", "organization_id", "q", "fq", "sort", "format")
)


# Whole-number parameters of CKAN's ``package_search``: an empty value reaches
# its ``natural_number_validator`` as None, a TypeError (500).
NUMBER_PARAMS = frozenset(("rows", "start"))


# Yes/no parameters of CKAN's search and show actions, read with asbool (a
# ValueError, 500, for any other word).
BOOLEAN_PARAMS = frozenset(
    ("include_private", "include_drafts", "include_deleted", "include_datasets")
)


def _not_boolean(value: Any) -> bool:
    try:
        tk.asbool(value)
    except ValueError:
        return True
    return False


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _bad_parameters(params: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, value in params.items():
        if key in TEXT_PARAMS and value is not None and not isinstance(value, str):
            errors[key] = [tk._("Must be text.")]
        elif key in NUMBER_PARAMS and isinstance(value, str) and not value.strip():
            errors[key] = [tk._("Must be a whole number.")]
        elif key in BOOLEAN_PARAMS and _not_boolean(value):
            errors[key] = [tk._("Must be true or false.")]
        elif _holds_nul(key) or _holds_nul(value):
            errors[str(key).replace("\x00", "")] = [tk._("Must not contain a NUL character.")]
    return errors


def _refuse_malformed_parameters() -> Any:
    """Before an action runs: its one-thing parameters are text, no text holds NUL."""
    if not _API_ACTION.search(request.path):
        return None
    params: dict[str, Any] = {}
    params.update(request.args.to_dict())
    if request.method == "POST":
        body = request.get_json(silent=True) if request.is_json else None
        if isinstance(body, dict):
            params.update(body)
        else:
            params.update(request.form.to_dict())
    errors = _bad_parameters(params)
    if not errors:
        return None
    answer = jsonify({"success": False, "error": {"__type": "Validation Error", **errors}})
    answer.status_code = 409
    return answer


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


def _error_page(code: int, name: str, error: Exception) -> Any:
    return tk.render(
        "error_document_template.html",
        {"code": code, "content": str(error) or name, "name": name},
    ), code


def _refused(error: Exception) -> Any:
    """An action's refusal that a page view did not catch: 403, not 500."""
    return _error_page(403, tk._("Not authorized"), error)


def _not_found(error: Exception) -> Any:
    """An action's "not found" that a page view did not catch: 404, not 500."""
    return _error_page(404, tk._("Not found"), error)


def _invalid(error: Exception) -> Any:
    """An action's validation error that a page view did not catch: 400, naming the field."""
    summary = getattr(error, "error_summary", None) or {}
    text = "; ".join(f"{field}: {message}" for field, message in summary.items())
    return _error_page(400, tk._("Bad request"), Exception(text))


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
    app.register_error_handler(tk.NotAuthorized, _refused)
    app.register_error_handler(tk.ObjectNotFound, _not_found)
    app.register_error_handler(tk.ValidationError, _invalid)
    app.after_request(_queue_unavailable)
    app.before_request(_refuse_malformed_parameters)
