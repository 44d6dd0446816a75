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

``max_length`` and ``limit`` are bounded by the settings ``max_path_length`` and ``max_answers``
(:class:`~painlink.service.settings.Settings`), which the SPARQL path extension shares
(:mod:`painlink.service.pathservice`).
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

from painlink.graph.chains import DEFAULT_LIMIT, DEFAULT_MAX_LENGTH
from painlink.graph.exceptions import InvalidParameterError, UnknownClaimError, UnknownEntityError
from painlink.graph.explain import DEFAULT_EXPLAIN_LENGTH, MAX_SYMPTOMS
from painlink.graph.knowledge import MAX_DEPTH, Knowledge
from painlink.graph.model import Entity as EntityAnswer
from painlink.service import schemas
from painlink.service.dependencies import KnowledgeDep, SettingsDep, StoreDep
from painlink.service.errors import NotAcceptable
from painlink.service.jsonld import FORMATS, describe
from painlink.service.negotiation import negotiate
from painlink.service.questions import ask
from painlink.service.settings import Settings

__all__ = [
    "DEFAULT_EXPLAIN_LIMIT",
    "DEFAULT_SEARCH_LIMIT",
    "UnknownName",
    "docs_router",
    "path_limits",
    "router",
]

DEFAULT_SEARCH_LIMIT = 20
DEFAULT_EXPLAIN_LIMIT = 10
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
#: Query parameters that may be repeated; any other given twice is a 422 (never silently the last one).
REPEATABLE = frozenset({"symptom"})
#: The engine's parameter names -> the API's.
_API_NAMES = {"target": "to", "source": "from", "symptoms": "symptom"}
#: Parameters that are part of the path (``/api/entities/{id}``), not of the query string.
_PATH_PARAMETERS = frozenset({"id"})
_LINKED_DOC = {
    "description": "The JSON answer, or with `Accept: application/ld+json` a JSON-LD document "
    "(`text/turtle` for Turtle) about the same resource.",
    "content": {FORMATS["jsonld"]: {}, FORMATS["turtle"]: {}},
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
                name = _API_NAMES.get(error.field, error.field)
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
        claims = knowledge.projection.claims
        candidates = {
            cid: claims[cid] for cid in difflib.get_close_matches(key, list(claims), n=5, cutoff=0.6)
        }
    ranked = sorted(
        candidates.values(), key=lambda c: (-difflib.SequenceMatcher(None, key, c.id).ratio(), c.id)
    )
    return [
        schemas.Suggestion(id=c.id, label=c.statement or c.id, href=schemas.claim_href(c.id))
        for c in ranked[:5]
    ]


def _at_most(name: str, value: int, highest: int, setting: str) -> int:
    if value > highest:
        raise InvalidParameterError(
            name, f"must be at most {highest} on this server (setting {setting}), not {value}"
        )
    return value


def path_limits(
    settings: Settings,
    max_length: int | None,
    limit: int | None,
    *,
    default_length: int = DEFAULT_MAX_LENGTH,
    default_limit: int = DEFAULT_LIMIT,
) -> tuple[int, int]:
    """``max_length`` and ``limit`` with the defaults filled in, checked against the settings'
    ``max_path_length`` and ``max_answers``; :class:`~painlink.graph.exceptions.InvalidParameterError`
    when one is out of range. The defaults never exceed the bounds.

    >>> path_limits(Settings(max_path_length=4), None, None)
    (4, 5)
    >>> try:
    ...     path_limits(Settings(), 9, 1)
    ... except InvalidParameterError as error:
    ...     print(error)
    max_length: must be at most 8 on this server (setting max_path_length), not 9
    """
    for name, value in (("max_length", max_length), ("limit", limit)):
        if value is not None and value < 1:
            raise InvalidParameterError(name, f"must be at least 1, not {value}")
    length = min(default_length, settings.max_path_length) if max_length is None else max_length
    count = min(default_limit, settings.max_answers) if limit is None else limit
    return (
        _at_most("max_length", length, settings.max_path_length, "max_path_length"),
        _at_most("limit", count, settings.max_answers, "max_answers"),
    )


def _linked(request: Request, response: Response) -> str | None:
    """The RDF format the client asked for (``jsonld``/``turtle``), or None for JSON."""
    response.headers["Vary"] = "Accept"
    return LINKED_OFFERS[_representation(request, list(LINKED_OFFERS))]


def _document(store: Any, iri: str, what: str, fmt: str) -> Response:
    return Response(describe(store, iri, what, fmt), media_type=FORMATS[fmt], headers={"Vary": "Accept"})


# --- routes --------------------------------------------------------------------------------------------
_NAME_HELP = "An entity's id (foot-pain), IRI, CURIE (pli:foot-pain), label or synonym; case does not matter."


@router.get(
    "/entities",
    response_model=schemas.SearchResponse,
    summary="Search entities by label or synonym",
    responses={code: _ERRORS[code] for code in (406, 502, 503)},
)
def search_entities(
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Text to find in labels and synonyms.")
    ],
    limit: Annotated[
        int, Query(ge=1, description="The most hits (at most the server's max_answers, 50 by default).")
    ] = DEFAULT_SEARCH_LIMIT,
) -> schemas.SearchResponse:
    """Entities whose label or a lay synonym contains the text, best first ("sciatica", "flat feet")."""
    _representation(request, [JSON])
    if not q.strip():
        raise invalid("q", "give some text to search for; this is blank", q)
    _at_most("limit", limit, settings.max_answers, "max_answers")
    hits = knowledge.search(q.strip(), limit)
    return schemas.SearchResponse(query=q, limit=limit, hits=[schemas.SearchHit.of(hit) for hit in hits])


