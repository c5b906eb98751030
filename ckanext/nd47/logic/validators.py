"""Validators named in the scheming YAML (registered by ``@tk.blanket.validators``).

Every message names its field and is an English msgid translated to
Vietnamese in the nd47 catalogue, so users see it in their own locale.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, NoReturn

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Validator
from ckanext.scheming.validation import scheming_validator

from ckanext.nd47 import vocab
from ckanext.nd47.logic import geometry, rules
from ckanext.nd47.logic.slug import unique_dataset_name
from ckanext.nd47.text import as_list, db_key, ui_lang

__all__ = [
    "nd47_access_rights",
    "nd47_admin_unit_codes",
    "nd47_agency_identifier",
    "nd47_commune_code",
    "nd47_dataset_rules",
    "nd47_email",
    "nd47_end_after_start",
    "nd47_file_type",
    "nd47_geometry",
    "nd47_geometry_bbox",
    "nd47_geometry_centroid",
    "nd47_legal_document_number",
    "nd47_master_source",
    "nd47_mimetype_from_format",
    "nd47_name_from_title",
    "nd47_not_before_issued",
    "nd47_parent_agency",
    "nd47_phone",
    "nd47_province_code",
    "nd47_url",
    "nd47_url_chars",
]

Invalid = tk.Invalid
missing = tk.missing

# Decision 20/2020/QĐ-TTg, QCVN 102:2016: up to 35 characters of 0-9, A-Z and
# ".", dot-separated levels (e.g. 000.00.00.G12).
AGENCY_IDENTIFIER = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)+$")
AGENCY_IDENTIFIER_MAX = 35

# Vietnamese legal-document numbers (Law 80/2015/QH13 on legal documents, Art. 8;
# Decree 30/2020/NĐ-CP on administrative documents): number, optional year,
# then the document kind and issuer: 47/2020/NĐ-CP, 2439/QĐ-TTg, 123/QĐ-UBND,
# 20/2023/QH15, 05/2019/TT-BTTTT.
_LETTERS = "A-ZĐa-zđ"
LEGAL_NUMBER = re.compile(
    rf"^\d{{1,6}}(/(19|20)\d{{2}})?/[{_LETTERS}][{_LETTERS}0-9]*(-[{_LETTERS}0-9][{_LETTERS}0-9.]*)*$"
)
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
URL = re.compile(
    r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$|^https?://localhost(:\d+)?([/?#]\S*)?$"
)
# What an IRI cannot hold (RFC 3987, section 2.2): space, controls and
# " < > { } | \\ ^ `.
IRI_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f"<>{}|\\^`]')
PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == ""


def _drop(key: FlattenKey, data: FlattenDataDict) -> NoReturn:
    """Leave the field out (as ``ignore_missing`` does): nothing is stored."""
    data.pop(key, None)
    raise tk.StopOnError


# --- text formats -------------------------------------------------------------


def nd47_legal_document_number(value: Any) -> Any:
    """A Vietnamese legal-document number such as 47/2020/NĐ-CP or 2439/QĐ-TTg."""
    if _empty(value):
        return value
    # Normalise the look-alike Ð (U+00D0, Icelandic eth) and stray spaces.
    norm = re.sub(r"\s+", "", str(value)).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    if not LEGAL_NUMBER.match(norm):
        raise Invalid(
            tk._(
                'Legal document number: "{value}" is not a document number; '
                "write it as number/year/kind-issuer, e.g. 47/2020/NĐ-CP or 2439/QĐ-TTg."
            ).format(value=value)
        )
    return norm


def nd47_email(value: Any) -> Any:
    if _empty(value):
        return value
    if not EMAIL.match(str(value)):
        raise Invalid(
            tk._('Email: "{value}" is not an e-mail address (e.g. name@example.gov.vn).').format(
                value=value
            )
        )
    return value


def _field_label(field: dict[str, Any]) -> str:
    """A schema field's label in the interface language."""
    label = field.get("label") or field.get("field_name") or ""
    if isinstance(label, dict):
        return label.get(ui_lang()) or label.get("en") or next(iter(label.values()), "")
    return tk._(label)


