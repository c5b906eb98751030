"""DCAT parsing of arbitrary literals: datasets or a parse error, never a crash in our profile."""

from __future__ import annotations

import pytest
from ckanext.dcat.processors import RDFParser, RDFParserException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from ckanext.nd47.dcat.profile import PROV
from ckanext.nd47.dcat.terms import nd47_namespace
from tests.dcat.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

PROFILES = ["euro_dcat_ap_3", "nd47"]
ADMS = Namespace("http://www.w3.org/ns/adms#")
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet='"<>{}|`\\^ \n:/#%.\u0301-0123456789TZ', max_size=25),
    st.sampled_from(["", "2026-13-45", "2026-02-30T25:61:00", "NaN", "-1e309", "mo", "y-te"]),
)
IRI = st.builds(
    lambda path: URIRef(f"https://example.org/{path}"),
    st.text(alphabet="abcdefghij0123456789-_/.~", max_size=20),
)
VALUE = st.one_of(
    TEXT.map(Literal),
    st.builds(Literal, TEXT, lang=st.sampled_from(["vi", "en"])),
    st.builds(
        lambda text, datatype: Literal(text, datatype=datatype),
        TEXT,
        st.sampled_from([XSD.dateTime, XSD.date, XSD.decimal, XSD.integer, XSD.boolean]),
    ),
    IRI,
    st.just(BNode()),
)


def _predicates() -> list[URIRef]:
    nd47 = nd47_namespace()
    return [
        DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.issued,
        DCTERMS.modified, DCTERMS.spatial, DCTERMS.temporal, DCTERMS.accessRights,
        DCTERMS.license, DCTERMS.language, DCTERMS.publisher, DCTERMS.conformsTo,
        DCTERMS.accrualPeriodicity, DCTERMS.type, DCAT.keyword, DCAT.theme,
        DCAT.landingPage, DCAT.contactPoint, DCAT.temporalResolution,
        DCAT.spatialResolutionInMeters, ADMS.identifier, PROV.wasDerivedFrom,
        nd47["personalDataReviewed"], nd47["planItem"], nd47["legalBasis"],
    ]  # fmt: skip


def test_any_literals_parse_to_datasets_or_a_parse_error():
    predicates = _predicates()

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(st.tuples(st.sampled_from(predicates), VALUE), max_size=12))
    def check(triples: list[tuple[URIRef, object]]) -> None:
        graph = Graph()
        dataset = URIRef("https://example.org/dataset/1")
        graph.add((dataset, RDF.type, DCAT.Dataset))
        for predicate, value in triples:
            graph.add((dataset, predicate, value))
        parser = RDFParser(profiles=PROFILES)
        try:
            parser.parse(graph.serialize(format="nt"), _format="nt")
        except RDFParserException:
            return
        for parsed in parser.datasets():
            assert isinstance(parsed, dict)

    check()