@router.get(
    "/entities/{id}",
    response_model=schemas.Entity,
    summary="One entity with neighbours, mappings and claims",
    responses={200: _LINKED_DOC, **_ERRORS},
)
def get_entity(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[str, Path(description=_NAME_HELP)],
    depth: Annotated[
        int, Query(ge=1, le=MAX_DEPTH, description="How many relations away neighbours may be.")
    ] = 1,
) -> Any:
    """The entity's names, definition, mappings to public ontologies, its neighbourhood and every claim
    about it (evidence counted; follow a claim's ``href`` for the evidence itself)."""
    fmt = _linked(request, response)
    entity = _resolve(knowledge, id, "id")
    if fmt is not None:
        return _document(store, entity.iri, "entity", fmt)
    neighbourhood = knowledge.neighbourhood(entity.id, depth)
    claims = knowledge.claims_about(entity.id)
    return schemas.Entity.model_validate(
        {
            "red_flags": [alert.to_dict() for alert in knowledge.red_flags([entity.id])],
            **entity.to_dict(),
            "neighbourhood": neighbourhood.to_dict(),
            "claims": [c.to_dict() for c in claims],
        }
    )


@router.get(
    "/paths",
    response_model=schemas.PathsResponse,
    summary="The best causal chains between two entities",
    responses=_ERRORS,
)
async def get_paths(
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    source: Annotated[
        str, Query(alias="from", min_length=1, description="Where the chains start. " + _NAME_HELP)
    ],
    target: Annotated[str, Query(alias="to", min_length=1, description="Where they end. " + _NAME_HELP)],
    max_length: Annotated[
        int | None,
        Query(
            ge=1,
            description=f"The most steps in a chain (default {DEFAULT_MAX_LENGTH}; "
            "at most the server's max_path_length, 8 by default).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            description=f"The most chains (default {DEFAULT_LIMIT}; at most the "
            "server's max_answers, 50 by default).",
        ),
    ] = None,
) -> schemas.PathsResponse:
    """Ranked causal chains from ``from`` to ``to``, each with its steps, the claims and evidence behind
    them, its score with the breakdown, and a plain-language explanation. ``truncated`` says when a
    limit may have hidden chains."""
    _representation(request, [JSON])
    length, count = path_limits(settings, max_length, limit)

    def answer() -> schemas.PathsResponse:  # in the path engine's threads, under its budget
        start, end = _resolve(knowledge, source, "from"), _resolve(knowledge, target, "to")
        return schemas.PathsResponse.of(knowledge.paths(start.id, end.id, max_length=length, limit=count))

    return await ask(request, answer)


@router.get(
    "/explain",
    response_model=schemas.ExplainResponse,
    summary="Candidate causes of observed symptoms",
    responses=_ERRORS,
)
async def get_explain(
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    symptom: Annotated[
        list[str],
        Query(
            min_length=1,
            max_length=MAX_SYMPTOMS,
            description="An observed symptom or sign; repeat for each. " + _NAME_HELP,
        ),
    ],
    limit: Annotated[
        int | None, Query(ge=1, description=f"The most candidate causes (default {DEFAULT_EXPLAIN_LIMIT}).")
    ] = None,
    max_length: Annotated[
        int | None,
        Query(
            ge=1, description=f"The most steps from a cause to a symptom (default {DEFAULT_EXPLAIN_LENGTH})."
        ),
    ] = None,
) -> schemas.ExplainResponse:
    """Causes that would explain the observed symptoms together, best first: what each explains and how
    (chains or signs, with evidence), what it leaves unexplained, and differentials between origins."""
    _representation(request, [JSON])
    length, count = path_limits(
        settings,
        max_length,
        limit,
        default_length=DEFAULT_EXPLAIN_LENGTH,
        default_limit=DEFAULT_EXPLAIN_LIMIT,
    )

    def answer() -> schemas.ExplainResponse:  # in the path engine's threads, under its budget
        ids = [_resolve(knowledge, name, "symptom").id for name in symptom]
        return schemas.ExplainResponse.of(knowledge.explain(ids, limit=count, max_length=length))

    return await ask(request, answer)


@router.get(
    "/interventions",
    response_model=schemas.InterventionsResponse,
    summary="What acts on the causal chains into a symptom",
    responses=_ERRORS,
)
async def get_interventions(
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    target: Annotated[
        str, Query(alias="for", min_length=1, description="The symptom or condition. " + _NAME_HELP)
    ],
    max_length: Annotated[
        int | None,
        Query(ge=1, description=f"The most steps of the chains considered (default {DEFAULT_MAX_LENGTH})."),
    ] = None,
) -> schemas.InterventionsResponse:
    """Interventions on the causal chains into the target: which chains each cuts, whether it cuts them
    all, and the evidence for, against and qualifying it. Helpful ones first."""
    _representation(request, [JSON])
    length, _ = path_limits(settings, max_length, None)

    def answer() -> schemas.InterventionsResponse:  # in the path engine's threads, under its budget
        entity = _resolve(knowledge, target, "for")
        return schemas.InterventionsResponse.of(knowledge.interventions(entity.id, max_length=length))

    return await ask(request, answer)


@router.get(
    "/claims", response_model=schemas.ClaimsResponse, summary="Every claim about an entity", responses=_ERRORS
)
def list_claims(
    request: Request,
    knowledge: KnowledgeDep,
    about: Annotated[str, Query(min_length=1, description="The entity. " + _NAME_HELP)],
) -> schemas.ClaimsResponse:
    """Every claim with the entity as subject (first) or object, each with all its evidence."""
    _representation(request, [JSON])
    entity = _resolve(knowledge, about, "about")
    claims = knowledge.claims_about(entity.id)
    return schemas.ClaimsResponse(
        about=schemas.EntitySummary.of(entity.ref), claims=[schemas.Claim.of(claim) for claim in claims]
    )


@router.get(
    "/claims/{id}",
    response_model=schemas.Claim,
    summary="One claim with all its evidence",
    responses={200: _LINKED_DOC, **_ERRORS},
)
def get_claim(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[
        str, Path(description="The claim's id (foot-pain--causes--altered-gait), plc: CURIE or IRI.")
    ],
) -> Any:
    """The claim, its statement and every item of evidence: quotes from the article, summaries of cited
    pages, each with its stance (supports, qualifies, contradicts) and source."""
    fmt = _linked(request, response)
    if not id.strip():
        raise invalid("id", "name a claim (its id, plc: CURIE or IRI); this is blank", id)
    try:
        claim = knowledge.claim(id)
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
