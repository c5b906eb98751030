"""Pieces every plugin's page views share: the guard that turns CKAN's
not-found and not-authorised errors into 404/403 pages (never a 500), and
the reading of a form's posted fields."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["form", "guard"]


def guard(
    *, not_found: Callable[[], str] | None = None, login_visitors: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: ``ObjectNotFound`` → 404 with ``not_found()``'s text
    (default "Not found"), ``NotAuthorized`` → 403, or, with
    ``login_visitors``, the login page for a visitor who is not signed in
    (who may be allowed once signed in)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except tk.ObjectNotFound:
                return tk.abort(404, not_found() if not_found else tk._("Not found"))
            except tk.NotAuthorized:
                if login_visitors and tk.current_user.is_anonymous:
                    return tk.redirect_to("user.login", came_from=tk.request.full_path)
                return tk.abort(403, tk._("Not authorized to see this page"))

        return wrapper

    return decorate


def form(fields: tuple[str, ...], *, strip: bool = False) -> dict[str, Any]:
    """The posted values of ``fields`` that the form sent (absent ones left
    out, so a partial form never blanks a stored value); ``strip`` trims them."""
    posted = tk.request.form
    values = {f: posted.get(f, "") for f in fields if f in posted}
    return {f: v.strip() for f, v in values.items()} if strip else values
