"""The plan workflow as data: statuses, allowed transitions, reasons, cadences.

One place defines each status and transition; the actions enforce them, the
templates show them and docs/plans.md draws them. Labels are translated
lazily (``label()``) so they follow the request's language, in the plan's
own message context (:data:`PLAN_CONTEXT`): a short English msgid the plan
gives another sense than CKAN ("Withdrawn": taken out of the plan, not a
withdrawn DCAT status) has its own msgctxt entry and never changes CKAN's
screens; the others fall back to the plain, shared translation.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from ckanext.nd47.translations import NC_, pgettext

_I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated when shown (label())."""
    return text


# The message context of the plan module's labels (see the module docstring).
PLAN_CONTEXT = "nd47 plan"
# The labels whose plan sense differs from CKAN's word for the same English;
# marked here so the extraction gives them their msgctxt entries.
CONTEXTUAL = (
    NC_("nd47 plan", "Withdrawn"),
    NC_("nd47 plan", "Title"),
)


__all__ = [
    "N_",
    "PLAN_CONTEXT",
    "text",
    "ACCESS_MODES",
    "ACTIVE",
    "APPROVED",
    "CADENCE_MONTHS",
    "CANNOT_BE_OPENED",
    "DRAFT",
    "IN_REVIEW",
    "ITEM_STATUSES",
    "ITEM_TRANSITIONS",
    "PLANNED",
    "PLAN_STATUSES",
    "PLAN_TRANSITIONS",
    "PREPARING",
    "PRIORITIES",
    "PUBLISHED",
    "REASON_CATEGORIES",
    "REASON_REQUIRED",
    "SYSTEM_REASONS",
    "WITHDRAWN",
    "label",
    "table",
    "vi",
]

# --- item statuses ------------------------------------------------------------
PLANNED = "planned"
PREPARING = "preparing"
IN_REVIEW = "in_review"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
CANNOT_BE_OPENED = "cannot_be_opened"

# code -> English msgid; the Vietnamese label is its translation.
ITEM_STATUSES: dict[str, str] = {
    PLANNED: N_("Planned"),
    PREPARING: N_("Preparing"),
    IN_REVIEW: N_("In review"),
    PUBLISHED: N_("Published"),
    WITHDRAWN: N_("Withdrawn"),
    CANNOT_BE_OPENED: N_("Cannot be opened"),
}

# Allowed manual transitions. "published" additionally needs a linked dataset
# that is public and open; the dataset hooks move items without a person.
ITEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PLANNED: (PREPARING, WITHDRAWN, CANNOT_BE_OPENED),
    PREPARING: (IN_REVIEW, PLANNED, WITHDRAWN, CANNOT_BE_OPENED),
    IN_REVIEW: (PUBLISHED, PREPARING, WITHDRAWN, CANNOT_BE_OPENED),
    PUBLISHED: (IN_REVIEW, WITHDRAWN),
    WITHDRAWN: (PLANNED,),
    CANNOT_BE_OPENED: (PLANNED,),
}

# Statuses that still owe a publication: these can be overdue, and these are
# advanced to "published" when the linked dataset becomes public and open.
ACTIVE: tuple[str, ...] = (PLANNED, PREPARING, IN_REVIEW)

# Side exits that need a written reason.
REASON_REQUIRED: tuple[str, ...] = (WITHDRAWN, CANNOT_BE_OPENED)

# Why data cannot be opened (Law on Data 2024 Art. 13, 21; Decision 20/2025/QĐ-TTg).
REASON_CATEGORIES: dict[str, str] = {
    "personal_data": N_("Personal data"),
    "state_secret": N_("State secret"),
    "security": N_("Security"),
    "core_important": N_("Core or important data"),
}

# Reasons recorded by the automatic transitions (the dataset hooks).
SYSTEM_REASONS: dict[str, str] = {
    "dataset_published": N_("The linked dataset was published as public and open"),
    "dataset_private": N_("The linked dataset was made private"),
    "dataset_deleted": N_("The linked dataset was deleted"),
    "dataset_not_open": N_("The linked dataset is no longer in the open sharing class"),
    "dataset_unlinked": N_("The published dataset was unlinked from the item"),
}

# --- plan statuses ------------------------------------------------------------
DRAFT = "draft"
APPROVED = "approved"
PLAN_STATUSES: dict[str, str] = {DRAFT: N_("Draft"), APPROVED: N_("Approved")}
# draft -> approved: nd47_plan_approve; approved -> draft: nd47_plan_reopen (new version).
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {DRAFT: (APPROVED,), APPROVED: (DRAFT,)}

# --- item attributes ----------------------------------------------------------
ACCESS_MODES: dict[str, str] = {
    "download": N_("Download"),
    "api": N_("API"),
    "download_api": N_("Download and API"),
}
PRIORITIES: dict[str, str] = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}

# Months allowed between updates for each EU frequency code (the `frequency`
# vocabulary). Codes not listed (IRREG, AS_NEEDED, NEVER, UNKNOWN, CONT...)
# never make an item "update overdue".
CADENCE_MONTHS: dict[str, int] = {
    "DAILY": 1,
    "WEEKLY": 1,
    "BIWEEKLY": 1,
    "MONTHLY": 1,
    "BIMONTHLY": 2,
    "QUARTERLY": 3,
    "ANNUAL_2": 6,
    "ANNUAL": 12,
    "BIENNIAL": 24,
    "TRIENNIAL": 36,
    "QUINQUENNIAL": 60,
}

_TABLES = {
    "item_status": ITEM_STATUSES,
    "plan_status": PLAN_STATUSES,
    "reason_category": REASON_CATEGORIES,
    "system_reason": SYSTEM_REASONS,
    "access_mode": ACCESS_MODES,
    "priority": PRIORITIES,
}


@functools.lru_cache(maxsize=1)
def _vi_catalogue() -> Any:
    # Read-only data shipped with the package: safe to keep per process. Not
    # Flask-Babel's force_locale("vi"): spreadsheets are built outside any
    # request or app context too (library calls, CLI), where Flask-Babel
    # answers with no catalogue at all.
    from babel.support import Translations

    return Translations.load(_I18N, ["vi"], domain="ckanext-nd47")


def vi(text: str) -> str:
    """The Vietnamese label whatever the request's language (spreadsheets are Vietnamese)."""
    catalogue = _vi_catalogue()
    # like translations.pgettext: the plan's own sense, else the shared one
    translated = catalogue.pgettext(PLAN_CONTEXT, text)
    return translated if translated != text else catalogue.gettext(text)


def text(message: str) -> str:
    """A plan label (an English msgid) in the request's language, in the plan's context."""
    return pgettext(PLAN_CONTEXT, message)


def table(name: str) -> dict[str, str]:
    """One of the tables above by name: code -> English msgid."""
    return _TABLES[name]


def label(name: str, code: str | None) -> str:
    """The translated label of ``code`` in one of the tables above (the code if unknown)."""
    if not code:
        return ""
    message = _TABLES[name].get(code)
    return text(message) if message else code
