"""The ``nd47`` RDF profile, chained after ckanext-dcat's ``euro_dcat_ap_3``.

``euro_dcat_ap_3`` (which already contains the scheming support) writes the
graph first; this profile then adds what is Vietnamese and repairs what the
stock profile gets wrong, by replacing triples on the nodes of the dataset it
is serializing (never by scanning the whole graph, so a catalogue page costs
the same per dataset however large it is):

- vocabulary codes (themes, access rights, frequency, language, file type,
  licence, administrative units, sharing class, importance, database kind) are
  emitted as URIs, each typed ``skos:Concept`` with ``skos:prefLabel`` and
  ``skos:inScheme``; media types as IANA URIs typed ``dct:MediaType``;
- licences on the dataset and its distributions, typed ``dct:LicenseDocument``
  (the stock ``UnknownIPR`` type, not a ``skos:Concept``, is dropped);
- qualified attributions as ``prov:qualifiedAttribution``/``prov:agent`` (the
  stock profile writes ``dcat:`` terms but reads ``prov:``);
- spatial coverage with one geometry literal per property (GeoJSON, exact);
- the publisher as ``foaf:Agent`` whose ``dct:identifier`` is the agency
  electronic identifier.

``parse_dataset`` restores every field, codes included.

Where to extend it: what is added per distribution goes in
:meth:`Nd47DCATAPProfile._distribution`, per catalogue in
:meth:`Nd47DCATAPProfile.graph_from_catalog`. The profile keeps no state
between outputs: vocabulary descriptions are recognised in the graph itself,
and agencies are read afresh for every output (:func:`agencies_read_once`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import (
    ADMS,
    DCAT,
    DCATAP,
    DCT,
    FOAF,
    LOCN,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    XSD,
    RDFProfile,
)
from ckanext.dcat.utils import resource_uri
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.nd47 import vocab
from ckanext.nd47.dcat import services
from ckanext.nd47.dcat.iri import iri
from ckanext.nd47.dcat.terms import (
    LANG_EN,
    LANG_VI,
    OWN_PROPERTY,
    nd47_namespace,
    scheme_uri,
    term_by_uri,
)
from ckanext.nd47.text import as_list

__all__ = [
    "Nd47DCATAPProfile",
    "agencies_read_once",
    "agency",
    "nd47_namespace",
    "scheme_uri",
    "term_by_uri",
]

PROV = Namespace("http://www.w3.org/ns/prov#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
UNKNOWN_IPR = URIRef("http://purl.org/adms/licencetype/UnknownIPR")
GEOJSON = URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPDX_ALGORITHM = "http://spdx.org/rdf/terms#checksumAlgorithm_"

# English labels of the EU data-theme authority table (Publications Office,
# http://publications.europa.eu/resource/authority/data-theme); every concept
# we emit needs a skos:prefLabel (DCAT-AP 3 Category shape).
EU_THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}

# Classes a concept of each vocabulary also belongs to (DCAT-AP range rules).
_RANGE: dict[str, URIRef] = {
    "access_right": DCT.RightsStatement,
    "frequency": DCT.Frequency,
    "language": DCT.LinguisticSystem,
    "file_type": DCT.MediaTypeOrExtent,
    "admin_unit": DCT.Location,
}
# Dataset fields holding one code, emitted with our own properties.
_OWN_CODE_FIELDS = (
    ("sharing_class", "sharing_class", "sharingClass"),
    ("importance", "importance", "importance"),
    ("database_kind", "database_kind", "databaseKind"),
)
# Extras the stock parser leaves for fields this profile owns.
_OWNED_EXTRAS = {
    "theme",
    "language",
    "frequency",
    "access_rights",
    "alternate_identifier",
    "applicable_legislation",
    "source",
    "spatial",
    "spatial_uri",
    "spatial_text",
    "spatial_bbox",
    "spatial_centroid",
}


# The agencies read during the current output (a dataset, a catalogue page, a
# dump), when one is under way: each agency is read once per output and
# forgotten after it, so a renamed agency has its new name in the next output.
_AGENCIES: ContextVar[dict[str, dict[str, Any] | None] | None] = ContextVar(
    "nd47_dcat_agencies", default=None
)


@contextlib.contextmanager
def agencies_read_once() -> Iterator[None]:
    """Within this block each agency is read once (one output of many datasets)."""
    token = _AGENCIES.set({})
    try:
        yield
    finally:
        _AGENCIES.reset(token)


def agency(org_id: str) -> dict[str, Any] | None:
    """The agency as it is now (once per output, see :func:`agencies_read_once`)."""
    read = _AGENCIES.get()
    if read is not None and org_id in read:
        return read[org_id]
    try:
        org = tk.get_action("organization_show")(
            {"ignore_auth": True},
            {
                "id": org_id,
                # Only the agency's own fields: no Solr count, no members.
                "include_datasets": False,
                "include_dataset_count": False,
                "include_groups": False,
                "include_users": False,
                "include_followers": False,
                "include_member_count": False,
            },
        )
    except tk.ObjectNotFound:
        org = None
    if read is not None:
        read[org_id] = org
    return org


def _schema_has_field(field_name: str) -> bool:
    """Whether the ``dataset`` schema has a field (scheming's public action)."""
    schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})
    return any(f["field_name"] == field_name for f in schema.get("dataset_fields", []))


