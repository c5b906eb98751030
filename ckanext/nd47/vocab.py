"""The controlled vocabularies of the portal, read from data files.

One place defines each vocabulary: a YAML file under ``vocabularies/`` (themes,
sharing_class, access_right, importance, database_kind, agency_level,
frequency, language, file_type, status, service_platform, service_auth,
agent_type and agent_role (EU/INSPIRE tables whose URIs datasets store),
master_database, the register of national databases, which operators extend
with the file named by ``ckanext.nd47.master_databases_file``), the CKAN licence file
``vocabularies/licenses.json`` (licenses) and, for administrative units, the
``vietnam-provinces`` package (admin_unit: ``VN`` for the whole country,
2-digit province codes, 5-digit commune codes; 2025 units).

API (stable; the DCAT profile and the plan tracker import it)::

    get(name) -> tuple[Term, ...]        every term of a vocabulary, in file order
    term(name, code) -> Term | None      one term by its stored code
    by_uri(name, uri) -> Term | None     one term by its URI (for RDF parsing)
    label(name, code, lang) -> str       the label in "vi" or "en" (code if unknown)
    version(name)                        what to add to the key of a cache built from it
    NAMES                                the vocabulary names

Datasets store codes (agent_type and agent_role: the URI, as DCAT has it); a
:class:`Term` carries the code, the vi and en labels, the URI and
vocabulary-specific ``extra`` values (``eu_theme`` for themes,
``access_right`` for sharing classes, ``mimetype``/``open``/``machine_readable``
for file types, ``province`` for communes, ``level`` for admin units).
Our own concepts get URIs under ``ckanext.nd47.uri_base`` (empty:
``ckan.site_url``), e.g. ``{base}/vocab/admin-unit/01``; EU tables use the EU
authority URIs. Shipped data files are read once per process (read-only
data); the operator's extension file is read again when it changes (its
modification time and size are part of the cache key), so every worker
process and every web node sees an edited register at once, without a restart.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.nd47.text import fold

__all__ = [
    "NAMES",
    "Term",
    "by_uri",
    "eu_theme_uri",
    "get",
    "label",
    "term",
    "uri_base",
    "version",
]

_DIR = os.path.join(os.path.dirname(__file__), "vocabularies")
LICENSES_FILE = os.path.join(_DIR, "licenses.json")
_YAML_VOCABS = (
    "themes",
    "sharing_class",
    "access_right",
    "importance",
    "database_kind",
    "agency_level",
    "frequency",
    "language",
    "file_type",
    "status",
    "service_platform",
    "service_auth",
    "master_database",
    "agent_type",
    "agent_role",
)
NAMES: tuple[str, ...] = (*_YAML_VOCABS, "licenses", "admin_unit")
EU_THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
COUNTRY_CODE = "VN"


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary."""

    code: str
    vi: str
    en: str
    uri: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def labels(self) -> dict[str, str]:
        """A scheming language dict, vi first."""
        return {"vi": self.vi, "en": self.en}


def uri_base() -> str:
    """Base of the URIs we mint: ckanext.nd47.uri_base, else ckan.site_url."""
    base = tk.config.get("ckanext.nd47.uri_base") or tk.config.get("ckan.site_url") or ""
    return base.rstrip("/")


def get(name: str) -> tuple[Term, ...]:
    """Every term of vocabulary ``name`` (one of :data:`NAMES`), in order."""
    return _load(name, uri_base(), _extra_stamp(name))


def term(name: str, code: str | None) -> Term | None:
    """The term of ``name`` whose code is ``code``, or None (also for a code that is no text)."""
    if not code or not isinstance(code, str):
        return None
    return _index(name, uri_base(), _extra_stamp(name))[0].get(code)


def by_uri(name: str, uri: str | None) -> Term | None:
    """The term of ``name`` whose URI is ``uri``, or None."""
    if not uri or not isinstance(uri, str):
        return None
    return _index(name, uri_base(), _extra_stamp(name))[1].get(uri)


def version(name: str) -> tuple[str, int, int] | None:
    """What identifies the current terms of ``name`` besides the URI base:
    the operator's extension file (path, modification time, size), or None.
    Callers that cache something built from a vocabulary add it to their key."""
    return _extra_stamp(name)


def label(name: str, code: str | None, lang: str = "vi") -> str:
    """The label of a code in ``lang`` ("vi" or "en"); the code itself if unknown."""
    found = term(name, code)
    return found.label(lang) if found else (code or "")


def eu_theme_uri(theme: Term) -> str:
    """The EU data-theme URI a national theme maps to."""
    return EU_THEME_BASE + theme.extra["eu_theme"]


