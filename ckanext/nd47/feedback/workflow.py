"""Feedback and data requests as data: kinds, statuses, transitions, visibility.

One place defines each value; actions enforce them, templates show them (their
labels are English msgids translated when shown, through ``label``).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = [
    "ANSWERED",
    "CLOSED",
    "FEEDBACK_KINDS",
    "HIDDEN",
    "IN_PROGRESS",
    "KINDS",
    "NEW",
    "OPEN",
    "PUBLIC",
    "REQUEST",
    "SPAM",
    "STATUSES",
    "TRANSITIONS",
    "VISIBILITIES",
    "N_",
    "label",
]


def N_(text: str) -> str:
    """Mark a string for extraction; ``label`` translates it when shown."""
    return text


# --- kinds: three about a dataset, one asking for new data ---------------------
REQUEST = "request"
FEEDBACK_KINDS: dict[str, str] = {
    "error": N_("Error report"),
    "update": N_("Update request"),
    "comment": N_("Comment"),
}
KINDS: dict[str, str] = {**FEEDBACK_KINDS, REQUEST: N_("Request for new data")}

# --- statuses: new -> in progress -> answered -> closed ------------------------
NEW = "new"
IN_PROGRESS = "in_progress"
ANSWERED = "answered"
CLOSED = "closed"
STATUSES: dict[str, str] = {
    NEW: N_("New"),
    IN_PROGRESS: N_("In progress"),
    ANSWERED: N_("Answered"),
    CLOSED: N_("Closed"),
}
# An answer may also be given again (answered -> answered); a closed thread
# can be reopened when the agency takes it up again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NEW: (IN_PROGRESS, ANSWERED, CLOSED),
    IN_PROGRESS: (ANSWERED, CLOSED),
    ANSWERED: (IN_PROGRESS, ANSWERED, CLOSED),
    CLOSED: (IN_PROGRESS,),
}
# Statuses still waiting for the agency.
OPEN: tuple[str, ...] = (NEW, IN_PROGRESS)

# --- visibility: moderation by the agency's admins -----------------------------
PUBLIC = "public"
HIDDEN = "hidden"
SPAM = "spam"
VISIBILITIES: dict[str, str] = {
    PUBLIC: N_("Public"),
    HIDDEN: N_("Hidden"),
    SPAM: N_("Spam"),
}

_TABLES = {"kind": KINDS, "status": STATUSES, "visibility": VISIBILITIES}


def label(table: str, code: str | None) -> str:
    """The translated label of ``code`` in ``table`` (kind, status, visibility)."""
    msgid = _TABLES[table].get(code or "")
    return tk._(msgid) if msgid else (code or "")