# Vocabularies are read-only data: the triples describing a term are built once
# per process (the key holds the term's URI, so another URI base is another key).
_TERM_TRIPLES: dict[tuple[str, vocab.Term], tuple[URIRef, tuple[Any, ...]]] = {}


def _concept_triples(name: str, term: vocab.Term) -> tuple[URIRef, tuple[Any, ...]]:
    """A vocabulary concept: ``skos:Concept`` in its scheme, labelled, and its range class."""
    key = (name, term)
    cached = _TERM_TRIPLES.get(key)
    if cached is None:
        ref = URIRef(term.uri)
        if term.uri.startswith(vocab.uri_base() + "/"):
            labels = {LANG_VI: term.vi, LANG_EN: term.en}
        else:
            # An EU authority concept: its English label is enough here (one
            # skos:prefLabel is what DCAT-AP needs); /vocab/ serves both.
            labels = {LANG_EN: term.en}
        triples = [(ref, RDF.type, SKOS.Concept)]
        if name in _RANGE:
            triples.append((ref, RDF.type, _RANGE[name]))
        triples.append((ref, SKOS.inScheme, URIRef(scheme_uri(term.uri))))
        # Labels last: Nd47DCATAPProfile._describe recognises the description by them.
        triples += [(ref, SKOS.prefLabel, Literal(t, lang=lang)) for lang, t in labels.items() if t]
        cached = _TERM_TRIPLES[key] = (ref, tuple(triples))
    return cached


def _eu_theme_triples(theme: vocab.Term) -> tuple[URIRef, tuple[Any, ...]]:
    """The EU data theme a theme maps to, as a concept with its English label."""
    key = ("eu_theme", theme)
    cached = _TERM_TRIPLES.get(key)
    if cached is None:
        eu_code = theme.extra["eu_theme"]
        ref = URIRef(vocab.eu_theme_uri(theme))
        triples = (
            (ref, RDF.type, SKOS.Concept),
            (ref, SKOS.inScheme, URIRef(scheme_uri(str(ref)))),
            (ref, SKOS.prefLabel, Literal(EU_THEME_LABELS.get(eu_code, eu_code), lang=LANG_EN)),
        )
        cached = _TERM_TRIPLES[key] = (ref, triples)
    return cached


def _licence_triples(term: vocab.Term) -> tuple[URIRef, tuple[Any, ...]]:
    """A licence: ``dct:LicenseDocument`` with its vi and en titles."""
    key = ("licenses", term)
    cached = _TERM_TRIPLES.get(key)
    if cached is None:
        ref = URIRef(term.uri)
        triples = (
            (ref, RDF.type, DCT.LicenseDocument),
            (ref, DCT.title, Literal(term.vi, lang=LANG_VI)),
            (ref, DCT.title, Literal(term.en, lang=LANG_EN)),
        )
        cached = _TERM_TRIPLES[key] = (ref, triples)
    return cached


