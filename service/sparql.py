"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

* Queries by ``GET ?query=``, ``POST`` form (``application/x-www-form-urlencoded``) and ``POST``
  ``application/sparql-query``; updates by ``POST`` form (``update=``) and ``POST``
  ``application/sparql-update`` -- with the bearer token (:mod:`painlink.service.security`).
* Answers in the format content negotiation picks (:mod:`painlink.service.negotiation`): SELECT/ASK as
  SPARQL Results JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML, JSON-LD,
  N-Quads or TriG. 406 when the client accepts none of them, 415 for a body of another media type.
* The dataset parameters ``default-graph-uri`` / ``named-graph-uri`` (queries; they replace the query's
  own FROM / FROM NAMED) and ``using-graph-uri`` / ``using-named-graph-uri`` (updates; an update that
  also says USING or WITH is a 400) are honoured.
* ``GET /sparql`` without a query describes the service (SPARQL 1.1 Service Description, negotiated;
  ``sd:endpoint`` is the configured address, ``Settings.public_url``, never the Host header); a browser asking for HTML gets the query editor
  page instead (``app.state.sparql_page(request, query)``, provided by the pages).
* Relative IRIs resolve against the endpoint's own address.

Queries run in the evaluator (:mod:`painlink.service.evaluator`), off the event loop and under the
timeout. SPARQL extensions that painlink answers itself (e.g. ``SERVICE <urn:painlink:paths>``) register
on ``app.state.sparql_extensions`` (IRI -> async function rewriting the query text before it runs;
see :data:`SparqlExtension`); their SERVICE IRIs are not outbound calls.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from painlink.ontology import NAMESPACES
from painlink.service.errors import (
    BadRequest,
    DatasetConflict,
    NotAcceptable,
    UnsupportedMediaType,
)
from painlink.service.evaluator import Answer, QuerySpec, UnacceptableAnswer
from painlink.service.limits import check_form_fields, check_nesting, check_query_length, read_body
from painlink.service.negotiation import negotiate, parse_media_type, prefers
from painlink.service.results import write_triples
from painlink.service.security import check_update_token, needs_second_reading, refuse_outbound
from painlink.service.sparql_lexer import Inspection, LexerError, add_using_clauses, inspect_sparql

__all__ = [
    "GRAPH_OFFERS",
    "JSON_SCHEMAS",
    "OPENAPI_PATH",
    "RESULT_OFFERS",
    "ProtocolRequest",
    "SparqlExtension",
    "parse_protocol",
    "router",
    "service_description",
]

#: An extension answered by painlink itself: gets the query text (and the request, for the app's
#: state) and returns the text to run instead, with its ``SERVICE <iri> { ... }`` block replaced
#: (typically by a ``VALUES`` table of what the extension computed).
SparqlExtension = Callable[[str, Request], Awaitable[str]]

#: Media types for SELECT/ASK answers, best first, with the writer key (painlink.service.results).
RESULT_OFFERS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types for CONSTRUCT/DESCRIBE answers and the service description, best first.
GRAPH_OFFERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
_USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")
_ALLOWED_METHODS = ("GET", "HEAD", "POST")

router = APIRouter(tags=["SPARQL"])


@dataclass
class ProtocolRequest:
    """What a SPARQL Protocol request asks for: ``operation`` is ``query``, ``update`` or None (no
    operation: describe the service), ``text`` the query or update, ``params`` the dataset parameters
    (name -> list of IRIs)."""

    operation: str | None
    text: str | None = None
    params: dict[str, list[str]] = field(default_factory=dict)

    def iris(self, name: str) -> list[str]:
        return self.params.get(name, [])


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the {what} is not valid UTF-8 (byte {error.start}); send it UTF-8 encoded") from None


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body's charset is {charset}; this endpoint reads UTF-8 only")


