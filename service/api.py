"""The explainer's JSON API under ``/api`` (OpenAPI at ``/docs``).

=================================  ==================================================================
``GET /api/entities?q=&limit=``    entities whose label or a synonym matches ``q``, best first
``GET /api/entities/{id}``         one entity: names, definition, mappings, neighbours, claims
``GET /api/paths?from=&to=``       the best causal chains between two entities (``max_length``, ``limit``)
``GET /api/explain?symptom=...``   candidate causes of the observed symptoms (``symptom`` repeated)
``GET /api/interventions?for=``    what acts on the causal chains into a symptom or condition
``GET /api/claims/{id}``           one claim with all its evidence, for and against
``GET /api/claims?about=``         every claim about one entity, with its evidence
=================================  ==================================================================

Entities are named by id (``foot-pain``), IRI, CURIE (``pli:foot-pain``), label or synonym.
``/api/entities/{id}`` and ``/api/claims/{id}`` also answer ``Accept: application/ld+json`` (a compacted
JSON-LD document with painlink's IRIs, :mod:`painlink.service.jsonld`; JSON-LD's ``compacted`` profile
may be asked for) and ``text/turtle``.

Errors, always JSON and decided before any search runs:

* an unknown entity or claim: 404 ``{"detail", "parameter", "suggestions": [{"id", "label", "href"}]}``;
* a bad parameter (missing, not a number, out of range, given twice, or refused by the engine): 422 in
  FastAPI's shape, ``{"detail": [{"loc": ["query" or "path", NAME], "msg": REASON, "type", "input"}]}``;
* an ``Accept`` the route cannot satisfy: 406 ``{"detail"}`` naming the formats it has.

Each route answers one question of :data:`painlink.graph.QUESTIONS` (:data:`ROUTES`): its query
parameters, their defaults and bounds, its summary and the OpenAPI description of each come from the
declaration, with the server's caps (settings ``max_path_length``, ``max_answers``) applied
(:func:`painlink.service.questions.served`) -- the same as every other face.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable, Coroutine, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute

from painlink.graph import QUESTIONS, Knowledge
from painlink.graph.exceptions import InvalidParameterError, UnknownClaimError, UnknownEntityError
from painlink.graph.model import Entity as EntityAnswer
from painlink.service import schemas
from painlink.service.dependencies import KnowledgeDep, StoreDep
from painlink.service.errors import NotAcceptable
from painlink.service.jsonld import FORMATS, describe
from painlink.service.negotiation import negotiate
from painlink.service.questions import ask, served

__all__ = ["ROUTES", "UnknownName", "docs_router", "router"]

JSON = "application/json"
#: JSON-LD 1.1's profile for compacted documents (section 9.1): what :mod:`~painlink.service.jsonld`
#: writes, so ``Accept: application/ld+json;profile="...#compacted"`` is served (other profiles: 406).
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
#: Media types of the entity and claim routes, best first, with the jsonld writer's format name.
LINKED_OFFERS = {
    JSON: None,
    f'{FORMATS["jsonld"]}; profile="{COMPACTED}"': "jsonld",
    FORMATS["turtle"]: "turtle",
}
#: Query parameters that may be repeated (the declarations' lists); any other given twice is a 422
#: (never silently the last one).
REPEATABLE = frozenset(p.name for q in QUESTIONS.values() for p in q.parameters if p.type == "strings")
#: Parameters that are part of the path (``/api/entities/{id}``), not of the query string.
_PATH_PARAMETERS = frozenset({"id"})
_LINKED_DOC = {
    "description": "The JSON answer, or with `Accept: application/ld+json` a JSON-LD document "
    "(`text/turtle` for Turtle) about the same resource.",
    "content": {FORMATS["jsonld"]: {}, FORMATS["turtle"]: {}},
}
_INVALID = {
    "model": schemas.ParameterError,
    "description": "A bad parameter: missing, not a whole number, out of range, given twice, or refused.",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": schemas.NotFoundError,
        "description": "Nothing by that name; the closest names are suggested.",
    },
    406: {
        "model": schemas.ErrorMessage,
        "description": "The request's Accept header allows no format this route produces.",
    },
    502: {
        "model": schemas.ErrorMessage,
        "description": "The remote SPARQL server holding the graph (--store) answered with an error.",
    },
    503: {
        "model": schemas.ErrorMessage,
        "description": "The store cannot be reached or failed (a remote --store that is down); try again later.",
    },
}


class UnknownName(LookupError):
    """Raised by the routes' helpers when a parameter names no entity or claim; the route answers 404
    with ``body`` (what was not found, which parameter, and suggestions)."""

    def __init__(self, body: schemas.NotFoundError) -> None:
        super().__init__(body.detail)
        self.body = body


def invalid(
    name: str, reason: str, value: object = None, kind: str = "value_error"
) -> RequestValidationError:
    """A 422 for parameter ``name`` (of the path or the query) in FastAPI's own shape (the app's
    handler answers it)."""
    where = "path" if name in _PATH_PARAMETERS else "query"
    return RequestValidationError([{"type": kind, "loc": (where, name), "msg": reason, "input": value}])


class _ExplainerRoute(APIRoute):
    """Routes whose errors become the API's answers: :class:`UnknownName` a 404 with suggestions, the
    engine's :class:`~painlink.graph.exceptions.InvalidParameterError` a 422 naming the parameter."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except UnknownName as error:
                return JSONResponse(error.body.model_dump(), status_code=404)
            except InvalidParameterError as error:
                name = error.field
                given = request.query_params.getlist(name)
                raise invalid(name, error.reason, given[0] if len(given) == 1 else given or None) from None

        return answer