class Nd47DCATAPProfile(RDFProfile):
    """Vietnamese DCAT-AP 3 profile; chain it after ``euro_dcat_ap_3``."""

    # ------------------------------------------------------------------ output

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        g = self.g
        nd47 = nd47_namespace()
        g.bind("nd47", nd47)
        g.bind("prov", PROV)
        g.bind("eli", ELI)

        self._texts(dataset_ref, DCT.title, dataset_dict.get("title"), dataset_dict.get("title_en"))
        self._texts(
            dataset_ref, DCT.description, dataset_dict.get("notes"), dataset_dict.get("notes_en")
        )

        # Themes: our concept and the EU data theme it maps to.
        g.remove((dataset_ref, DCAT.theme, None))
        for code in as_list(dataset_dict.get("theme")):
            theme = vocab.term("themes", code)
            if not theme:
                continue
            g.add((dataset_ref, DCAT.theme, self._concept("themes", theme)))
            if theme.extra.get("eu_theme"):
                eu_ref, triples = _eu_theme_triples(theme)
                self._describe(triples)
                g.add((dataset_ref, DCAT.theme, eu_ref))

        # Access rights: from the field, else from the sharing class.
        self._remove_objects(dataset_ref, DCT.accessRights)
        access = dataset_dict.get("access_rights")
        if not access:
            sharing = vocab.term("sharing_class", dataset_dict.get("sharing_class"))
            access = sharing.extra.get("access_right") if sharing else None
        self._code_triple(dataset_ref, DCT.accessRights, "access_right", access)

        self._remove_objects(dataset_ref, DCT.accrualPeriodicity)
        self._code_triple(
            dataset_ref, DCT.accrualPeriodicity, "frequency", dataset_dict.get("frequency")
        )
        g.remove((dataset_ref, DCT.language, None))
        for code in as_list(dataset_dict.get("language")):
            self._code_triple(dataset_ref, DCT.language, "language", code)

        for field, name, prop in _OWN_CODE_FIELDS:
            self._code_triple(dataset_ref, nd47[prop], name, dataset_dict.get(field))
        if dataset_dict.get("personal_data_reviewed") not in (None, ""):
            reviewed = tk.asbool(dataset_dict["personal_data_reviewed"])
            g.add((dataset_ref, nd47.personalDataReviewed, Literal(reviewed)))

        licence_ref = self._licence(dataset_dict.get("license_id"))
        if licence_ref is not None:
            g.add((dataset_ref, DCT.license, licence_ref))

        self._publisher(dataset_dict, dataset_ref)
        self._spatial(dataset_dict, dataset_ref)
        self._legal_basis(dataset_dict, dataset_ref, nd47)
        self._identifiers(dataset_dict, dataset_ref)
        self._attributions(dataset_ref)

        if dataset_dict.get("master_source"):
            # A database of the register: its URI (a concept of the register scheme).
            g.remove((dataset_ref, DCT.source, None))
            master = vocab.term("master_database", dataset_dict["master_source"])
            source = self._concept("master_database", master) if master else None
            g.add((dataset_ref, PROV.wasDerivedFrom, source or iri(dataset_dict["master_source"])))
        plan_item = dataset_dict.get("plan_item")
        if plan_item:
            g.add((dataset_ref, nd47.planItem, Literal(plan_item)))

        for resource_dict in dataset_dict.get("resources", []):
            self._distribution(resource_dict, licence_ref)
        services.graph_from_dataset(self, dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        g = self.g
        config = tk.config
        catalog_dict = catalog_dict or {}
        self._texts(
            catalog_ref,
            DCT.title,
            catalog_dict.get("title") or config.get("ckan.site_title"),
            config.get("ckanext.nd47.dcat.catalog_title_en"),
        )
        self._texts(
            catalog_ref,
            DCT.description,
            catalog_dict.get("description")
            or config.get("ckan.site_description")
            or config.get("ckanext.nd47.dcat.catalog_description"),
            config.get("ckanext.nd47.dcat.catalog_description_en"),
        )
        g.remove((catalog_ref, DCT.language, None))
        for code in tk.aslist(config.get("ckanext.nd47.dcat.catalog_languages")):
            self._code_triple(catalog_ref, DCT.language, "language", code)
        licence_ref = self._licence(config.get("ckanext.nd47.dcat.catalog_license"))
        if licence_ref is not None:
            g.add((catalog_ref, DCT.license, licence_ref))
        homepage = config.get("ckan.site_url")
        if homepage:
            g.add((URIRef(homepage), RDF.type, FOAF.Document))

        publisher = URIRef(
            config.get("ckanext.nd47.dcat.catalog_publisher_uri") or vocab.uri_base() + "/"
        )
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        name = config.get("ckanext.nd47.dcat.catalog_publisher_name") or config.get(
            "ckan.site_title"
        )
        g.add((publisher, FOAF.name, Literal(name, lang=LANG_VI)))
        identifier = config.get("ckanext.nd47.dcat.catalog_publisher_identifier")
        if identifier:
            g.add((publisher, DCT.identifier, Literal(identifier)))

        g.remove((catalog_ref, DCT.spatial, None))
        self._code_triple(catalog_ref, DCT.spatial, "admin_unit", vocab.COUNTRY_CODE)

        themes = vocab.get("themes")
        if themes:
            own = URIRef(scheme_uri(themes[0].uri))
            g.add((catalog_ref, DCAT.themeTaxonomy, own))
            g.add((own, RDF.type, SKOS.ConceptScheme))
            g.add((own, DCT.title, Literal("Chủ đề dữ liệu mở", lang=LANG_VI)))
            g.add((own, DCT.title, Literal("Open data themes", lang=LANG_EN)))
            eu = URIRef(scheme_uri(vocab.eu_theme_uri(themes[0])))
            g.add((catalog_ref, DCAT.themeTaxonomy, eu))
            g.add((eu, RDF.type, SKOS.ConceptScheme))
            g.add((eu, DCT.title, Literal("Data theme", lang=LANG_EN)))

    # helpers (output)

    def _texts(self, subject: Node, predicate: URIRef, vi: Any, en: Any) -> None:
        """Replace a text property by its vi literal and, if any, its en literal."""
        if not vi and not en:
            return
        self.g.remove((subject, predicate, None))
        if vi:
            self.g.add((subject, predicate, Literal(vi, lang=LANG_VI)))
        if en:
            self.g.add((subject, predicate, Literal(en, lang=LANG_EN)))

    def _remove_objects(self, subject: Node, predicate: URIRef) -> None:
        """Remove ``subject predicate ?o`` and the blank nodes it pointed to."""
        for obj in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, obj))
            if isinstance(obj, BNode):
                self.g.remove((obj, None, None))

    def _describe(self, triples: tuple[tuple[Node, Node, Node], ...]) -> None:
        """Add the constant description ``triples`` of a term once per graph.

        A catalogue page repeats the same concepts in every dataset (and a
        dataset in every distribution); adding them again changes nothing.
        The last triple, a label only this profile writes, tells that the
        description is already there.
        """
        g = self.g
        if triples[-1] in g:
            return
        for triple in triples:
            g.add(triple)

    def _typed_concept(self, ref: URIRef, scheme: str, labels: dict[str, str]) -> None:
        triples = [(ref, RDF.type, SKOS.Concept), (ref, SKOS.inScheme, URIRef(scheme))]
        for lang, text in labels.items():
            if text:
                triples.append((ref, SKOS.prefLabel, Literal(text, lang=lang)))
        for triple in triples:
            self.g.add(triple)

    def _external_concept(self, ref: URIRef) -> None:
        """Type a concept of a table we do not carry (labelled by its code)."""
        self._typed_concept(ref, scheme_uri(str(ref)), {})
        if (ref, SKOS.prefLabel, None) not in self.g:
            self.g.add((ref, SKOS.prefLabel, Literal(str(ref).rstrip("/").rsplit("/", 1)[-1])))

    def _concept(self, name: str, term: vocab.Term) -> URIRef:
        ref, triples = _concept_triples(name, term)
        self._describe(triples)
        return ref

    def _code_triple(self, subject: Node, predicate: URIRef, name: str, code: Any) -> None:
        term = vocab.term(name, code) if isinstance(code, str) else None
        if term:
            self.g.add((subject, predicate, self._concept(name, term)))

    def _licence(self, license_id: str | None) -> URIRef | None:
        term = vocab.term("licenses", license_id)
        if not term:
            return None
        ref, triples = _licence_triples(term)
        self._describe(triples)
        return ref

    def _publisher(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        org_id = (dataset_dict.get("organization") or {}).get("id") or dataset_dict.get("owner_org")
        if not org_id:
            return
        # Read here, not taken from the stock profile (whose copy is kept for
        # the life of the process): the name is the agency's name now.
        org = agency(org_id)
        if org is None:
            return
        g = self.g
        for publisher in list(g.objects(dataset_ref, DCT.publisher)):
            g.remove((publisher, FOAF.name, None))
            g.remove((publisher, DCT.identifier, None))
            g.add((publisher, RDF.type, FOAF.Agent))
            g.add((publisher, FOAF.name, Literal(org.get("title") or org["name"], lang=LANG_VI)))
            if org.get("title_en"):
                g.add((publisher, FOAF.name, Literal(org["title_en"], lang=LANG_EN)))
            if org.get("agency_identifier"):
                g.add((publisher, DCT.identifier, Literal(org["agency_identifier"])))
            # The agency level as the publisher's type (DCAT-AP recommends dct:type).
            level = vocab.term("agency_level", org.get("agency_level"))
            if level:
                g.remove((publisher, DCT.type, None))
                g.add((publisher, DCT.type, self._concept("agency_level", level)))

    def _spatial(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """Administrative units as concept URIs; locations with one GeoJSON per geometry."""
        g = self.g
        self._remove_objects(dataset_ref, DCT.spatial)
        for code in as_list(dataset_dict.get("admin_units")):
            self._code_triple(dataset_ref, DCT.spatial, "admin_unit", str(code))
        for item in as_list(dataset_dict.get("spatial_coverage")):
            if not isinstance(item, dict) or not any(item.values()):
                continue
            ref: Node = iri(item["uri"]) if item.get("uri") else BNode()
            g.add((dataset_ref, DCT.spatial, ref))
            g.add((ref, RDF.type, DCT.Location))
            if item.get("text"):
                g.add((ref, SKOS.prefLabel, Literal(item["text"])))
            for key, predicate in (
                ("geom", LOCN.geometry),
                ("bbox", DCAT.bbox),
                ("centroid", DCAT.centroid),
            ):
                # One literal per geometry property (DCAT-AP Location shape).
                g.remove((ref, predicate, None))
                value = item.get(key)
                if isinstance(value, dict):
                    value = json.dumps(value)
                if value:
                    g.add((ref, predicate, Literal(value, datatype=GEOJSON)))

    def _legal_basis(
        self, dataset_dict: dict[str, Any], dataset_ref: Node, nd47: Namespace
    ) -> None:
        """Legal basis as ``eli:LegalResource`` nodes under ``nd47:legalBasis``.

        Those with a URL are also ``dcatap:applicableLegislation``, which
        DCAT-AP 3 requires to be an IRI.
        """
        g = self.g
        for item in as_list(dataset_dict.get("legal_basis")):
            if not isinstance(item, dict) or not item.get("number"):
                continue
            ref: Node = iri(item["url"]) if item.get("url") else BNode()
            g.add((dataset_ref, nd47.legalBasis, ref))
            g.add((ref, RDF.type, ELI.LegalResource))
            g.add((ref, ELI.id_local, Literal(item["number"])))
            if item.get("issued"):
                g.add((ref, ELI.date_document, Literal(item["issued"], datatype=XSD.date)))
            if item.get("title"):
                g.add((ref, ELI.title, Literal(item["title"], lang=LANG_VI)))
            if isinstance(ref, URIRef):
                g.add((dataset_ref, DCATAP.applicableLegislation, ref))

    def _identifiers(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """One ``adms:Identifier`` per alternate identifier (URI when it is one)."""
        self._remove_objects(dataset_ref, ADMS.identifier)
        g = self.g
        for value in as_list(dataset_dict.get("alternate_identifier")):
            node = BNode()
            g.add((dataset_ref, ADMS.identifier, node))
            g.add((node, RDF.type, ADMS.Identifier))
            g.add((node, SKOS.notation, Literal(value)))

    def _attributions(self, dataset_ref: Node) -> None:
        """Rewrite the stock ``dcat:qualifiedAttribution`` as PROV, which it reads back."""
        g = self.g
        for attribution in list(g.objects(dataset_ref, DCAT.qualifiedAttribution)):
            g.remove((dataset_ref, DCAT.qualifiedAttribution, attribution))
            g.add((dataset_ref, PROV.qualifiedAttribution, attribution))
            g.remove((attribution, RDF.type, DCAT.Attribution))
            g.add((attribution, RDF.type, PROV.Attribution))
            for agent in list(g.objects(attribution, DCAT.agent)):
                g.remove((attribution, DCAT.agent, agent))
                g.add((attribution, PROV.agent, agent))
            for role in g.objects(attribution, DCAT.hadRole):
                g.add((role, RDF.type, DCAT.Role))
            for agent in g.objects(attribution, PROV.agent):
                for agent_type in g.objects(agent, DCT.type):
                    if isinstance(agent_type, URIRef):
                        self._external_concept(agent_type)

    def _distribution(self, resource_dict: dict[str, Any], licence_ref: URIRef | None) -> None:
        g = self.g
        dist = URIRef(resource_uri(resource_dict))
        self._texts(dist, DCT.title, resource_dict.get("name"), resource_dict.get("name_en"))
        self._texts(
            dist,
            DCT.description,
            resource_dict.get("description"),
            resource_dict.get("description_en"),
        )

        # Licence: the resource's own code, else the dataset's; the stock profile
        # writes the code as a literal and types every licence UnknownIPR.
        for lic in list(g.objects(dist, DCT.license)):
            g.remove((dist, DCT.license, lic))
            g.remove((lic, DCT.type, UNKNOWN_IPR))
        own_licence = self._licence(resource_dict.get("license"))
        if own_licence is not None or licence_ref is not None:
            g.add((dist, DCT.license, own_licence if own_licence is not None else licence_ref))

        self._remove_objects(dist, ADMS.status)
        self._code_triple(dist, ADMS.status, "status", resource_dict.get("status"))
        for availability in g.objects(dist, DCATAP.availability):
            if isinstance(availability, URIRef):
                self._external_concept(availability)

        file_type = vocab.term("file_type", (resource_dict.get("format") or "").upper())
        mimetype = resource_dict.get("mimetype") or (
            file_type.extra.get("mimetype") if file_type else None
        )
        if file_type:
            g.remove((dist, DCT["format"], None))
            g.add((dist, DCT["format"], self._concept("file_type", file_type)))
        if mimetype:
            g.remove((dist, DCAT.mediaType, None))
            media_ref = iri(IANA_MEDIA_TYPES + mimetype.strip())
            g.add((dist, DCAT.mediaType, media_ref))
            g.add((media_ref, RDF.type, DCT.MediaType))

        # dcat:accessURL is mandatory; the stock profile omits it when url == download_url.
        if (dist, DCAT.accessURL, None) not in g:
            url = resource_dict.get("download_url") or resource_dict.get("url")
            if url:
                g.add((dist, DCAT.accessURL, iri(url)))

        languages = as_list(resource_dict.get("language"))
        if languages:
            g.remove((dist, DCT.language, None))
            for code in languages:
                self._code_triple(dist, DCT.language, "language", code)

        for checksum in list(g.objects(dist, SPDX.checksum)):
            algorithm = str(resource_dict.get("hash_algorithm") or "")
            g.remove((checksum, SPDX.algorithm, None))
            if algorithm:
                if not algorithm.startswith(("http://", "https://")):
                    algorithm = SPDX_ALGORITHM + algorithm.lower().replace("-", "")
                algo_ref = iri(algorithm)
                g.add((checksum, SPDX.algorithm, algo_ref))
                g.add((algo_ref, RDF.type, SPDX.ChecksumAlgorithm))
            else:
                # DCAT-AP requires the algorithm; a bare value cannot be checked.
                g.remove((dist, SPDX.checksum, checksum))
                g.remove((checksum, None, None))

    # ------------------------------------------------------------------- parse

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        g = self.g
        # Our properties under whichever portal's namespace published them.
        nd47: dict[str, URIRef] = dict(
            (m.group(1), p)
            for p in set(g.predicates(dataset_ref))
            if isinstance(p, URIRef) and (m := OWN_PROPERTY.search(str(p)))
        )
        local = nd47_namespace()
        for name in ("sharingClass", "importance", "databaseKind", "personalDataReviewed"):
            nd47.setdefault(name, local[name])
        for name in ("planItem", "legalBasis"):
            nd47.setdefault(name, local[name])
        extras = [e for e in dataset_dict.get("extras", []) if e["key"] not in _OWNED_EXTRAS]
        dataset_dict["extras"] = extras
        for key in _OWNED_EXTRAS:
            dataset_dict.pop(key, None)

        for key, key_en, predicate in (
            ("title", "title_en", DCT.title),
            ("notes", "notes_en", DCT.description),
        ):
            vi, en = self._lang_values(dataset_ref, predicate)
            if vi is not None:
                dataset_dict[key] = vi
            if en is not None:
                dataset_dict[key_en] = en

        themes = self._codes(dataset_ref, DCAT.theme, "themes")
        if themes:
            dataset_dict["theme"] = themes
        for key, predicate, name in (
            ("access_rights", DCT.accessRights, "access_right"),
            ("frequency", DCT.accrualPeriodicity, "frequency"),
        ):
            codes = self._codes(dataset_ref, predicate, name)
            if codes:
                dataset_dict[key] = codes[0]
        languages = self._codes(dataset_ref, DCT.language, "language")
        if languages:
            dataset_dict["language"] = languages
        for field, name, prop in _OWN_CODE_FIELDS:
            codes = self._codes(dataset_ref, nd47[prop], name)
            if codes:
                dataset_dict[field] = codes[0]
        reviewed = g.value(dataset_ref, nd47["personalDataReviewed"])
        if reviewed is not None:
            dataset_dict["personal_data_reviewed"] = bool(reviewed.toPython())
        plan_item = g.value(dataset_ref, nd47["planItem"])
        if plan_item is not None:
            dataset_dict["plan_item"] = str(plan_item)
        master = g.value(dataset_ref, PROV.wasDerivedFrom)
        if master is not None:
            register = term_by_uri("master_database", str(master))
            dataset_dict["master_source"] = register.code if register else str(master)

        licence = self._licence_id(dataset_ref)
        if licence:
            dataset_dict["license_id"] = licence

        self._parse_spatial(dataset_dict, dataset_ref)
        self._parse_legal_basis(dataset_dict, dataset_ref, nd47)

        identifiers = []
        for node in g.objects(dataset_ref, ADMS.identifier):
            notation = g.value(node, SKOS.notation)
            identifiers.append(str(notation) if notation is not None else str(node))
        if identifiers:
            dataset_dict["alternate_identifier"] = sorted(identifiers)

        for resource_dict in dataset_dict.get("resources", []):
            self._parse_distribution(resource_dict, licence)
            services.parse_services(self, resource_dict, self._distribution_node(resource_dict))
        # The stock profile falls back to the CKAN id for dct:identifier; that
        # id is not a value of the identifier field.
        if (
            isinstance(dataset_ref, URIRef)
            and dataset_dict.get("identifier") == str(dataset_ref).rstrip("/").rsplit("/", 1)[-1]
        ):
            dataset_dict.pop("identifier")
        # The publisher is the owner organization, set by whoever imports the dataset.
        if not _schema_has_field("publisher"):
            dataset_dict.pop("publisher", None)
        return dataset_dict

    # helpers (parse)

    def _lang_values(self, subject: Node, predicate: URIRef) -> tuple[str | None, str | None]:
        vi = en = plain = None
        for value in self.g.objects(subject, predicate):
            if not isinstance(value, Literal):
                continue
            if value.language == LANG_EN:
                en = str(value)
            elif value.language == LANG_VI:
                vi = str(value)
            elif plain is None:
                plain = str(value)
        return (vi if vi is not None else plain), en

    def _codes(self, subject: Node, predicate: URIRef, name: str) -> list[str]:
        codes = []
        for obj in self.g.objects(subject, predicate):
            term = term_by_uri(name, str(obj))
            if term and term.code not in codes:
                codes.append(term.code)
        return sorted(codes)

    def _licence_id(self, dataset_ref: Node) -> str | None:
        candidates = list(self.g.objects(dataset_ref, DCT.license))
        for dist in self.g.objects(dataset_ref, DCAT.distribution):
            candidates.extend(self.g.objects(dist, DCT.license))
        for ref in candidates:
            term = term_by_uri("licenses", str(ref))
            if term:
                return term.code
        return None

    def _parse_spatial(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        g = self.g
        units, coverage = [], []
        for ref in g.objects(dataset_ref, DCT.spatial):
            term = term_by_uri("admin_unit", str(ref)) if isinstance(ref, URIRef) else None
            if term:
                units.append(term.code)
                continue
            item = {"uri": str(ref) if isinstance(ref, URIRef) else ""}
            label = g.value(ref, SKOS.prefLabel) or g.value(ref, RDFS.label)
            if label is not None:
                item["text"] = str(label)
            for key, predicate in (
                ("geom", LOCN.geometry),
                ("bbox", DCAT.bbox),
                ("centroid", DCAT.centroid),
            ):
                value = self._geometry(ref, predicate)
                if value:
                    item[key] = value
            if any(item.values()):
                coverage.append(item)
        if units:
            dataset_dict["admin_units"] = sorted(units)
        if coverage:
            dataset_dict["spatial_coverage"] = coverage
        else:
            dataset_dict.pop("spatial_coverage", None)

    def _geometry(self, ref: Node, predicate: URIRef) -> str | None:
        """GeoJSON of a geometry, exact when published as GeoJSON, else from WKT."""
        wkt_value = None
        for value in self.g.objects(ref, predicate):
            if not isinstance(value, Literal):
                continue
            if value.datatype == GEOJSON or value.datatype is None:
                try:
                    json.loads(str(value))
                except ValueError:
                    continue
                return str(value)
            wkt_value = str(value)
        if wkt_value:
            from geomet import wkt

            try:
                return json.dumps(wkt.loads(wkt_value))
            except (ValueError, TypeError):
                return None
        return None

    def _parse_legal_basis(
        self, dataset_dict: dict[str, Any], dataset_ref: Node, nd47: dict[str, URIRef]
    ) -> None:
        g = self.g
        items, own_urls = [], set()
        for ref in g.objects(dataset_ref, nd47["legalBasis"]):
            item = {"number": str(g.value(ref, ELI.id_local) or "")}
            issued = g.value(ref, ELI.date_document)
            if issued is not None:
                item["issued"] = str(issued)
            title = g.value(ref, ELI.title)
            if title is not None:
                item["title"] = str(title)
            if isinstance(ref, URIRef):
                item["url"] = str(ref)
                own_urls.add(str(ref))
            items.append(item)
        if items:
            dataset_dict["legal_basis"] = sorted(items, key=lambda i: i["number"])
        others = [
            str(o)
            for o in g.objects(dataset_ref, DCATAP.applicableLegislation)
            if str(o) not in own_urls
        ]
        if others:
            dataset_dict["applicable_legislation"] = sorted(others)

    @staticmethod
    def _distribution_node(resource_dict: dict[str, Any]) -> Node:
        return (
            URIRef(resource_dict["distribution_ref"])
            if resource_dict.get("distribution_ref", "").startswith(("http", "urn"))
            else BNode(resource_dict.get("distribution_ref", ""))
        )

    def _parse_distribution(self, resource_dict: dict[str, Any], licence: str | None) -> None:
        g = self.g
        dist = self._distribution_node(resource_dict)
        for key, key_en, predicate in (
            ("name", "name_en", DCT.title),
            ("description", "description_en", DCT.description),
        ):
            vi, en = self._lang_values(dist, predicate)
            if vi is not None:
                resource_dict[key] = vi
            if en is not None:
                resource_dict[key_en] = en
        formats = self._codes(dist, DCT["format"], "file_type")
        if formats:
            resource_dict["format"] = formats[0]
        media = g.value(dist, DCAT.mediaType)
        if media is not None:
            resource_dict["mimetype"] = str(media).replace(IANA_MEDIA_TYPES, "")
        languages = self._codes(dist, DCT.language, "language")
        if languages:
            resource_dict["language"] = languages
        for checksum in g.objects(dist, SPDX.checksum):
            algorithm = g.value(checksum, SPDX.algorithm)
            if algorithm is not None:
                resource_dict["hash_algorithm"] = str(algorithm)
        statuses = self._codes(dist, ADMS.status, "status")
        if statuses:
            resource_dict["status"] = statuses[0]
        licences = [term_by_uri("licenses", str(o)) for o in g.objects(dist, DCT.license)]
        own = next((t.code for t in licences if t), None)
        if own and own != licence:
            resource_dict["license"] = own
        else:
            resource_dict.pop("license", None)
        # The accessURL we add when only a download URL exists is not a field value.
        if resource_dict.get("access_url") and resource_dict.get("access_url") == resource_dict.get(
            "download_url"
        ):
            resource_dict.pop("access_url")
