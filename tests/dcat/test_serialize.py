"""Guarantees of every DCAT output: no private, draft, deleted or non-open dataset;
stable order; paging and ``modified_since``."""

from __future__ import annotations

from typing import Any

import pytest
import rdflib
from ckan.tests import factories, helpers

from tests.dcat.conftest import PLUGINS
from tests.dcat.shacl import violations

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _datasets_in(body: str, fmt: str) -> list[str]:
    graph = rdflib.Graph().parse(data=body, format=FORMATS[fmt])
    return sorted(str(s) for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset))


@pytest.fixture
def hidden(make_agency: Any, make_dataset: Any, sysadmin_user: dict[str, Any]) -> dict[str, Any]:
    """One public open dataset and one of each kind that must never be published."""
    agency = make_agency()
    public = make_dataset(agency["id"], name="cong-khai", title="Dữ liệu công khai")
    private = make_dataset(agency["id"], name="rieng-tu", title="Bí mật riêng tư", private=True)
    draft = make_dataset(agency["id"], name="ban-nhap", title="Bản nháp chưa xong", state="draft")
    deleted = make_dataset(agency["id"], name="da-xoa", title="Đã xóa khỏi cổng")
    helpers.call_action("package_delete", {"user": sysadmin_user["name"]}, id=deleted["id"])
    shared = make_dataset(
        agency["id"],
        name="dung-chung",
        title="Dữ liệu dùng chung nội bộ",
        sharing_class="dung-chung",
        access_rights="RESTRICTED",
    )
    return {
        "agency": agency,
        "public": public,
        "never": [private, draft, deleted, shared],
    }


def _assert_no_leak(body: str, never: list[dict[str, Any]]) -> None:
    for dataset in never:
        for value in (dataset["id"], dataset["name"], dataset["title"]):
            assert value not in body, value


def test_no_private_draft_deleted_or_shared_dataset_in_any_output(
    app: Any, hidden: dict[str, Any], sysadmin_user: dict[str, Any]
) -> None:
    token = factories.APIToken(user=sysadmin_user["name"])["token"]
    never = hidden["never"]
    # Anonymous and sysadmin alike: the feed is public data only.
    for headers in ({}, {"Authorization": token}):
        for fmt in FORMATS:
            for url in (
                f"/catalog.{fmt}",
                f"/catalog.{fmt}?page=1",
                f"/catalog.{fmt}?modified_since=2000-01-01",
                f"/catalog.{fmt}?q=*:*&fq=state:draft",
                f"/catalog.{fmt}?fq=capacity:private",
            ):
                body = app.get(url, headers=headers).get_data(as_text=True)
                _assert_no_leak(body, never)
                if "fq=" not in url:
                    assert hidden["public"]["id"] in body, url
            for dataset in never:
                for ref in (dataset["id"], dataset["name"]):
                    response = app.get(f"/dataset/{ref}.{fmt}", headers=headers)
                    # Not found, as for a missing dataset: its existence is not told.
                    assert response.status_code == 404, (ref, fmt)
                    # The error page repeats the requested URL, nothing else.
                    assert dataset["title"] not in response.get_data(as_text=True)
    for action in ("dcat_catalog_show", "dcat_catalog_search"):
        body = helpers.call_action(action, {"user": sysadmin_user["name"]}, format="ttl", q="*:*")
        _assert_no_leak(body, never)