def _one_value_each(request: Request) -> None:
    """Refuse a parameter given twice (other than ``symptom``): which one was meant is a guess."""
    names = [name for name, _ in request.query_params.multi_items()]
    for name in dict.fromkeys(names):
        count = names.count(name)
        if count > 1 and name not in REPEATABLE:
            raise invalid(
                name, f"given {count} times; give it once", request.query_params.getlist(name), "repeated"
            )


router = APIRouter(
    prefix="/api",
    tags=["Explainer API"],
    route_class=_ExplainerRoute,
    dependencies=[Depends(_one_value_each)],
)


# --- helpers -------------------------------------------------------------------------------------------
def _representation(request: Request, offers: Sequence[str]) -> str:
    accept = request.headers.get("accept")
    chosen = negotiate(accept, list(offers))
    if chosen is None:
        raise NotAcceptable(
            f"{request.url.path} cannot answer in a format the request accepts (Accept: {accept})",
            offered=offers,
        )
    return chosen


def _resolve(knowledge: Knowledge, name: str, parameter: str) -> EntityAnswer:
    """The entity ``name`` names, or :class:`UnknownName` with the closest entities as suggestions."""
    if not name.strip():
        raise invalid(parameter, "name an entity (an id, label or synonym); this is blank", name)
    try:
        return knowledge.resolve(name)
    except UnknownEntityError as error:
        suggestions = []
        for label in error.suggestions:
            try:
                entity = knowledge.resolve(label)
            except UnknownEntityError:
                continue  # a label shared by two entities cannot be followed; the others still help
            suggestions.append(
                schemas.Suggestion(id=entity.id, label=entity.label, href=schemas.entity_href(entity.id))
            )
        raise UnknownName(
            schemas.NotFoundError(detail=str(error), parameter=parameter, suggestions=suggestions)
        ) from None


