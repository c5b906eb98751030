"""The ``nd47_dqv`` profile: the stored score published as W3C DQV measurements."""

from __future__ import annotations

import pytest
import rdflib
from ckan.tests import helpers
from rdflib.namespace import XSD

from ckanext.nd47.oversight import service
from ckanext.nd47.oversight.dqv import DQV, metric_uri
from tests.oversight.conftest import dataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.nd47.oversight.assess_on_update", "false")
class TestDQV:
    def _graph(self, app, name: str) -> rdflib.Graph:
        response = app.get(f"/dataset/{name}.ttl")
        assert response.status_code == 200
        return rdflib.Graph().parse(data=response.body, format="turtle")

    def test_measurements_of_the_newest_score(self, app):
        pkg = dataset(notes="Mô tả.")
        assert not list(
            self._graph(app, pkg["name"]).subjects(rdflib.RDF.type, DQV.QualityMeasurement)
        )
        service.score(pkg["id"])
        row = service.score(pkg["id"])
        graph = self._graph(app, pkg["name"])
        values = {}
        for node in graph.subjects(rdflib.RDF.type, DQV.QualityMeasurement):
            metric = graph.value(node, DQV.isMeasurementOf)
            value = graph.value(node, DQV.value)
            assert value.datatype == XSD.integer
            values[metric] = value.toPython()
        assert values[metric_uri("score")] == row.score
        assert values[metric_uri("findability")] == row.dimensions["findability"]
        assert len(values) == 6  # the total and the five dimensions, once each
        ref = next(graph.subjects(DQV.hasQualityMeasurement, None))
        assert str(ref).endswith(pkg["id"]) or pkg["name"] in str(ref)
        assert helpers.call_action("nd47_quality_show", id=pkg["id"])["score"]["score"] == row.score