def test_catalogue_page_conforms_and_describes_the_catalogue(
    app: Any, hidden: dict[str, Any]
) -> None:
    body = app.get("/catalog.ttl").get_data(as_text=True)
    assert violations(body) == []
    graph = rdflib.Graph().parse(data=body, format="turtle")
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    (catalog,) = list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
    assert {t.language for t in graph.objects(catalog, DCT.title)} == {"vi", "en"}
    assert graph.value(catalog, DCT.publisher) is not None
    assert graph.value(catalog, DCT.license) is not None
    assert len(list(graph.objects(catalog, DCAT.themeTaxonomy))) == 2
    assert {str(o).rsplit("/", 1)[-1] for o in graph.objects(catalog, DCT.language)} == {
        "VIE",
        "ENG",
    }


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_paging_is_stable_and_complete(app: Any, make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    created = [make_dataset(agency["id"], name=f"bo-du-lieu-{i}") for i in range(5)]
    # Editing a dataset must not move it between pages.
    helpers.call_action(
        "package_patch", {"ignore_auth": True}, id=created[0]["id"], notes="Sửa đổi"
    )

    def page(n: int) -> list[str]:
        return _datasets_in(app.get(f"/catalog.ttl?page={n}").get_data(as_text=True), "ttl")

    pages = [page(1), page(2), page(3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    seen = [uri for p in pages for uri in p]
    assert len(set(seen)) == 5
    assert {uri.rsplit("/", 1)[-1] for uri in seen} == {d["id"] for d in created}
    # Pages are in creation order, the same on every request.
    order = [d["id"] for d in created]
    firsts = [p[0].rsplit("/", 1)[-1] for p in pages]
    assert [order.index(i) for i in firsts] == sorted(order.index(i) for i in firsts)
    assert pages == [page(1), page(2), page(3)]


def _last_modified(dataset_id: str, when: str) -> None:
    """Give a dataset the modification time ``when`` and index it again.

    Set in the database rather than with freezegun: CKAN 2.11's package_create
    leaves ``metadata_modified`` to the column's default, bound to the real
    clock when CKAN was imported, so a frozen clock does not reach it.
    """
    import datetime

    from ckan import model
    from ckan.lib.search import rebuild

    model.Session.query(model.Package).filter_by(id=dataset_id).update(
        {"metadata_modified": datetime.datetime.fromisoformat(when)}
    )
    model.Session.commit()
    rebuild(dataset_id)


def test_modified_since(app: Any, make_agency: Any, make_dataset: Any) -> None:
    agency = make_agency()
    old = make_dataset(agency["id"], name="cu")
    new = make_dataset(agency["id"], name="moi")
    _last_modified(old["id"], "2025-01-10T08:00:00")
    _last_modified(new["id"], "2025-03-01T08:00:00")
    for since, expected in (
        ("2025-02-01T00:00:00", [new["id"]]),
        ("2025-03-01T08:00:00", [new["id"]]),
        ("2025-03-01T08:00:01", []),
        ("2025-01-01", sorted([old["id"], new["id"]])),
    ):
        body = app.get(f"/catalog.ttl?modified_since={since}").get_data(as_text=True)
        ids = sorted(uri.rsplit("/", 1)[-1] for uri in _datasets_in(body, "ttl"))
        assert ids == expected, since
    assert app.get("/catalog.ttl?modified_since=not-a-date").status_code == 409


def test_catalogue_page_equals_the_stock_page_construction(
    make_agency: Any, make_dataset: Any
) -> None:
    """Building the page from one graph per dataset changes nothing in the output."""
    from ckanext.dcat.processors import RDFSerializer
    from rdflib.compare import isomorphic

    from ckanext.nd47.dcat import serialize

    agency = make_agency()
    dicts = [
        helpers.call_action("package_show", id=make_dataset(agency["id"], name=f"trang-{i}")["id"])
        for i in range(3)
    ]
    ours = rdflib.Graph().parse(data=serialize.serialize_catalog(dicts, "ttl"), format="turtle")
    stock = rdflib.Graph().parse(
        data=RDFSerializer(profiles=["euro_dcat_ap_3", "nd47"]).serialize_catalog(
            {}, dicts, _format="ttl"
        ),
        format="turtle",
    )
    assert isomorphic(ours, stock)
    XSD = rdflib.namespace.XSD
    sizes = list(ours.objects(None, DCAT.byteSize))
    assert len(sizes) == 3 and all(s.datatype == XSD.nonNegativeInteger for s in sizes)


def test_turtle_is_byte_for_byte_rdflibs(make_agency: Any, make_dataset: Any) -> None:
    """The memoized Turtle serializer writes what ``graph.serialize`` writes, also
    when its memo already holds the URIs (second pass) and on a page graph."""
    from ckanext.nd47.dcat import serialize
    from ckanext.nd47.dcat.turtle import serialize_turtle

    agency = make_agency()
    dicts = [
        helpers.call_action("package_show", id=make_dataset(agency["id"], name=f"rua-{i}")["id"])
        for i in range(2)
    ]
    for _ in range(2):
        for dataset in dicts:
            expected, _ref = serialize.dataset_graph(serialize.serializer(), dataset)
            graph, _ref = serialize.dataset_graph(serialize.serializer(), dataset)
            assert serialize_turtle(graph) == expected.serialize(format="turtle", encoding="utf-8")
    page = serialize.catalog_graph(dicts)
    expected_page = page.serialize(format="turtle", encoding="utf-8")
    assert serialize_turtle(page) == expected_page