def _shown(char: str) -> str:
    if char == " ":
        return tk._("space")
    return char if char.isprintable() else f"U+{ord(char):04X}"


def url_error(value: Any, label: str, web_address: bool = True) -> str | None:
    """Why a value is not a usable URL, or None.

    Refused everywhere: characters an IRI cannot hold (RFC 3987), which would
    also break every RDF serialization of the URL. With ``web_address``, the
    value must moreover be an http(s) address.
    """
    text = str(value)
    forbidden = sorted(set(IRI_FORBIDDEN.findall(text)))
    if forbidden:
        return tk._(
            '{field}: "{value}" holds characters a web address cannot hold ({chars}); '
            "percent-encode them (a space is %20)."
        ).format(field=label, value=text[:200], chars=", ".join(_shown(c) for c in forbidden))
    if web_address and not URL.match(text):
        return tk._(
            '{field}: "{value}" is not a web address starting with http:// or https://.'
        ).format(field=label, value=text[:200])
    return None


def _url_validator(field: dict[str, Any], web_address: bool) -> Validator:
    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        error = url_error(value, _field_label(field), web_address)
        if error:
            raise Invalid(error)
        return value

    return validator


@scheming_validator
def nd47_url(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """An http(s) address without characters an IRI cannot hold; errors name the field."""
    return _url_validator(field, web_address=True)


@scheming_validator
def nd47_url_chars(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A link or an uploaded file's name: only the characters an IRI may hold."""
    return _url_validator(field, web_address=False)


def nd47_phone(value: Any) -> Any:
    if _empty(value):
        return value
    if not PHONE.match(str(value)):
        raise Invalid(tk._('Phone: "{value}" is not a phone number.').format(value=value))
    return value


@scheming_validator
def nd47_master_source(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A database of the master-data register (its code, or its URI), or a URL.

    A URL is held to the rules of every URL field (``url_error``); errors name
    the field.
    """

    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        text = str(value).strip()
        found = vocab.term("master_database", text) or vocab.by_uri("master_database", text)
        if found is not None:
            return found.code
        label = _field_label(field)
        error = url_error(text, label, web_address=False)
        if error:
            raise Invalid(error)
        if not URL.match(text):
            raise Invalid(
                tk._(
                    '{field}: "{value}" is neither a database of the master-data '
                    "register nor a web address starting with http:// or https://."
                ).format(field=label, value=text[:200])
            )
        return text

    return validator


# --- spatial coverage ---------------------------------------------------------


@scheming_validator
def nd47_geometry(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A GeoJSON geometry (drawn or uploaded), stored as one geometry's JSON.

    A Feature or FeatureCollection is reduced to its geometry; errors name
    the field and say what to fix.
    """

    def validator(value: Any) -> Any:
        if _blank(value):
            return value
        try:
            found = geometry.read(value)
        except geometry.GeometryError as error:
            raise Invalid(
                tk._(
                    "{field}: {reason}. Draw the area on the map or upload a GeoJSON "
                    "file (.geojson) in WGS 84 longitude/latitude."
                ).format(field=_field_label(field), reason=error)
            ) from None
        return _as_given_or(value, found)

    return validator


def _as_given_or(value: Any, found: dict[str, Any]) -> str:
    """The text as given when it already is that geometry (round trips keep
    their bytes), else the geometry's JSON."""
    if isinstance(value, str):
        try:
            if json.loads(value) == found:
                return value
        except ValueError:
            pass
    return json.dumps(found, ensure_ascii=False, separators=(",", ":"))


def _blank(value: Any) -> bool:
    return _empty(value) or (isinstance(value, str) and not value.strip())


def _derived_geometry(measure: Any, label: Any) -> Validator:
    """A validator of a value computed from the group's ``geom``.

    The form never asks for it: its hidden input is emptied whenever the
    geometry changes, and the value is computed here. A value given (API,
    harvested records, which may carry only a bounding box) is kept when it
    is a geometry itself.
    """

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        given = data.get(key)
        if not _blank(given):
            try:
                data[key] = _as_given_or(given, geometry.read(given))
            except geometry.GeometryError as error:
                errors[key].append(tk._("{field}: {reason}.").format(field=label(), reason=error))
            return
        source = data.get(key[:-1] + ("geom",))
        try:
            if not _blank(source):
                data[key] = json.dumps(measure(geometry.read(source)), separators=(",", ":"))
                return
        except geometry.GeometryError:
            pass  # the geom field's own validator says what is wrong
        data.pop(key, None)
        raise tk.StopOnError

    return validator


nd47_geometry_bbox = _derived_geometry(geometry.bbox, lambda: tk._("Bounding box"))
nd47_geometry_bbox.__doc__ = "The bounding box, computed from the group's geometry."
nd47_geometry_centroid = _derived_geometry(geometry.centroid, lambda: tk._("Centroid"))
nd47_geometry_centroid.__doc__ = "The centroid, computed from the group's geometry."


# --- agency -------------------------------------------------------------------


def _own_group_id(data: FlattenDataDict, context: Context) -> str | None:
    group = context.get("group")
    if group is not None:
        return group.id
    own = data.get(("id",))
    return None if _empty(own) else own


def _groups_with_extra(key: str, value: str) -> list[str]:
    """Ids of active organizations whose extra ``key`` equals ``value``."""
    from ckan import model

    if hasattr(model, "GroupExtra"):  # CKAN 2.11: group_extra table
        q = (
            model.Session.query(model.Group.id)
            .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
            .filter(model.GroupExtra.key == key)
            .filter(model.GroupExtra.value == value)
            .filter(model.GroupExtra.state == "active")
        )
    else:  # CKAN 2.12: JSONB column
        q = model.Session.query(model.Group.id).filter(model.Group.extras[key].astext == value)
    q = q.filter(model.Group.state != "deleted").filter(model.Group.is_organization.is_(True))
    return [row[0] for row in q]


def nd47_agency_identifier(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The agency electronic identifier: format, then uniqueness among agencies."""
    value = data.get(key)
    if _empty(value):
        return
    value = str(value).strip().upper()
    data[key] = value
    if len(value) > AGENCY_IDENTIFIER_MAX or not AGENCY_IDENTIFIER.match(value):
        errors[key].append(
            tk._(
                'Electronic identifier: "{value}" must be up to 35 characters of 0-9, A-Z '
                "and dots, in dot-separated levels, e.g. 000.00.00.G12 "
                "(Decision 20/2020/QĐ-TTg)."
            ).format(value=value)
        )
        return
    own = _own_group_id(data, context)
    if any(gid != own for gid in _groups_with_extra("agency_identifier", value)):
        errors[key].append(
            tk._('Electronic identifier: "{value}" is already used by another agency.').format(
                value=value
            )
        )


def nd47_parent_agency(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    value = data.get(key)
    if _empty(value):
        return
    from ckan import model

    lookup = db_key(value)
    group = model.Group.get(lookup) if lookup else None
    if group is None or not group.is_organization or group.state == "deleted":
        errors[key].append(
            tk._('Parent agency: "{value}" is not an agency of this portal.').format(value=value)
        )
    elif group.id == _own_group_id(data, context) or group.name == data.get(("name",)):
        errors[key].append(tk._("Parent agency: an agency cannot be its own parent."))
    else:
        data[key] = group.name


# --- administrative units -------------------------------------------------------


def _unit_error(field: str, value: Any) -> str:
    return tk._(
        '{field}: "{value}" is not a code of the administrative units in force '
        "(Decision 19/2025/QĐ-TTg)."
    ).format(field=field, value=value)


def nd47_province_code(value: Any) -> Any:
    if _empty(value):
        return value
    unit = vocab.term("admin_unit", str(value))
    if unit is None or unit.extra["level"] != "province":
        raise Invalid(_unit_error(tk._("Province"), value))
    return str(value)


def nd47_commune_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    value = data.get(key)
    if _empty(value):
        return
    unit = vocab.term("admin_unit", str(value))
    if unit is None or unit.extra["level"] != "commune":
        errors[key].append(_unit_error(tk._("Commune"), value))
        return
    province = data.get(key[:-1] + ("province_code",))
    if not _empty(province) and unit.extra["province"] != province:
        errors[key].append(
            tk._("Commune: {commune} is not in the chosen province.").format(commune=unit.vi)
        )


def _codes(value: Any) -> list[str]:
    if _empty(value):
        return []
    if not isinstance(value, str | list | tuple):
        raise Invalid(tk._("Administrative units: expecting a list of codes."))
    return [str(v) for v in as_list(value)]


def nd47_admin_unit_codes(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Codes of administrative units (VN, provinces, communes), stored as a JSON list."""
    try:
        codes = _codes(data.get(key))
    except Invalid as e:
        errors[key].append(e.error)
        return
    unknown = [c for c in codes if vocab.term("admin_unit", c) is None]
    if unknown:
        errors[key].append(_unit_error(tk._("Administrative units"), ", ".join(unknown)))
        return
    if not codes:
        _drop(key, data)
    data[key] = json.dumps(list(dict.fromkeys(codes)))


# --- dates ----------------------------------------------------------------------


def _lower_bound(value: Any) -> date | None:
    """The first day a YYYY, YYYY-MM or ISO date/datetime denotes."""
    if _empty(value):
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        return None
    return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def nd47_end_after_start(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Temporal coverage: the end is not before the start."""
    start = _lower_bound(data.get(key[:-1] + ("start",)))
    end = _lower_bound(data.get(key))
    if start and end and end < start:
        errors[key].append(
            tk._("Temporal coverage: the end ({end}) is before the start ({start}).").format(
                end=end.isoformat(), start=start.isoformat()
            )
        )


def nd47_not_before_issued(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The modification date is not before the release date."""
    issued = _lower_bound(data.get(key[:-1] + ("issued",)))
    modified = _lower_bound(data.get(key))
    if issued and modified and modified < issued:
        errors[key].append(
            tk._("Modification date: {modified} is before the release date ({issued}).").format(
                modified=modified.isoformat(), issued=issued.isoformat()
            )
        )


# --- dataset slug, derived fields and rules -----------------------------------


def nd47_name_from_title(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """When ``name`` is empty, propose a unique slug from the Vietnamese title."""
    if not _empty(data.get(key)):
        return
    package = context.get("package")
    if package is not None and package.name:
        data[key] = package.name
        return
    title = data.get(("title",))
    if _empty(title):
        errors[key].append(tk._("URL: give a name or a title to make it from."))
        raise tk.StopOnError
    data[key] = unique_dataset_name(str(title))


def nd47_access_rights(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """access_rights follows the sharing class (mở → PUBLIC, ...)."""
    sharing = vocab.term("sharing_class", data.get(key[:-1] + ("sharing_class",)) or "")
    if sharing is not None:
        data[key] = sharing.extra["access_right"]
    elif _empty(data.get(key)):
        _drop(key, data)
    elif vocab.term("access_right", data[key]) is None:
        errors[key].append(
            tk._('Access rights: "{value}" is not PUBLIC, RESTRICTED or NON_PUBLIC.').format(
                value=data[key]
            )
        )


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on", "t", "y")


def nd47_dataset_rules(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The sharing-class rules of docs/metadata.md (each switched in the config).

    Runs on ``sharing_class``: forces non-open data private, refuses open core
    or important data, asks for the personal-data review before an open dataset
    is public and, if configured, an open machine-readable resource.
    """
    if errors.get(key):
        return
    sharing = data.get(key)
    if _empty(sharing):
        return
    if rules.must_be_private(sharing):
        data[("private",)] = True
    error = rules.open_core_data_error(sharing, data.get(("importance",)))
    if error:
        errors[key].append(error)
    private = _truthy(data.get(("private",), False))
    reviewed = _truthy(data.get(("personal_data_reviewed",), False))
    error = rules.personal_data_review_error(sharing, private, reviewed)
    if error:
        errors.setdefault(("personal_data_reviewed",), []).append(error)
    if (
        tk.config.get("ckanext.nd47.require_open_format")
        and sharing == rules.OPEN_SHARING_CLASS
        and not private
        and data.get(("state",)) != "draft"
    ):
        formats = [
            _resource_format(data, k[:2])
            for k in list(data)
            if len(k) == 3 and k[0] == "resources" and k[2] == "url"
        ]
        if not rules.has_open_machine_readable_resource(formats):
            # on sharing_class: ("resources",) would clash with the resources' own keys
            errors[key].append(rules.open_format_error())


# --- resources ------------------------------------------------------------------

_FORMAT_ALIASES = {
    "JSON-LD": "JSON_LD",
    "JSONLD": "JSON_LD",
    "RDF": "RDF_XML",
    "RDF/XML": "RDF_XML",
    "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE",
    "GEO+JSON": "GEOJSON",
    "JPG": "JPEG",
    "HTM": "HTML",
    "TEXT": "TXT",
    "SHAPEFILE": "SHP",
    # a data service, whatever publishers call it
    "REST": "API",
    "REST API": "API",
    "SOAP": "API",
    "WEB SERVICE": "API",
    "ACCESS SERVICE": "API",
}


def _guess_format(url: Any) -> str | None:
    if _empty(url):
        return None
    path = str(url).split("?", 1)[0].split("#", 1)[0]
    if "." not in path.rsplit("/", 1)[-1]:
        return None
    ext = path.rsplit(".", 1)[-1].upper()
    ext = _FORMAT_ALIASES.get(ext, ext)
    return ext if vocab.term("file_type", ext) else None


def _resource_format(data: FlattenDataDict, prefix: FlattenKey) -> str | None:
    """The file-type code of a resource in a flattened data dict (given or guessed)."""
    value = data.get(prefix + ("format",))
    if _empty(value):
        return _guess_format(data.get(prefix + ("url",)))
    code = str(value).strip().upper()
    return _FORMAT_ALIASES.get(code, code)


def nd47_file_type(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Resource format: an EU file-type code, guessed from the URL when empty."""
    value = data.get(key)
    if _empty(value):
        guessed = _guess_format(data.get(key[:-1] + ("url",)))
        data[key] = guessed or ""
        return
    code = str(value).strip().upper().lstrip(".")
    code = _FORMAT_ALIASES.get(code, code)
    if vocab.term("file_type", code) is None:
        found = next(
            (t.code for t in vocab.get("file_type") if t.extra.get("mimetype") == value), None
        )
        if found is None:
            errors[key].append(
                tk._('Format: "{value}" is not a known file type (e.g. CSV, JSON, XLSX).').format(
                    value=value
                )
            )
            return
        code = found
    data[key] = code


def nd47_mimetype_from_format(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Resource media type: the IANA type of the format when not given."""
    if not _empty(data.get(key)):
        return
    code = data.get(key[:-1] + ("format",))
    if _empty(code):
        code = _guess_format(data.get(key[:-1] + ("url",))) or ""
    code = str(code).strip().upper()
    found = vocab.term("file_type", _FORMAT_ALIASES.get(code, code))
    if found is None or not found.extra.get("mimetype"):  # an API has no media type
        _drop(key, data)
    data[key] = found.extra["mimetype"]
