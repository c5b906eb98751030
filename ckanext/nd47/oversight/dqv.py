"""RDF profile ``nd47_dqv``: the stored quality score as W3C DQV measurements.

An additional ckanext-dcat profile (entry point ``nd47_dqv`` in
``ckan.rdf.profiles``), listed after ``nd47`` in
``ckanext.dcat.rdf.profiles``. For a dataset with a score it adds one
``dqv:QualityMeasurement`` for the total and one per MQA dimension, each
measuring a ``dqv:Metric`` of this portal's quality vocabulary
(``{uri base}/vocab/quality/{code}``). It reads the stored score only: it
never computes one, so serializing stays cheap and the score (computed from
the DCAT output) never depends on itself.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as plugins
from ckanext.dcat.profiles import RDFProfile
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ckanext.nd47 import vocab
from ckanext.nd47.oversight import quality

__all__ = ["DQV", "Nd47DQVProfile", "metric_uri"]

DQV = Namespace("http://www.w3.org/ns/dqv#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TOTAL = "score"


def metric_uri(code: str) -> URIRef:
    """The metric a measurement measures: the total ("score") or a dimension."""
    return URIRef(f"{vocab.uri_base()}/vocab/quality/{code}")


class Nd47DQVProfile(RDFProfile):
    """Publishes the newest stored MQA score of each dataset as DQV."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        from ckanext.nd47.oversight import service

        if not plugins.plugin_loaded("nd47_oversight"):
            return  # the scores (and their tables) belong to that plugin
        row = service.latest_score(dataset_dict.get("id") or "")
        if row is None:
            return
        self.g.bind("dqv", DQV)
        values = {
            TOTAL: row.score,
            **{d: int(row.dimensions.get(d, 0)) for d in quality.DIMENSIONS},
        }
        for code, value in values.items():
            metric = metric_uri(code)
            self.g.add((metric, RDF.type, DQV.Metric))
            self.g.add((metric, RDFS.label, Literal(f"MQA {code}", lang="en")))
            node = BNode()
            self.g.add((dataset_ref, DQV.hasQualityMeasurement, node))
            self.g.add((node, RDF.type, DQV.QualityMeasurement))
            self.g.add((node, DQV.computedOn, dataset_ref))
            self.g.add((node, DQV.isMeasurementOf, metric))
            self.g.add((node, DQV.value, Literal(value, datatype=XSD.integer)))
            self.g.add(
                (node, PROV.generatedAtTime, Literal(row.computed_at, datatype=XSD.dateTime))
            )
