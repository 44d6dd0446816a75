"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

* :mod:`.protocol` -- reading a request (operation, text, dataset parameters) and the media types offered;
* :mod:`.endpoint` -- what the endpoint answers (queries, updates, the editor page), and its route;
* :mod:`.front` -- the endpoint answered ahead of FastAPI's routing (the hot path);
* :mod:`.checks` -- the checks before a query runs (nesting, SERVICE/LOAD), remembered for short texts;
* :mod:`.description` -- the SPARQL 1.1 Service Description;
* :mod:`.openapi` -- the endpoint's OpenAPI description.

The query processes are :mod:`painlink.service.evaluator` (this side) and
:mod:`painlink.service.replica` (theirs), speaking :mod:`painlink.service.messages`.
"""

from painlink.service.sparql.description import SD, service_description
from painlink.service.sparql.endpoint import SparqlExtension, router, sparql_endpoint
from painlink.service.sparql.front import SparqlFront
from painlink.service.sparql.openapi import JSON_SCHEMAS, OPENAPI_PATH
from painlink.service.sparql.protocol import GRAPH_OFFERS, RESULT_OFFERS, ProtocolRequest, parse_protocol

__all__ = [
    "GRAPH_OFFERS",
    "JSON_SCHEMAS",
    "OPENAPI_PATH",
    "RESULT_OFFERS",
    "SD",
    "ProtocolRequest",
    "SparqlExtension",
    "SparqlFront",
    "parse_protocol",
    "router",
    "service_description",
    "sparql_endpoint",
]