def parse_protocol(
    method: str, content_type: str | None, url_params: Sequence[tuple[str, str]], body: bytes
) -> ProtocolRequest:
    """Read a SPARQL 1.1 Protocol request (the method, ``Content-Type``, the URL's parameters and the
    body) into a :class:`ProtocolRequest`, refusing what the protocol does not allow.

    >>> parse_protocol("GET", None, [("query", "ASK {}"), ("default-graph-uri", "http://g")], b"")
    ProtocolRequest(operation='query', text='ASK {}', params={'default-graph-uri': ['http://g']})
    >>> parse_protocol("POST", "application/sparql-update", [], b"CLEAR ALL").operation
    'update'
    >>> parse_protocol("POST", "application/x-www-form-urlencoded", [], b"query=ASK%20%7B%7D").text
    'ASK {}'
    >>> parse_protocol("GET", None, [], b"").operation is None
    True
    >>> try:
    ...     parse_protocol("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"")
    ... except BadRequest as error:
    ...     print(error)
    the request has 2 'query' parameters; send exactly one
    >>> try:
    ...     parse_protocol("POST", "text/plain", [], b"ASK {}")
    ... except UnsupportedMediaType as error:
    ...     print(error.status)
    415
    """
    params: list[tuple[str, str]] = list(url_params)
    text_from_body: tuple[str, str] | None = None
    if method == "POST":
        if not content_type:
            raise UnsupportedMediaType(
                f"a POST to the SPARQL endpoint needs a Content-Type: {_FORM}, {_QUERY_BODY} or {_UPDATE_BODY}"
            )
        media_type, media_params = parse_media_type(content_type)
        _check_charset(media_params)
        if media_type == _FORM:
            check_form_fields(body)
            params += parse_qsl(_decode(body, "form body"), keep_blank_values=True)
        elif media_type == _QUERY_BODY:
            text_from_body = ("query", _decode(body, "query"))
        elif media_type == _UPDATE_BODY:
            text_from_body = ("update", _decode(body, "update"))
        else:
            raise UnsupportedMediaType(
                f"the SPARQL endpoint does not take {media_type} bodies; send {_FORM}, {_QUERY_BODY} or {_UPDATE_BODY}"
            )
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    for name in ("query", "update"):
        if len(grouped.get(name, [])) > 1:
            raise BadRequest(f"the request has {len(grouped[name])} {name!r} parameters; send exactly one")
    if text_from_body is not None:
        operation, text = text_from_body
        if "query" in grouped or "update" in grouped:
            raise BadRequest(
                f"a {operation} sent as the body must not also have a 'query' or 'update' parameter"
            )
    elif "query" in grouped and "update" in grouped:
        raise BadRequest("a request carries either a query or an update, not both")
    elif "query" in grouped:
        operation, text = "query", grouped["query"][0]
    elif "update" in grouped:
        if method != "POST":
            raise BadRequest("updates must be sent with POST (form or application/sparql-update), never GET")
        operation, text = "update", grouped["update"][0]
    else:
        if method == "POST":
            raise BadRequest("the POST has neither a 'query' nor an 'update'")
        return ProtocolRequest(None, None, {})
    wrong = _USING_PARAMS if operation == "query" else _DATASET_PARAMS
    for name in wrong:
        if name in grouped:
            right = "updates" if operation == "query" else "queries"
            raise BadRequest(f"the parameter {name!r} is for {right}, not for a {operation}")
    dataset = {name: values for name, values in grouped.items() if name in _DATASET_PARAMS + _USING_PARAMS}
    for name, values in dataset.items():
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise BadRequest(f"{name}={value!r} is not an absolute IRI") from None
    return ProtocolRequest(operation, text, dataset)


# --- the route ---------------------------------------------------------------------------------------
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

#: The OpenAPI description of ``/sparql`` (the route is a plain Starlette route -- FastAPI's per-request
#: machinery measurably slows the hottest path -- so its documentation is written here by hand and
#: merged into the app's schema by :func:`painlink.service.app.create_app`).
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
            _FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"},
                                                                "update": {"type": "string"}}}},
            _QUERY_BODY: {"schema": {"type": "string"}},
            _UPDATE_BODY: {"schema": {"type": "string"}},
        }},
        "responses": {"200": {"description": "The answer of a query", "content": _ANY},
                      "204": {"description": "The update was applied"},
                      **{code: {"description": text, "content": _TEXT} for code, text in _ERRORS.items()}},
        "security": [{}, {"bearer": []}],
    },
}


async def sparql_endpoint(request: Request) -> Response:
    settings = request.app.state.settings
    body = await read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
    # Off the event loop: a 16 MB form body takes a while to split, and every other route waits
    # for the loop (check_form_fields bounds the work first).
    protocol = await asyncio.to_thread(
        parse_protocol,
        "POST" if request.method == "POST" else "GET",
        request.headers.get("content-type"),
        request.query_params.multi_items(),
        body,
    )
    accept = request.headers.get("accept")
    if protocol.operation is None:
        if prefers(accept, "text/html", list(GRAPH_OFFERS)):
            return await _page(request, None)
        return await service_description_response(request, accept)
    assert protocol.text is not None
    check_query_length(protocol.text, settings.max_query_length, protocol.operation)
    if protocol.operation == "query":
        return await _query(request, protocol, accept)
    return await _update(request, protocol)


