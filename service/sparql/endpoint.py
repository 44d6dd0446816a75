"""What ``/sparql`` answers: queries, updates, the service description and the editor page.

* Answers in the format content negotiation picks (:mod:`painlink.service.negotiation`): SELECT/ASK as
  SPARQL Results JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML, JSON-LD,
  N-Quads or TriG. 406 when the client accepts none of them, 415 for a body of another media type.
* Updates need the bearer token (:mod:`painlink.service.security`); an update that says USING or
  WITH and also has ``using-graph-uri`` is a 400.
* ``GET /sparql`` without a query describes the service (:mod:`.description`); a browser asking for
  HTML gets the query editor page (``app.state.sparql_page(request, query)``, set by the pages).
* Relative IRIs resolve against the endpoint's own address.

Queries run in the evaluator (:mod:`painlink.service.evaluator`), off the event loop and under the
timeout. SPARQL extensions that painlink answers itself (e.g. ``SERVICE <urn:painlink:paths>``) register
on ``app.state.sparql_extensions`` (IRI -> async function rewriting the query text before it runs;
see :data:`SparqlExtension`); their SERVICE IRIs are not outbound calls.

:func:`sparql_endpoint` is the one handler; :mod:`.front` calls it ahead of FastAPI's routing (the
route registered on :data:`router` documents the path and answers 405 for other methods).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from painlink.ontology import NAMESPACES
from painlink.service.errors import BadRequest, DatasetConflict, NotAcceptable
from painlink.service.evaluator import Answer, QuerySpec, UnacceptableAnswer
from painlink.service.formats import EVERY_OFFER
from painlink.service.limits import check_query_length, read_body
from painlink.service.negotiation import negotiate, prefers
from painlink.service.security import check_update_token, needs_second_reading
from painlink.service.settings import Settings
from painlink.service.sparql import checks
from painlink.service.sparql.description import endpoint_address, endpoint_of, service_description_response
from painlink.service.sparql.protocol import (
    ALLOWED_METHODS,
    DATASET_PARAMS,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    ProtocolRequest,
    parse_protocol,
    parse_query_string,
)
from painlink.service.sparql_lexer import Inspection, LexerError, add_using_clauses

__all__ = ["VARY", "QueryPlan", "SparqlExtension", "plan_plain_get", "plan_query", "router", "sparql_endpoint"]

#: An extension answered by painlink itself: gets the query text (and the request, for the app's
#: state) and returns the text to run instead, with its ``SERVICE <iri> { ... }`` block replaced
#: (typically by a ``VALUES`` table of what the extension computed).
SparqlExtension = Callable[[str, Request], Awaitable[str]]

router = APIRouter(tags=["SPARQL"])

_RESULTS, _GRAPHS = list(RESULT_OFFERS), list(GRAPH_OFFERS)
_KINDS = {"SELECT": "results", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
#: Sent with every answer to a query (its format follows the request's Accept).
VARY = {"Vary": "Accept"}


async def sparql_endpoint(request: Request) -> Response:
    """Answer one SPARQL Protocol request (module docstring)."""
    settings = request.app.state.settings
    post = request.method == "POST"
    body = await read_body(request, settings.max_body_bytes) if post else b""
    query_string = request.scope.get("query_string", b"")
    arguments = ("POST" if post else "GET", request.headers.get("content-type"), query_string, body)
    if len(query_string) + len(body) < checks.INLINE_BELOW:
        protocol = _parse(*arguments)
    else:
        # Off the event loop: a 16 MB form body takes a while to split, and every other route waits
        # for the loop (check_form_fields bounds the work first).
        protocol = await asyncio.to_thread(_parse, *arguments)
    accept = request.headers.get("accept")
    if protocol.operation is None:
        if prefers(accept, "text/html", _GRAPHS):
            return await _page(request, None)
        return await service_description_response(request, accept)
    assert protocol.text is not None
    check_query_length(protocol.text, settings.max_query_length, protocol.operation)
    if protocol.operation == "query":
        return await _query(request, protocol, accept)
    return await _update(request, protocol)


router.add_route("/sparql", sparql_endpoint, methods=list(ALLOWED_METHODS))


def _parse(method: str, content_type: str | None, query_string: bytes, body: bytes) -> ProtocolRequest:
    # The URL's parameters as Starlette reads them (request.query_params), without building its objects.
    return parse_protocol(method, content_type, parse_query_string(query_string.decode("latin-1")), body)


async def _page(request: Request, query: str | None) -> Response:
    response = request.app.state.sparql_page(request, query)
    return await response if isinstance(response, Awaitable) else response


async def _run_extensions(request: Request, text: str, services: Sequence[str]) -> str:
    extensions: dict[str, SparqlExtension] = request.app.state.sparql_extensions
    for iri in dict.fromkeys(services):
        if iri in extensions:
            text = await extensions[iri](text, request)
    return text


async def _query(request: Request, protocol: ProtocolRequest, accept: str | None) -> Response:
    text = protocol.text or ""
    extensions = request.app.state.sparql_extensions
    local = list(extensions)
    inspection = await checks.inspect(request, text, is_update=False, local_services=local)
    original = text
    if inspection.services and extensions:
        text = await _run_extensions(request, text, inspection.services)
    await checks.verify(request, text, is_update=False, local_services=local,
                        inspection=inspection if text is original else None)
    if prefers(accept, "text/html", EVERY_OFFER):
        return await _page(request, protocol.text)
    plan = plan_query(protocol, text, inspection, accept, endpoint_address(request))
    try:
        answer = await request.app.state.evaluator.query(plan.spec, deadline=getattr(request.state, "query_deadline", None))
    except UnacceptableAnswer as error:
        raise plan.refusal(error) from None
    media_type = plan.media_type(answer.kind)
    if answer.spooled is None:
        return Response(answer.body, media_type=media_type, headers=VARY)
    return _SpooledAnswerResponse(answer, media_type=media_type, headers=VARY)


@dataclass(frozen=True)
class QueryPlan:
    """A checked query ready to run: the evaluator's :class:`QuerySpec`, and what its answer is sent
    as (the negotiated media type of each kind of answer; ``Vary: Accept`` beside it)."""

    spec: QuerySpec
    accept: str | None
    results_offer: str | None
    graph_offer: str | None

    def media_type(self, kind: str) -> str | None:
        """The ``Content-Type`` of an answer of this kind (``results``, ``boolean``, ``graph``)."""
        return self.graph_offer if kind == "graph" else self.results_offer

    def refusal(self, error: UnacceptableAnswer) -> NotAcceptable:
        """The 406 for an answer no accepted format fits (known only once the query ran)."""
        return _not_acceptable(error.kind, self.accept, error.detail)


def plan_query(protocol: ProtocolRequest, text: str, inspection: Inspection, accept: str | None,
               base_iri: str) -> QueryPlan:
    """Negotiate the answer's formats and make the evaluator's spec of a checked query ``text``;
    406 when the query's form (if the checks learnt it) has no format the request accepts."""
    results_offer = negotiate(accept, _RESULTS)
    graph_offer = negotiate(accept, _GRAPHS)
    kind = _KINDS.get(inspection.form or "")
    if kind is not None and (graph_offer if kind == "graph" else results_offer) is None:
        raise _not_acceptable(kind, accept)
    has_dataset = any(protocol.iris(name) for name in DATASET_PARAMS)
    spec = QuerySpec(
        query=text,
        base_iri=base_iri,
        default_graph=tuple(protocol.iris("default-graph-uri")) if has_dataset else None,
        named_graphs=tuple(protocol.iris("named-graph-uri")) if has_dataset else None,
        results_format=RESULT_OFFERS[results_offer] if results_offer else None,
        graph_format=GRAPH_OFFERS[graph_offer] if graph_offer else None,
        prefixes=NAMESPACES,
    )
    return QueryPlan(spec, accept, results_offer, graph_offer)