def _claim_suggestions(knowledge: Knowledge, claim_id: str) -> list[schemas.Suggestion]:
    """Claims about the entities a mistyped claim id names (``SUBJECT--PREDICATE--OBJECT``), closest first."""
    key = claim_id.rsplit("/", 1)[-1].removeprefix("plc:")
    candidates = {}
    parts = key.split("--")
    for part in {parts[0], parts[-1]}:
        try:
            candidates.update({claim.id: claim for claim in knowledge.claims_about(part)})
        except (UnknownEntityError, InvalidParameterError):
            continue  # that part names no entity (or nothing at all); the other may
    if not candidates:
        # Nothing in the id names an entity: the claims whose ids are spelt most like it.
        candidates = {
            cid: knowledge.claim(cid)
            for cid in difflib.get_close_matches(key, knowledge.claim_ids(), n=5, cutoff=0.6)
        }
    ranked = sorted(
        candidates.values(), key=lambda c: (-difflib.SequenceMatcher(None, key, c.id).ratio(), c.id)
    )
    return [
        schemas.Suggestion(id=c.id, label=c.statement or c.id, href=schemas.claim_href(c.id))
        for c in ranked[:5]
    ]


def _linked(request: Request, response: Response) -> str | None:
    """The RDF format the client asked for (``jsonld``/``turtle``), or None for JSON."""
    response.headers["Vary"] = "Accept"
    return LINKED_OFFERS[_representation(request, list(LINKED_OFFERS))]


def _document(store: Any, iri: str, what: str, fmt: str) -> Response:
    return Response(describe(store, iri, what, fmt), media_type=FORMATS[fmt], headers={"Vary": "Accept"})


# --- reading a question's parameters --------------------------------------------------------------------
def _values(request: Request, name: str, **path: str) -> dict[str, Any]:
    """The checked values of question ``name``'s parameters from the request (the query string, and
    ``path`` for those in the address), with this server's caps; a bad one raises the engine's
    :class:`~painlink.graph.exceptions.InvalidParameterError`, which the route class answers 422."""
    question = served(request, name)
    raw: dict[str, Any] = dict(path)
    for parameter in question.parameters:
        given = request.query_params.getlist(parameter.name)
        if given and parameter.name not in path:
            raw[parameter.name] = given
    return question.validate(raw)


def _resolved(knowledge: Knowledge, name: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every entity name replaced by its entity's id (a 404 with suggestions when one
    names nothing), so the answer is computed for what was meant."""
    resolved = dict(values)
    for parameter in QUESTIONS[name].parameters:
        if parameter.entity and values.get(parameter.name) is not None:
            given = values[parameter.name]
            if isinstance(given, list):
                resolved[parameter.name] = [_resolve(knowledge, item, parameter.name).id for item in given]
            else:
                resolved[parameter.name] = _resolve(knowledge, given, parameter.name).id
    return resolved


def _answer(request: Request, knowledge: Knowledge, name: str, **path: str) -> Any:
    """The engine's answer to question ``name`` for this request."""
    values = _resolved(knowledge, name, _values(request, name, **path))
    return served(request, name).ask(knowledge, **values)


def _documented(name: str) -> dict[str, Any]:
    """The OpenAPI ``parameters`` of question ``name``'s query string, from its declaration."""
    parameters = []
    for parameter in QUESTIONS[name].parameters:
        if parameter.name in _PATH_PARAMETERS:
            continue
        description = parameter.description
        if parameter.setting:
            description += f" At most the server's {parameter.setting} (a setting)."
        parameters.append({
            "name": parameter.name, "in": "query", "required": parameter.required,
            "description": description, "schema": parameter.schema(),
        })
    return {"parameters": parameters}


def _route(path: str, name: str, model: type, codes: Sequence[int | str] | None = None, **extra: Any):
    """``router.get`` for the route answering question ``name``: summary, description and query
    parameters from its declaration."""
    question = QUESTIONS[name]
    ROUTES[path] = name
    errors = {code: _ERRORS[code] for code in (codes or _ERRORS)}
    return router.get(
        path, response_model=model, summary=question.title, description=question.description,
        openapi_extra=_documented(name), responses={**errors, 422: _INVALID, **extra.pop("responses", {})},
        **extra,
    )


