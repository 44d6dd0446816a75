"""The OpenAPI description of ``/sparql``.

The endpoint is answered before FastAPI's routing (:mod:`painlink.service.sparql.front`), so FastAPI
cannot generate its documentation from a signature: one query parameter that may be absent, repeated
IRI parameters, three request-body media types and ten answer media types are written here and merged
into the app's schema by :func:`painlink.service.app.create_app`. The fuzzing test
(tests/hardening/test_openapi_fuzz.py) holds every answer to it.
"""

from __future__ import annotations

from painlink.service.sparql.protocol import FORM, GRAPH_OFFERS, QUERY_BODY, RESULT_OFFERS, UPDATE_BODY

__all__ = ["JSON_SCHEMAS", "OPENAPI_PATH"]


def _iri_list(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True}


_ERRORS = {
    "400": "Malformed request or query (the parser's message and position), a refused SERVICE/LOAD, "
           "a dataset conflict, or an answer over the result-size cap",
    "401": "An update without the bearer token",
    "403": "A wrong token, or updates are disabled (read-only service)",
    "405": "Another method than GET, HEAD or POST",
    "406": "No acceptable format for the answer",
    "413": "The body or the query is longer than allowed",
    "415": "A POST body of another media type, or not UTF-8",
    "503": "The query ran past the timeout and was stopped",
}
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
#: Body schemas of the JSON answers (the rest are text): SPARQL 1.1 Query Results JSON and JSON-LD.
JSON_SCHEMAS: dict[str, dict] = {
    "application/sparql-results+json": {
        "type": "object", "required": ["head"],
        "properties": {"head": {"type": "object"}, "boolean": {"type": "boolean"},
                       "results": {"type": "object", "properties": {"bindings": {"type": "array"}}}},
    },
    "application/ld+json": {"type": ["object", "array"]},
}
JSON_SCHEMAS["application/json"] = JSON_SCHEMAS["application/sparql-results+json"]
_ANY = {media: {"schema": JSON_SCHEMAS.get(media, {"type": "string"})}
        for media in [*RESULT_OFFERS, *GRAPH_OFFERS, "text/html"]}

#: The OpenAPI path item of ``/sparql`` (module docstring).
OPENAPI_PATH: dict = {
    "get": {
        "tags": ["SPARQL"],
        "summary": "SPARQL 1.1 query by GET, or the service description without a query",
        "operationId": "sparql_get",
        "parameters": [
            {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "A SPARQL 1.1 query; without it the answer is the service description."},
            _iri_list("default-graph-uri", "Graphs to merge into the default graph (replaces FROM)."),
            _iri_list("named-graph-uri", "Graphs to offer as named graphs (replaces FROM NAMED)."),
        ],
        "responses": {"200": {"description": "The answer in the negotiated format", "content": _ANY},
                      **{code: {"description": text, "content": _TEXT} for code, text in _ERRORS.items()}},
    },
    "post": {
        "tags": ["SPARQL"],
        "summary": "SPARQL 1.1 query or update by POST (form or direct body)",
        "operationId": "sparql_post",
        "parameters": [
            _iri_list("default-graph-uri", "Query dataset: default graph(s)."),
            _iri_list("named-graph-uri", "Query dataset: named graphs."),
            _iri_list("using-graph-uri", "Update dataset: as USING."),
            _iri_list("using-named-graph-uri", "Update dataset: as USING NAMED."),
        ],
        "requestBody": {"required": True, "content": {
            FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"},
                                                                "update": {"type": "string"}}}},
            QUERY_BODY: {"schema": {"type": "string"}},
            UPDATE_BODY: {"schema": {"type": "string"}},
        }},
        "responses": {"200": {"description": "The answer of a query", "content": _ANY},
                      "204": {"description": "The update was applied"},
                      **{code: {"description": text, "content": _TEXT} for code, text in _ERRORS.items()}},
        "security": [{}, {"bearer": []}],
    },
}
