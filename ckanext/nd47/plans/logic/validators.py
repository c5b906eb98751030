"""Named validators of the plan tracker (registered with IValidators).

Vocabulary checks use the portal's vocabularies (``ckanext.nd47.vocab``:
themes, frequency, file types), so codes are defined once.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47 import vocab
from ckanext.nd47.plans import workflow
from ckanext.nd47.text import db_key, nfc

__all__ = [
    "nd47_plan_access_mode",
    "nd47_plan_agency",
    "nd47_plan_cadence",
    "nd47_plan_code",
    "nd47_plan_dataset",
    "nd47_plan_date",
    "nd47_plan_formats",
    "nd47_plan_item_status",
    "nd47_plan_long_text",
    "nd47_plan_page_bound",
    "nd47_plan_period",
    "nd47_plan_priority",
    "nd47_plan_reason_category",
    "nd47_plan_short_text",
    "nd47_plan_theme",
]

_CODE_RE = re.compile(r"^[\w.\-/]{1,64}$", re.UNICODE)
_VOCAB_CODE_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def _vocab_codes(name: str) -> set[str]:
    return {t.code for t in vocab.get(name)}


def _choice(value: Any, table: dict[str, str]) -> Any:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in table:
        # the choices as the form shows them: labels, never codes
        raise tk.Invalid(
            tk._('"%(value)s" is not one of the choices: %(allowed)s')
            % {"value": value, "allowed": ", ".join(workflow.text(m) for m in table.values())}
        )
    return value


def nd47_plan_item_status(value: Any) -> Any:
    return _choice(value, workflow.ITEM_STATUSES)


def nd47_plan_reason_category(value: Any) -> Any:
    return _choice(value, workflow.REASON_CATEGORIES)


def nd47_plan_access_mode(value: Any) -> Any:
    return _choice(value, workflow.ACCESS_MODES)


def nd47_plan_priority(value: Any) -> Any:
    return _choice(value, workflow.PRIORITIES)


def _not_in_list(value: str) -> str:
    # the vocabularies are long: point to the form's list rather than print them
    return tk._('"%(value)s" is not in the list: choose one of the list\'s values') % {
        "value": value
    }


def _vocab_value(value: Any, vocabulary: str, upper: bool) -> Any:
    if value in (None, ""):
        return None
    value = str(value).strip()
    value = value.upper() if upper else value.lower()
    codes = _vocab_codes(vocabulary)
    if value not in codes or not _VOCAB_CODE_RE.match(value):
        raise tk.Invalid(_not_in_list(value))
    return value


def nd47_plan_theme(value: Any) -> Any:
    return _vocab_value(value, "themes", upper=False)


def nd47_plan_cadence(value: Any) -> Any:
    return _vocab_value(value, "frequency", upper=True)


def nd47_plan_formats(value: Any) -> Any:
    """A comma-separated list of file-type codes, stored as "CSV,XLSX"."""
    if value in (None, ""):
        return None
    parts = value if isinstance(value, list) else re.split(r"[,;]", str(value))
    codes = [str(p).strip().upper().lstrip(".") for p in parts if str(p).strip()]
    known = _vocab_codes("file_type")
    for code in codes:
        if code not in known or not _VOCAB_CODE_RE.match(code):
            raise tk.Invalid(_not_in_list(code))
    return ",".join(dict.fromkeys(codes)) or None


def nd47_plan_code(value: Any) -> Any:
    value = str(value).strip()
    if not _CODE_RE.match(value):
        raise tk.Invalid(
            tk._("Use up to 64 letters, digits and . - _ / for the item code (no spaces)")
        )
    return value


def nd47_plan_period(value: Any) -> Any:
    try:
        year = int(str(value).strip())
    except ValueError as err:
        raise tk.Invalid(tk._("The period is a year, e.g. 2026")) from err
    if not 2000 <= year <= 2100:
        raise tk.Invalid(tk._("The period is a year, e.g. 2026"))
    return year


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def nd47_plan_date(value: Any) -> Any:
    """A date from ISO (2026-05-01), Vietnamese (01/05/2026) or Excel cells."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise tk.Invalid(tk._("Use a date like 2026-05-01 or 01/05/2026"))


def nd47_plan_agency(value: Any, context: Any) -> Any:
    """An organization id or name, stored as the organization's id."""
    key = db_key(value)
    group = model.Group.get(key) if key else None
    if not group or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("Agency not found"))
    return group.id


def nd47_plan_dataset(value: Any, context: Any) -> Any:
    """A dataset id or name, stored as the dataset's id ("" unlinks)."""
    if value in (None, ""):
        return ""
    key = db_key(value)
    pkg = model.Package.get(key) if key else None
    if not pkg or pkg.state == "deleted":
        raise tk.Invalid(tk._("Dataset not found"))
    return pkg.id


# PostgreSQL's LIMIT and OFFSET are 64-bit; anything near that is no real page
PAGE_BOUND = 2**31 - 1


def nd47_plan_page_bound(value: Any) -> Any:
    """A limit or offset small enough for the database."""
    if value is None:
        return value
    try:
        too_big = int(value) > PAGE_BOUND
    except (TypeError, ValueError, OverflowError):
        too_big = True
    if too_big:
        raise tk.Invalid(tk._("Use a number from 0 to %(max)s") % {"max": PAGE_BOUND})
    return value


# Text kept forever by the audit trail: long enough for any real title or note
SHORT_TEXT = 1000
LONG_TEXT = 20000


def _text(value: Any, limit: int) -> Any:
    if value is None:
        return value
    text = nfc(str(value)).strip()
    if len(text) > limit:
        raise tk.Invalid(tk._("Use at most %(max)s characters") % {"max": limit})
    return text


def nd47_plan_short_text(value: Any) -> Any:
    """A title, number, name or link: NFC, stripped, at most SHORT_TEXT characters."""
    return _text(value, SHORT_TEXT)


def nd47_plan_long_text(value: Any) -> Any:
    """A description: NFC, stripped, at most LONG_TEXT characters."""
    return _text(value, LONG_TEXT)