def plan_plain_get(settings: Settings, query_string: bytes, accept: str | None,
                   local_services: Sequence[str]) -> QueryPlan | None:
    """What :func:`sparql_endpoint` makes of a ``GET /sparql`` with this query string and ``Accept``
    when it would await nothing before the query runs -- a short query, no SERVICE block that an
    extension answers, no second reading, not asked for as an HTML page: the same checks in the same
    order, raising what the handler would raise. None for any other request (the handler's own).

    A front's query lane (:mod:`painlink.service.fronts.lane`) answers such requests from its
    protocol, without the ASGI layers."""
    if len(query_string) >= checks.INLINE_BELOW:
        return None
    protocol = _parse("GET", None, query_string, b"")
    if protocol.operation != "query":
        return None
    text = protocol.text or ""
    check_query_length(text, settings.max_query_length, "query")
    inspection = checks.inspect_short(text, settings, is_update=False, local_services=local_services)
    if inspection.services or needs_second_reading(text, settings, is_update=False):
        return None
    if prefers(accept, "text/html", EVERY_OFFER):
        return None
    return plan_query(protocol, text, inspection, accept, endpoint_of(settings))


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
    inspection = await checks.inspect(request, text, is_update=True)
    await checks.verify(request, text, is_update=True, inspection=inspection)
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
    await request.app.state.evaluator.update(text, base_iri=endpoint_address(request), rehearse=rehearse)
    request.app.state.knowledge.prepare_in_background()
    return Response(status_code=204)
