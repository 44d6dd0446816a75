"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``: read and write whole graphs.

``?graph=IRI`` addresses a named graph, ``?default`` the default graph (exactly one of the two, else
400). ``GET``/``HEAD`` return the graph in the negotiated RDF format (404 for a named graph that does
not exist); ``PUT`` replaces it, ``POST`` adds to it (201 when that created the graph, else 204),
``DELETE`` removes it (404 if missing). Writes need the update token, like SPARQL Update; a body that
does not parse is a 400 and changes nothing (each write is one atomic store operation).
"""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from painlink.service.errors import BadRequest, NotAcceptable, NotFound, UnsupportedMediaType
from painlink.service.limits import read_body
from painlink.service.negotiation import negotiate, parse_media_type
from painlink.service.security import check_update_token
from painlink.service.sparql import JSON_SCHEMAS
from painlink.service.streaming import open_dump

__all__ = ["GRAPH_FORMATS", "router", "target_graph"]

#: The RDF formats a graph can be read or written in, best first (one graph: no dataset formats).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

router = APIRouter(tags=["Graph Store"])


def target_graph(params: list[tuple[str, str]]) -> str | None:
    """The graph a request addresses: an IRI, or None for the default graph.

    >>> target_graph([("graph", "http://example.org/g")])
    'http://example.org/g'
    >>> target_graph([("default", "")]) is None
    True
    >>> try:
    ...     target_graph([])
    ... except BadRequest as error:
    ...     print(error)
    say which graph: ?graph=IRI for a named graph or ?default for the default graph
    """
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if default and graphs:
        raise BadRequest("send either ?graph=IRI or ?default, not both")
    if len(graphs) > 1:
        raise BadRequest(f"the request names {len(graphs)} graphs; send one 'graph' parameter")
    if default:
        return None
    if not graphs:
        raise BadRequest("say which graph: ?graph=IRI for a named graph or ?default for the default graph")
    try:
        ox.NamedNode(graphs[0])
    except ValueError:
        raise BadRequest(f"graph={graphs[0]!r} is not an absolute IRI") from None
    return graphs[0]


def _body_format(request: Request) -> ox.RdfFormat:
    content_type = request.headers.get("content-type")
    media_type, params = parse_media_type(content_type or "")
    if not media_type:
        raise UnsupportedMediaType(f"the body needs a Content-Type, one of {', '.join(GRAPH_FORMATS)}")
    if params.get("charset", "utf-8") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body's charset is {params['charset']}; send UTF-8")
    if media_type not in GRAPH_FORMATS:
        raise UnsupportedMediaType(f"cannot read {media_type}; send one of {', '.join(GRAPH_FORMATS)}")
    return GRAPH_FORMATS[media_type]


def _describe(graph: str | None) -> str:
    return "the default graph" if graph is None else f"the graph <{graph}>"


_GRAPH_PARAMS = {
    "parameters": [
        {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "The IRI of a named graph"},
        {"name": "default", "in": "query", "required": False, "schema": {"type": "string"},
         "allowEmptyValue": True, "description": "Present (empty): the default graph"},
    ]
}
_RDF = {media: {"schema": JSON_SCHEMAS.get(media, {"type": "string"})} for media in GRAPH_FORMATS}
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
# Every status an operation may answer is declared, so generated clients and schema-driven tests
# (tests/hardening/test_openapi_fuzz.py) know the refusals too; errors are plain text.
_READ_ERRORS = {
    "400": "Neither or both of graph and default, or a graph that is not an absolute IRI",
    "404": "No such graph",
    "406": "No acceptable RDF format",
}
_WRITE_ERRORS = {
    "400": "Neither or both of graph and default, a graph that is not an absolute IRI, or a body that "
           "does not parse (nothing was changed)",
    "401": "No bearer token",
    "403": "A wrong token, or writes are disabled (read-only service)",
    "413": "The body is larger than allowed",
    "415": "A body of another media type",
}


def _responses(success: dict, errors: dict[str, str]) -> dict:
    return {"responses": {**success, **{code: {"description": text, "content": _TEXT} for code, text in errors.items()}}}


@router.api_route("/store", methods=["GET"], summary="Read a graph", response_class=Response,
                  operation_id="store_get", openapi_extra={**_GRAPH_PARAMS, **_responses(
                      {"200": {"description": "The graph in the negotiated RDF format", "content": _RDF}},
                      _READ_ERRORS)})
async def read_graph(request: Request) -> Response:
    store = request.app.state.store
    graph = target_graph(request.query_params.multi_items())
    accept = request.headers.get("accept")
    offer = negotiate(accept, list(GRAPH_FORMATS))
    if offer is None:
        raise NotAcceptable(f"cannot send a graph in any format the request accepts (Accept: {accept})",
                            offered=list(GRAPH_FORMATS))
    if not await asyncio.to_thread(store.has_graph, graph):
        raise NotFound(f"there is no graph <{graph}> in this store")
    if request.method == "HEAD":
        return Response(media_type=offer, headers={"Vary": "Accept"})
    # Streamed as it is serialised: a large graph never sits whole in memory (service/streaming.py).
    return StreamingResponse(await open_dump(store, GRAPH_FORMATS[offer], graph), media_type=offer,
                             headers={"Vary": "Accept"})


# HEAD: the same answer without the body (uvicorn drops it); one operation in the schema is enough.
router.add_api_route("/store", read_graph, methods=["HEAD"], include_in_schema=False, response_class=Response)


@router.put("/store", summary="Replace a graph (token required)", response_class=Response, status_code=204,
            operation_id="store_put", openapi_extra={**_GRAPH_PARAMS, "requestBody": {"content": _RDF},
                                                      **_responses({"201": {"description": "The graph was created"}},
                                                                   _WRITE_ERRORS)})
async def replace_graph(request: Request) -> Response:
    return await _write(request, replace=True)


@router.post("/store", summary="Add to a graph (token required)", response_class=Response, status_code=204,
             operation_id="store_post", openapi_extra={**_GRAPH_PARAMS, "requestBody": {"content": _RDF},
                                                       **_responses({"201": {"description": "The graph was created"}},
                                                                    _WRITE_ERRORS)})
async def add_to_graph(request: Request) -> Response:
    return await _write(request, replace=False)


@router.delete("/store", summary="Delete a graph (token required)", response_class=Response, status_code=204,
               operation_id="store_delete", openapi_extra={**_GRAPH_PARAMS, **_responses(
                   {}, {**{code: _WRITE_ERRORS[code] for code in ("400", "401", "403")}, "404": "No such graph"})})
async def delete_graph(request: Request) -> Response:
    graph = target_graph(request.query_params.multi_items())
    check_update_token(request.headers.get("authorization"), request.app.state.settings)
    if not await request.app.state.evaluator.write(request.app.state.store.drop_graph, graph):
        raise NotFound(f"there is no graph <{graph}> to delete")
    request.app.state.knowledge.prepare_in_background()
    return Response(status_code=204)


async def _write(request: Request, *, replace: bool) -> Response:
    store = request.app.state.store
    settings = request.app.state.settings
    graph = target_graph(request.query_params.multi_items())
    check_update_token(request.headers.get("authorization"), settings)
    fmt = _body_format(request)
    body = await read_body(request, settings.max_body_bytes)
    existed = await asyncio.to_thread(store.has_graph, graph)
    # Through the evaluator: under the lock SPARQL updates take, so no update is rehearsed on a
    # state this write is about to change.
    write = request.app.state.evaluator.write
    try:
        if replace:
            await write(store.replace_graph, body, fmt, graph=graph)
        else:
            base = graph if graph is not None else str(request.url.replace(query="", fragment=""))
            await write(store.load, body, fmt, graph=graph, base_iri=base)
    except SyntaxError as error:
        raise BadRequest(f"the body is not valid {fmt.name}: {error}; {_describe(graph)} was not changed") from None
    request.app.state.knowledge.prepare_in_background()
    return Response(status_code=204 if existed else 201)