# --- routes --------------------------------------------------------------------------------------------
#: Route address -> the question it answers (read by the tests that walk every declaration).
ROUTES: dict[str, str] = {}


@_route("/entities", "search", schemas.SearchResponse, codes=(406, 502, 503))
def search_entities(request: Request, knowledge: KnowledgeDep) -> schemas.SearchResponse:
    _representation(request, [JSON])
    return schemas.SearchResponse.of(served(request, "search").ask(knowledge, **_values(request, "search")))


@_route("/entities/{id}", "entity", schemas.Entity, responses={200: _LINKED_DOC})
def get_entity(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[str, Path(description=QUESTIONS["entity"].parameter("id").description)],
) -> Any:
    fmt = _linked(request, response)
    values = _values(request, "entity", id=id)
    entity = _resolve(knowledge, values["id"], "id")
    if fmt is not None:
        return _document(store, entity.iri, "entity", fmt)
    return schemas.Entity.of(served(request, "entity").ask(knowledge, **{**values, "id": entity.id}))


@_route("/paths", "paths", schemas.PathsResponse)
async def get_paths(request: Request, knowledge: KnowledgeDep) -> schemas.PathsResponse:
    _representation(request, [JSON])
    _values(request, "paths")  # checked here, before the question waits for a thread
    return await ask(request, lambda: schemas.PathsResponse.of(_answer(request, knowledge, "paths")))


@_route("/explain", "explain", schemas.ExplainResponse)
async def get_explain(request: Request, knowledge: KnowledgeDep) -> schemas.ExplainResponse:
    _representation(request, [JSON])
    _values(request, "explain")
    return await ask(request, lambda: schemas.ExplainResponse.of(_answer(request, knowledge, "explain")))


@_route("/interventions", "interventions", schemas.InterventionsResponse)
async def get_interventions(request: Request, knowledge: KnowledgeDep) -> schemas.InterventionsResponse:
    _representation(request, [JSON])
    _values(request, "interventions")
    return await ask(
        request, lambda: schemas.InterventionsResponse.of(_answer(request, knowledge, "interventions"))
    )


@_route("/claims", "claims", schemas.ClaimsResponse)
def list_claims(request: Request, knowledge: KnowledgeDep) -> schemas.ClaimsResponse:
    _representation(request, [JSON])
    return schemas.ClaimsResponse.of(_answer(request, knowledge, "claims"))


@_route("/claims/{id}", "claim", schemas.Claim, responses={200: _LINKED_DOC})
def get_claim(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[str, Path(description=QUESTIONS["claim"].parameter("id").description)],
) -> Any:
    fmt = _linked(request, response)
    values = _values(request, "claim", id=id)
    try:
        claim = served(request, "claim").ask(knowledge, **values)
    except UnknownClaimError as error:
        raise UnknownName(
            schemas.NotFoundError(
                detail=str(error), parameter="id", suggestions=_claim_suggestions(knowledge, id)
            )
        ) from None
    if fmt is not None:
        return _document(store, claim.iri, "claim", fmt)
    return schemas.Claim.of(claim)


# --- /docs ---------------------------------------------------------------------------------------------
#: The interactive documentation page: Swagger UI from the service's own static files (FastAPI's default
#: page loads it from a CDN, and painlink's pages load nothing from other hosts).
docs_router = APIRouter(include_in_schema=False)

DOCS_HEADERS = {
    # Swagger UI sets style attributes at run time, and draws its icons from data: URLs in its CSS.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@docs_router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API's interactive documentation (Swagger UI over ``/openapi.json``)."""
    title = html.escape(f"{request.app.title} API")
    openapi = html.escape(request.app.openapi_url or "/openapi.json")
    page = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel=stylesheet href="/static/swagger-ui/swagger-ui.css"></head>'
        f'<body><div id=swagger-ui data-openapi="{openapi}"></div>'
        '<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>'
        '<script src="/static/api-docs.js"></script></body></html>'
    )
    return HTMLResponse(page, headers=DOCS_HEADERS)
