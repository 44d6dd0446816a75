"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``: read and write whole graphs.

A graph is named *indirectly* -- ``/store?graph=IRI`` for a named graph, ``/store?default`` for the
default graph (exactly one of the two, else 400) -- or *directly*: ``/store/ANY/PATH`` is the graph
whose IRI is that request URL (without its query). ``GET``/``HEAD`` return the graph in the negotiated
RDF format (404 for a named graph that does not exist); ``PUT`` replaces it, ``POST`` adds to it (201
when that created the graph, else 204), ``DELETE`` removes it (404 if missing). A ``POST`` to
``/store`` itself, naming no graph, creates a new graph ``/store/<random id>`` and answers 201 with its
``Location``. A ``POST`` body may also be ``multipart/form-data``, each part an RDF document with its
own ``Content-Type``: all parts are added, or none. Relative IRIs in a body resolve against the graph's
IRI (the request URL for the default graph). Writes need the update token, like SPARQL Update; a body
that does not parse is a 400 and changes nothing (each write is one atomic store operation).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import uuid

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from painlink.graph.vocabulary import RDF_FORMATS
from painlink.ontology.bounds import UnsafeInput, check_data
from painlink.service.errors import BadRequest, NotAcceptable, NotFound, UnsupportedMediaType
from painlink.service.limits import read_body
from painlink.service.negotiation import negotiate, parse_media_type
from painlink.service.security import check_update_token
from painlink.service.sparql import JSON_SCHEMAS
from painlink.service.streaming import open_dump

__all__ = ["GRAPH_FORMATS", "router", "target_graph"]

#: The RDF formats a graph can be read or written in, best first (one graph: no dataset formats).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {fmt.media_type: fmt for fmt in RDF_FORMATS}

_MULTIPART = "multipart/form-data"

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


def _address(request: Request) -> str:
    """The request's address at the service's canonical base (Settings.base_url): graph names and base
    IRIs never come from the client's Host header."""
    return request.app.state.settings.base_url + request.url.path


def _addressed_graph(request: Request) -> str | None:
    """The graph a request names: directly (``/store/PATH``: the request URL) or indirectly."""
    params = request.query_params.multi_items()
    if "path" in request.path_params:
        if any(name in ("graph", "default") for name, _ in params):
            raise BadRequest("a graph named by its URL (/store/...) takes no ?graph or ?default")
        return _address(request)
    return target_graph(params)


def _format_of(content_type: str | None, what: str = "the body") -> ox.RdfFormat:
    media_type, params = parse_media_type(content_type or "")
    if not media_type:
        raise UnsupportedMediaType(f"{what} needs a Content-Type, one of {', '.join(GRAPH_FORMATS)}")
    if params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"{what}'s charset is {params['charset']}; send UTF-8")
    if media_type not in GRAPH_FORMATS:
        raise UnsupportedMediaType(f"cannot read {media_type} in {what}; send one of {', '.join(GRAPH_FORMATS)}")
    return GRAPH_FORMATS[media_type]


def _parts(content_type: str, body: bytes) -> list[tuple[str, ox.RdfFormat, bytes]]:
    r"""The RDF documents of a ``multipart/form-data`` body: (part name, format, bytes), in order.

    >>> body = (b'--b\r\nContent-Disposition: form-data; name="a.ttl"\r\nContent-Type: text/turtle\r\n\r\n'
    ...         b'<http://e/a> <http://e/p> 1 .\r\n--b--\r\n')
    >>> _parts("multipart/form-data; boundary=b", body)
    [('a.ttl', <RdfFormat Turtle>, b'<http://e/a> <http://e/p> 1 .')]
    """
    message = email.message_from_bytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body, policy=email.policy.HTTP
    )
    if not message.is_multipart() or message.defects:
        raise BadRequest("the multipart/form-data body is malformed (check its boundary)")
    parts = []
    for number, part in enumerate(message.iter_parts(), start=1):
        name = part.get_param("name", header="content-disposition") or f"part {number}"
        fmt = _format_of(part.get("content-type"), f"the part {name!r}")
        parts.append((name, fmt, part.get_payload(decode=True) or b""))
    if not parts:
        raise BadRequest("the multipart/form-data body has no parts")
    return parts


def _as_ntriples(parts: list[tuple[str, ox.RdfFormat, bytes]], base_iri: str) -> bytes:
    """Every part parsed (a part that does not parse is a 400 naming it) and joined as N-Triples, for
    one atomic load."""
    triples = []
    for name, fmt, data in parts:
        check_data(data, fmt)  # painlink.ontology.bounds, before the parser: UnsafeInput
        try:
            triples += [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt, base_iri=base_iri)]
        except SyntaxError as error:
            raise BadRequest(f"the part {name!r} is not valid {fmt.name}: {error}; nothing was changed") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


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
    graph = _addressed_graph(request)
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
    graph = _addressed_graph(request)
    check_update_token(request.headers.get("authorization"), request.app.state.settings)
    if not await request.app.state.evaluator.drop_graph(graph):
        raise NotFound(f"there is no graph <{graph}> to delete")
    request.app.state.knowledge.prepare_in_background()
    return Response(status_code=204)


async def _write(request: Request, *, replace: bool) -> Response:
    store = request.app.state.store
    settings = request.app.state.settings
    creating = not replace and "path" not in request.path_params and not request.query_params
    # A POST to the store itself creates a graph of its own, named under /store/ (so the Location is
    # also the graph's direct address).
    graph = f"{_address(request).rstrip('/')}/{uuid.uuid4().hex}" if creating else _addressed_graph(request)
    check_update_token(request.headers.get("authorization"), settings)
    content_type = request.headers.get("content-type") or ""
    multipart = parse_media_type(content_type)[0] == _MULTIPART
    if multipart and replace:
        raise UnsupportedMediaType("a PUT takes one RDF document; send multipart/form-data with POST")
    fmt = ox.RdfFormat.N_TRIPLES if multipart else _format_of(content_type)
    body = await read_body(request, settings.max_body_bytes)
    base = graph if graph is not None else _address(request)
    try:  # before any parser sees it (painlink.ontology.bounds), off the event loop
        if multipart:
            body = await asyncio.to_thread(_as_ntriples, _parts(content_type, body), base)
        else:
            await asyncio.to_thread(check_data, body, fmt)
    except UnsafeInput as error:
        raise BadRequest(f"the body is refused: {error}; {_describe(graph)} was not changed") from None
    existed = not creating and await asyncio.to_thread(store.has_graph, graph)
    # Through the evaluator: under the lock SPARQL updates take (no update is rehearsed on a state
    # this write is about to change), and the query workers replay it instead of reloading.
    evaluator = request.app.state.evaluator
    try:
        if replace:
            await evaluator.replace_graph(body, fmt, graph=graph, base_iri=base)
        else:
            await evaluator.load(body, fmt, graph=graph, base_iri=base)
    except SyntaxError as error:
        raise BadRequest(f"the body is not valid {fmt.name}: {error}; {_describe(graph)} was not changed") from None
    request.app.state.knowledge.prepare_in_background()
    if existed:
        return Response(status_code=204)
    return Response(status_code=201, headers={"Location": graph} if creating else None)


# Direct graph identification: /store/PATH is the graph named by that URL (module docstring).
for _methods, _handler in ((["GET", "HEAD"], read_graph), (["PUT"], replace_graph), (["POST"], add_to_graph),
                           (["DELETE"], delete_graph)):
    router.add_api_route("/store/{path:path}", _handler, methods=_methods, include_in_schema=False,
                         response_class=Response)
