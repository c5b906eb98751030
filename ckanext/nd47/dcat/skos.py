"""Our vocabularies as SKOS concept schemes, with stable URIs under the URI base.

Each vocabulary is served at ``/vocab/<slug>.<ttl|rdf|jsonld>``. Our own
concepts have URIs ``{base}/vocab/<slug>/<code>`` (their scheme is
``{base}/vocab/<slug>``, as the profile emits it); for the EU authority tables
(frequency, language, file type, access right) and ADMS status the file lists
the values this portal uses, under their EU URIs, with Vietnamese labels.
"""

from __future__ import annotations

import rdflib
from ckanext.dcat.profiles import DCT, RDF, SKOS
from rdflib import Literal, URIRef

from ckanext.nd47 import vocab
from ckanext.nd47.dcat.terms import LANG_EN, LANG_VI, scheme_uri

__all__ = ["FORMATS", "SCHEME_TITLES", "scheme_graph", "slug_to_name", "slugs"]

# URL extension -> (rdflib format, media type).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}

# Titles of the schemes (vi, en).
SCHEME_TITLES: dict[str, tuple[str, str]] = {
    "themes": ("Chủ đề dữ liệu mở", "Open data themes"),
    "sharing_class": ("Phân loại dữ liệu theo chia sẻ", "Data by sharing"),
    "access_right": ("Quyền truy cập", "Access rights"),
    "importance": ("Phân loại dữ liệu theo mức độ quan trọng", "Data by importance"),
    "database_kind": ("Loại cơ sở dữ liệu", "Database kinds"),
    "agency_level": ("Cấp cơ quan", "Agency levels"),
    "frequency": ("Tần suất cập nhật", "Update frequencies"),
    "language": ("Ngôn ngữ", "Languages"),
    "file_type": ("Định dạng tệp", "File types"),
    "status": ("Trạng thái tài nguyên", "Distribution statuses"),
    "licenses": ("Giấy phép", "Licences"),
    "admin_unit": ("Đơn vị hành chính", "Administrative units"),
    "service_platform": ("Nền tảng chia sẻ dữ liệu", "Data-sharing platforms"),
    "service_auth": ("Hình thức xác thực dịch vụ", "Service authentication kinds"),
    "master_database": ("Danh mục cơ sở dữ liệu chủ", "Register of master databases"),
}


def _own_scheme(name: str) -> str | None:
    """Our scheme URI when the vocabulary's concepts are minted under the base."""
    base = vocab.uri_base() + "/vocab/"
    for term in vocab.get(name):
        if term.uri.startswith(base):
            return scheme_uri(term.uri)
    return None


def slugs() -> dict[str, str]:
    """URL slug -> vocabulary name (``theme`` -> ``themes``, ``frequency`` -> ...)."""
    out = {}
    for name in vocab.NAMES:
        own = _own_scheme(name)
        slug = own.rsplit("/", 1)[-1] if own else name.replace("_", "-")
        out[slug] = name
        out[name] = name
    return out


def slug_to_name(slug: str) -> str | None:
    return slugs().get(slug)


def scheme_graph(name: str) -> rdflib.Graph:
    """The vocabulary ``name`` as a ``skos:ConceptScheme`` with its concepts."""
    graph = rdflib.Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCT)
    own = _own_scheme(name)
    slug = own.rsplit("/", 1)[-1] if own else name.replace("_", "-")
    scheme = URIRef(own or f"{vocab.uri_base()}/vocab/{slug}")
    vi, en = SCHEME_TITLES.get(name, (name, name))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCT.title, Literal(vi, lang=LANG_VI)))
    graph.add((scheme, DCT.title, Literal(en, lang=LANG_EN)))
    graph.add((scheme, SKOS.prefLabel, Literal(vi, lang=LANG_VI)))
    graph.add((scheme, SKOS.prefLabel, Literal(en, lang=LANG_EN)))
    for term in vocab.get(name):
        ref = URIRef(term.uri)
        graph.add((ref, RDF.type, SKOS.Concept))
        graph.add((ref, SKOS.inScheme, scheme))
        graph.add((ref, SKOS.notation, Literal(term.code)))
        graph.add((ref, SKOS.prefLabel, Literal(term.vi, lang=LANG_VI)))
        graph.add((ref, SKOS.prefLabel, Literal(term.en, lang=LANG_EN)))
        if scheme_uri(term.uri) != str(scheme):
            # An EU concept listed here: also in its own authority table.
            graph.add((ref, SKOS.inScheme, URIRef(scheme_uri(term.uri))))
        province = term.extra.get("province")
        if province:
            parent = vocab.term(name, province)
            if parent:
                graph.add((ref, SKOS.broader, URIRef(parent.uri)))
        else:
            graph.add((ref, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, ref))
        if term.extra.get("eu_theme"):
            graph.add((ref, SKOS.closeMatch, URIRef(vocab.eu_theme_uri(term))))
        access = term.extra.get("access_right")
        if access:
            right = vocab.term("access_right", access)
            if right:
                graph.add((ref, SKOS.relatedMatch, URIRef(right.uri)))
    return graph