router.add_route("/sparql", sparql_endpoint, methods=list(_ALLOWED_METHODS))


def _endpoint_address(request: Request) -> str:
    """The endpoint's canonical address (Settings.base_url): never the client's Host header."""
    return request.app.state.settings.base_url + "/sparql"


async def _page(request: Request, query: str | None) -> Response:
    page = getattr(request.app.state, "sparql_page", None)
    if page is not None:
        response = page(request, query)
        return await response if isinstance(response, Awaitable) else response
    # Until the pages are wired in: a plain form, no script, everything escaped.
    text = html.escape(query or "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    return Response(
        "<!doctype html><html lang=en><meta charset=utf-8><title>painlink SPARQL</title>"
        "<h1>painlink SPARQL endpoint</h1><form method=get action=''>"
        f"<textarea name=query rows=12 cols=80>{text}</textarea><br>"
        "<input type=hidden name=format value=json><button>Run</button></form>",
        media_type="text/html",
        headers={"Vary": "Accept"},
    )


async def _run_extensions(request: Request, text: str, services: Sequence[str]) -> str:
    extensions: dict[str, SparqlExtension] = getattr(request.app.state, "sparql_extensions", {})
    for iri in dict.fromkeys(services):
        if iri in extensions:
            text = await extensions[iri](text, request)
    return text


async def _inspect(request: Request, text: str, *, is_update: bool, local_services: Sequence[str] = ()) -> Inspection:
    """The tokenizer's reading of ``text`` (off the event loop), refusing at once what it shows this
    server must not run: nesting beyond the bound, a call to another server unless allowed."""
    inspection = await asyncio.to_thread(inspect_sparql, text)
    check_nesting(inspection.depth, "update" if is_update else "query")
    refuse_outbound(inspection, request.app.state.settings, local_services=local_services)
    return inspection


async def _verify(
    request: Request, text: str, *, is_update: bool, local_services: Sequence[str] = (), inspection: Inspection | None = None
) -> None:
    """Check the text the engine will run (the local extensions already expanded) for calls to other
    servers with both readers, whenever it could name one (:func:`needs_second_reading`): rdflib's
    reading runs on a query worker, under the query timeout; the check fails closed."""
    settings = request.app.state.settings
    if not needs_second_reading(text, settings, is_update=is_update):
        return
    if inspection is None:  # the text changed (extensions expanded): read it again
        inspection = await asyncio.to_thread(inspect_sparql, text)
    second = await request.app.state.evaluator.verify(text, is_update=is_update)
    refuse_outbound(inspection, settings, local_services=local_services, second=second)


