"""Data services in DCAT-AP 3: a resource whose format is ``API`` is an access service.

Output, for each such resource (distribution ``D`` of dataset ``X``)::

    D dcat:accessService S .
    S a dcat:DataService ;
      dct:title ... ;                       # the resource name (vi, en), else the dataset title
      dcat:endpointURL <endpoint> ;         # service_endpoint_url, else the resource URL
      dcat:endpointDescription <openapi> ;  # service_endpoint_description
      dcat:servesDataset X ;
      dct:license ... ; dct:accessRights ... ;   # those of the distribution and dataset
      nd47:servicePlatform <concept> ; nd47:serviceCode "..." ;
      nd47:serviceAuthentication <concept> ; nd47:conditionsOfUse "..."@vi .

and the catalogue in the same graph lists it: ``C dcat:service S``. The
service URI is the distribution's URI plus ``/service``. ``parse_services``
restores the resource fields from such a graph (a harvested copy keeps them).
"""

from __future__ import annotations

from typing import Any

from ckanext.dcat.profiles import DCAT, DCT, RDF
from ckanext.dcat.utils import resource_uri
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ckanext.nd47.dcat.terms import LANG_VI, nd47_namespace, term_by_uri

# The nd47 profile calling in (``profile.Nd47DCATAPProfile``): not imported,
# since the profile imports this module.
Nd47DCATAPProfile = Any

__all__ = ["API_FORMAT", "graph_from_dataset", "is_service", "link_catalog", "parse_services"]

API_FORMAT = "API"
# Resource field -> (our property, vocabulary or None for a literal).
_OWN_FIELDS = (
    ("service_platform", "servicePlatform", "service_platform"),
    ("service_auth", "serviceAuthentication", "service_auth"),
    ("service_code", "serviceCode", None),
    ("service_conditions", "conditionsOfUse", None),
)


def is_service(resource_dict: dict[str, Any]) -> bool:
    return str(resource_dict.get("format") or "").strip().upper() == API_FORMAT


def _service_ref(resource_dict: dict[str, Any]) -> URIRef:
    return URIRef(resource_uri(resource_dict) + "/service")


def graph_from_dataset(
    profile: Nd47DCATAPProfile, dataset_dict: dict[str, Any], dataset_ref: Node
) -> None:
    """Add a ``dcat:DataService`` for every API resource of the dataset."""
    g = profile.g
    nd47 = nd47_namespace()
    access = dataset_dict.get("access_rights")
    for resource_dict in dataset_dict.get("resources", []):
        if not is_service(resource_dict):
            continue
        endpoint = resource_dict.get("service_endpoint_url") or resource_dict.get("url")
        if not endpoint:
            continue  # dcat:endpointURL is mandatory: without it, no service
        dist = URIRef(resource_uri(resource_dict))
        service = _service_ref(resource_dict)
        g.add((dist, DCAT.accessService, service))
        g.add((service, RDF.type, DCAT.DataService))
        vi = resource_dict.get("name") or dataset_dict.get("title")
        en = resource_dict.get("name_en") or dataset_dict.get("title_en")
        profile._texts(service, DCT.title, vi, en)
        g.add((service, DCAT.endpointURL, URIRef(endpoint)))
        if resource_dict.get("service_endpoint_description"):
            g.add(
                (
                    service,
                    DCAT.endpointDescription,
                    URIRef(resource_dict["service_endpoint_description"]),
                )
            )
        g.add((service, DCAT.servesDataset, dataset_ref))
        for licence in g.objects(dist, DCT.license):
            g.add((service, DCT.license, licence))
        profile._code_triple(service, DCT.accessRights, "access_right", access)
        for field, prop, vocabulary in _OWN_FIELDS:
            value = resource_dict.get(field)
            if not value:
                continue
            if vocabulary:
                profile._code_triple(service, nd47[prop], vocabulary, value)
            else:
                lang = LANG_VI if field == "service_conditions" else None
                g.add((service, nd47[prop], Literal(value, lang=lang)))
    for catalog in list(g.subjects(RDF.type, DCAT.Catalog)):
        link_catalog(g, catalog, dataset_ref)


def link_catalog(graph: Graph, catalog_ref: Node, dataset_ref: Node) -> None:
    """``catalog dcat:service S`` for the services of one dataset's distributions."""
    for dist in graph.objects(dataset_ref, DCAT.distribution):
        for service in graph.objects(dist, DCAT.accessService):
            graph.add((catalog_ref, DCAT.service, service))


def parse_services(profile: Nd47DCATAPProfile, resource_dict: dict[str, Any], dist: Node) -> None:
    """The service fields of a resource from its distribution's ``dcat:accessService``."""
    g = profile.g
    # The stock parser keeps every access service as JSON; ours are fields.
    resource_dict.pop("access_services", None)
    service = g.value(dist, DCAT.accessService)
    if service is None:
        return
    # dcat:accessURL is the resource URL when no other was given: not a field value.
    if resource_dict.get("access_url") == resource_dict.get("url"):
        resource_dict.pop("access_url", None)
    endpoint = g.value(service, DCAT.endpointURL)
    if endpoint is not None and str(endpoint) != resource_dict.get("url"):
        resource_dict["service_endpoint_url"] = str(endpoint)
    description = g.value(service, DCAT.endpointDescription)
    if description is not None:
        resource_dict["service_endpoint_description"] = str(description)
    # Our properties under whichever portal's namespace published them.
    own = {
        str(p).rsplit("#", 1)[-1]: p
        for p in g.predicates(service)
        if isinstance(p, URIRef) and str(p).endswith(tuple("#" + f[1] for f in _OWN_FIELDS))
    }
    for field, prop, vocabulary in _OWN_FIELDS:
        value = g.value(service, own[prop]) if prop in own else None
        if value is None:
            continue
        if vocabulary:
            term = term_by_uri(vocabulary, str(value))
            if term:
                resource_dict[field] = term.code
        else:
            resource_dict[field] = str(value)