@lru_cache(maxsize=len(_YAML_VOCABS))
def _shipped(name: str) -> dict[str, Any]:
    # the package's own data file: read-only, read once per process
    with open(os.path.join(_DIR, f"{name}.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def _extra_file(name: str) -> str:
    """The operator's file extending vocabulary ``name`` ("" when none)."""
    if name not in _YAML_VOCABS:
        return ""
    option = _shipped(name).get("extra_terms_option")
    return (tk.config.get(option) or "") if option else ""


def _extra_stamp(name: str) -> tuple[str, int, int] | None:
    path = _extra_file(name)
    if not path:
        return None
    try:
        found = os.stat(path)
    except OSError:
        # a missing file fails in _load_yaml with its name, as before
        return (path, 0, -1)
    return (path, found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=64)
def _index(
    name: str, base: str, stamp: tuple[str, int, int] | None
) -> tuple[dict[str, Term], dict[str, Term]]:
    terms = _load(name, base, stamp)
    return {t.code: t for t in terms}, {t.uri: t for t in terms}


@lru_cache(maxsize=64)
def _load(name: str, base: str, stamp: tuple[str, int, int] | None = None) -> tuple[Term, ...]:
    # ``stamp`` (see _extra_stamp) only makes an edited extension file a new key
    if name in _YAML_VOCABS:
        return _load_yaml(name, base)
    if name == "licenses":
        return _load_licenses(base)
    if name == "admin_unit":
        return _load_admin_units(base)
    raise KeyError(f"unknown vocabulary: {name}")


def _load_yaml(name: str, base: str) -> tuple[Term, ...]:
    data = _shipped(name)
    items = list(data["terms"])
    # A vocabulary operators extend (the master-database register): the terms
    # of the file named in the config follow the shipped ones.
    extra_file = _extra_file(name)
    if extra_file:
        with open(extra_file, encoding="utf-8") as f:
            items += (yaml.safe_load(f) or {}).get("terms") or []
    pattern = data["uri_pattern"]
    terms = []
    for item in items:
        item = dict(item)
        code, vi, en = str(item.pop("code")), item.pop("vi"), item.pop("en")
        # A term's own URI may sit under the base too ("{base}/...").
        uri = (item.pop("uri", None) or pattern).format(base=base, code=code)
        terms.append(Term(code, vi, en, uri, item))
    return tuple(terms)


def _load_licenses(base: str) -> tuple[Term, ...]:
    with open(LICENSES_FILE, encoding="utf-8") as f:
        data = json.load(f)
    return tuple(
        Term(
            lic["id"],
            lic["title_vi"],
            lic["title_en"],
            lic["uri"].format(base=base),
            {"url": lic.get("url", ""), "od_conformance": lic.get("od_conformance")},
        )
        for lic in data
    )


# Division types of vietnam-provinces -> (Vietnamese prefix, English suffix).
_DIVISIONS = {
    "tỉnh": ("Tỉnh", "Province"),
    "thành phố trung ương": ("Thành phố", "City"),
    "xã": ("Xã", "Commune"),
    "phường": ("Phường", "Ward"),
    "đặc khu": ("Đặc khu", "Special Zone"),
}


def _unit_labels(name: str, division_type: str) -> tuple[str, str]:
    """Vietnamese label with its prefix ("Tỉnh Nghệ An") and English ("Nghe An Province")."""
    prefix, suffix = _DIVISIONS.get(division_type, ("", ""))
    bare = name[len(prefix) + 1 :] if prefix and name.startswith(prefix + " ") else name
    vi = f"{prefix} {bare}".strip()
    return vi, f"{fold(bare)} {suffix}".strip()


def _load_admin_units(base: str) -> tuple[Term, ...]:
    from vietnam_provinces import Province, Ward

    pattern = base + "/vocab/admin-unit/{code}"
    terms = [
        Term(
            COUNTRY_CODE,
            "Toàn quốc",
            "Whole country",
            pattern.format(code=COUNTRY_CODE),
            {"level": "country"},
        )
    ]
    provinces = sorted(Province.iter_all(), key=lambda p: p.code.value)
    wards = sorted(Ward.iter_all(), key=lambda w: w.code.value)
    names: dict[str, tuple[str, str]] = {}
    for prov in provinces:
        code = f"{prov.code.value:02d}"
        vi, en = names[code] = _unit_labels(prov.name, prov.division_type.value)
        terms.append(Term(code, vi, en, pattern.format(code=code), {"level": "province"}))
    for ward in wards:
        code = f"{ward.code.value:05d}"
        prov = f"{ward.province_code.value:02d}"
        vi, en = _unit_labels(ward.name, ward.division_type.value)
        terms.append(
            Term(
                code,
                f"{vi}, {names[prov][0]}",
                f"{en}, {names[prov][1]}",
                pattern.format(code=code),
                {"level": "commune", "province": prov},
            )
        )
    return tuple(terms)