async def _query(request: Request, protocol: ProtocolRequest, accept: str | None) -> Response:
    text = protocol.text or ""
    extensions = getattr(request.app.state, "sparql_extensions", {})
    inspection = await _inspect(request, text, is_update=False, local_services=list(extensions))
    original = text
    if inspection.services and extensions:
        text = await _run_extensions(request, text, inspection.services)
    await _verify(request, text, is_update=False, local_services=list(extensions),
                  inspection=inspection if text is original else None)
    if prefers(accept, "text/html", [*RESULT_OFFERS, *GRAPH_OFFERS]):
        return await _page(request, protocol.text)
    results_offer = negotiate(accept, list(RESULT_OFFERS))
    graph_offer = negotiate(accept, list(GRAPH_OFFERS))
    kind = {"SELECT": "results", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(inspection.form or "")
    if kind is not None and (graph_offer if kind == "graph" else results_offer) is None:
        raise _not_acceptable(kind, accept)
    has_dataset = any(protocol.iris(name) for name in _DATASET_PARAMS)
    spec = QuerySpec(
        query=text,
        base_iri=_endpoint_address(request),
        default_graph=tuple(protocol.iris("default-graph-uri")) if has_dataset else None,
        named_graphs=tuple(protocol.iris("named-graph-uri")) if has_dataset else None,
        results_format=RESULT_OFFERS[results_offer] if results_offer else None,
        graph_format=GRAPH_OFFERS[graph_offer] if graph_offer else None,
        prefixes=NAMESPACES,
    )
    try:
        answer = await request.app.state.evaluator.query(spec, deadline=getattr(request.state, "query_deadline", None))
    except UnacceptableAnswer as error:
        raise _not_acceptable(error.kind, accept, error.detail) from None
    media_type = graph_offer if answer.kind == "graph" else results_offer
    if answer.spooled is None:
        return Response(answer.body, media_type=media_type, headers={"Vary": "Accept"})
    return _SpooledAnswerResponse(answer, media_type=media_type, headers={"Vary": "Accept"})


class _SpooledAnswerResponse(StreamingResponse):
    """A large answer streamed from the worker's spool file a piece at a time (read in a thread), with
    its Content-Length; the file is closed however the response ends -- sent, or the client gone
    mid-way (left to the garbage collector, an abandoned stream held its file open)."""

    def __init__(self, answer: Answer, *, media_type: str | None, headers: dict[str, str]) -> None:
        super().__init__(answer.chunks(), media_type=media_type,
                         headers={**headers, "Content-Length": str(answer.size)})
        self._answer = answer

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._answer.close()


def _not_acceptable(kind: str, accept: str | None, detail: str = "") -> NotAcceptable:
    offers = GRAPH_OFFERS if kind == "graph" else RESULT_OFFERS
    what = {"results": "a SELECT answer", "boolean": "an ASK answer", "graph": "an RDF graph"}[kind]
    message = f"cannot send {what} in any format the request accepts (Accept: {accept})"
    if detail:
        message += f": {detail}"
    return NotAcceptable(message, offered=list(offers))


async def _update(request: Request, protocol: ProtocolRequest) -> Response:
    settings = request.app.state.settings
    check_update_token(request.headers.get("authorization"), settings)
    text = protocol.text or ""
    inspection = await _inspect(request, text, is_update=True)
    await _verify(request, text, is_update=True, inspection=inspection)
    using, using_named = protocol.iris("using-graph-uri"), protocol.iris("using-named-graph-uri")
    if using or using_named:
        if inspection.names_dataset:
            raise DatasetConflict(
                "the update names its own dataset (USING, USING NAMED or WITH) and the request also has "
                "using-graph-uri/using-named-graph-uri; use one or the other"
            )
        try:
            text = add_using_clauses(text, using, using_named)
        except LexerError as error:
            raise BadRequest(f"the update does not parse: {error}") from None
    rehearse = inspection.has_pattern or inspection.loads or bool(inspection.services)
    await request.app.state.evaluator.update(text, base_iri=_endpoint_address(request), rehearse=rehearse)
    request.app.state.knowledge.prepare_in_background()
    return Response(status_code=204)


# --- service description ---------------------------------------------------------------------------
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON-LD",
    "nquads": "N-Quads",
    "trig": "TriG",
}
#: Named graphs listed in the description at most (a user's store may hold very many).
MAX_DESCRIBED_GRAPHS = 1000


def service_description(endpoint: str, *, updates: bool, federated: bool, named_graphs: Sequence[str]) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, as triples.

    >>> triples = service_description("http://127.0.0.1:8000/sparql", updates=False, federated=False, named_graphs=[])
    >>> sorted({t.object.value for t in triples if t.predicate.value.endswith("supportedLanguage")})
    ['http://www.w3.org/ns/sparql-service-description#SPARQL11Query']
    >>> [t.object.value for t in triples if t.predicate.value.endswith("#endpoint")]
    ['http://127.0.0.1:8000/sparql']
    """
    sd = lambda name: ox.NamedNode(_SD + name)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default_graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/title"),
            ox.Literal("painlink: how foot pain and back pain are linked (SPARQL 1.1 endpoint)"),
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, rdf_type, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if federated:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for key in dict.fromkeys([*RESULT_OFFERS.values(), *GRAPH_OFFERS.values()]):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + _FORMAT_IRIS[key])))
    for number, name in enumerate(named_graphs[:MAX_DESCRIBED_GRAPHS]):
        node = ox.BlankNode(f"graph{number}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, sd("name"), ox.NamedNode(name))]
    return triples


async def service_description_response(request: Request, accept: str | None) -> Response:
    offer = negotiate(accept, list(GRAPH_OFFERS))
    if offer is None:
        raise NotAcceptable(
            f"cannot send the service description in any format the request accepts (Accept: {accept})",
            offered=list(GRAPH_OFFERS),
        )
    settings = request.app.state.settings
    triples = service_description(
        _endpoint_address(request),
        updates=settings.updates_enabled,
        federated=settings.allow_service,
        named_graphs=await asyncio.to_thread(request.app.state.store.named_graphs),
    )
    body = write_triples(triples, GRAPH_OFFERS[offer], max_rows=len(triples), prefixes={"sd": _SD, "formats": _FORMATS})
    return Response(body, media_type=offer, headers={"Vary": "Accept"})
