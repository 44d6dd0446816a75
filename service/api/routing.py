"""How a route of the JSON API is made from a question declaration, and how its errors are answered.

:func:`route` registers a route on a resource's router: summary, description, query parameters
(OpenAPI) and error responses from :data:`painlink.graph.QUESTIONS`; :data:`ROUTES` records which
question each address answers. :class:`ExplainerRoute` turns the engine's parameter errors into 422s in
FastAPI's shape and :class:`UnknownName` into 404s with suggestions; :func:`one_value_each` refuses a
parameter given twice.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from painlink.graph import QUESTIONS, Question
from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.service import schemas
from painlink.service.errors import NotAcceptable
from painlink.service.jsonld import FORMATS, describe
from painlink.service.meanings import meaning_of
from painlink.service.negotiation import negotiate

__all__ = [
    "JSON", "LINKED_DOC", "ROUTES", "ExplainerRoute", "UnknownName", "bound_documents", "document", "invalid", "linked",
    "one_value_each", "representation", "route", "router",
]

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
PATH_PARAMETERS = frozenset({"id"})

LINKED_DOC = {
    "description": "The JSON answer, or with `Accept: application/ld+json` a JSON-LD document "
    "(`text/turtle` for Turtle) about the same resource.",
    "content": {FORMATS["jsonld"]: {}, FORMATS["turtle"]: {}},
}

INVALID = {
    "model": schemas.ParameterError,
    "description": "A bad parameter: missing, not a whole number, out of range, given twice, or refused.",
}

ERRORS: dict[int | str, dict[str, Any]] = {
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

    def __init__(self, body: schemas.NotFoundError, cause: type[LookupError] = UnknownEntityError) -> None:
        super().__init__(body.detail)
        self.body = body
        self.status = meaning_of(cause).status_of(self)  # what the engine's error means (a 404)


def invalid(
    name: str, reason: str, value: object = None, kind: str = "value_error"
) -> RequestValidationError:
    """A 422 for parameter ``name`` (of the path or the query) in FastAPI's own shape (the app's
    handler answers it)."""
    where = "path" if name in PATH_PARAMETERS else "query"
    return RequestValidationError([{"type": kind, "loc": (where, name), "msg": reason, "input": value}])


class ExplainerRoute(APIRoute):
    """Routes whose errors become the API's answers: :class:`UnknownName` a 404 with suggestions, the
    engine's :class:`~painlink.graph.exceptions.InvalidParameterError` a 422 naming the parameter."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except UnknownName as error:
                return JSONResponse(error.body.model_dump(), status_code=error.status)
            except InvalidParameterError as error:
                name = error.field
                given = request.query_params.getlist(name)
                raise invalid(name, error.reason, given[0] if len(given) == 1 else given or None) from None

        return answer


def one_value_each(request: Request) -> None:
    """Refuse a parameter given twice (other than ``symptom``): which one was meant is a guess."""
    names = [name for name, _ in request.query_params.multi_items()]
    for name in dict.fromkeys(names):
        count = names.count(name)
        if count > 1 and name not in REPEATABLE:
            raise invalid(
                name, f"given {count} times; give it once", request.query_params.getlist(name), "repeated"
            )


#: Every route of the API, under ``/api``; each resource's module adds its own (:func:`route`).
router = APIRouter(
    prefix="/api", tags=["Explainer API"], route_class=ExplainerRoute, dependencies=[Depends(one_value_each)]
)


def representation(request: Request, offers: Sequence[str]) -> str:
    accept = request.headers.get("accept")
    chosen = negotiate(accept, list(offers))
    if chosen is None:
        raise NotAcceptable(
            f"{request.url.path} cannot answer in a format the request accepts (Accept: {accept})",
            offered=offers,
        )
    return chosen


def linked(request: Request, response: Response) -> str | None:
    """The RDF format the client asked for (``jsonld``/``turtle``), or None for JSON."""
    response.headers["Vary"] = "Accept"
    return LINKED_OFFERS[representation(request, list(LINKED_OFFERS))]


def document(store: Any, iri: str, what: str, fmt: str) -> Response:
    return Response(describe(store, iri, what, fmt), media_type=FORMATS[fmt], headers={"Vary": "Accept"})


def documented(question: Question) -> dict[str, Any]:
    """The OpenAPI ``parameters`` of ``question``'s query string, from its declaration (with the caps
    it was :meth:`~painlink.graph.questions.Question.bounded` to, if any)."""
    parameters = []
    for parameter in question.parameters:
        if parameter.name in PATH_PARAMETERS:
            continue
        description = parameter.description
        if parameter.capped_by:
            description += f" At most {parameter.maximum} on this server (setting {parameter.capped_by})."
        elif parameter.setting:
            description += f" At most the server's {parameter.setting} (a setting)."
        parameters.append({
            "name": parameter.name, "in": "query", "required": parameter.required,
            "description": description, "schema": parameter.schema(),
        })
    return {"parameters": parameters}


def bound_documents(document: dict[str, Any], questions: dict[str, Question]) -> None:
    """Rewrite the query parameters of every ``/api`` operation in the OpenAPI ``document`` to
    ``questions`` (a server's :func:`~painlink.service.questions.declarations`): the schema then shows
    the operator's caps as each parameter's bounds, the same bounds the routes enforce."""
    for path, name in ROUTES.items():
        operation = document["paths"].get(router.prefix + path, {}).get("get")
        if operation is None:
            continue
        served = {p["name"]: p for p in documented(questions[name])["parameters"]}
        operation["parameters"] = [served.get(p["name"], p) if p.get("in") == "query" else p
                                   for p in operation.get("parameters", [])]


#: Route address -> the question it answers (read by the tests that walk every declaration).
ROUTES: dict[str, str] = {}


def route(path: str, name: str, model: type, codes: Sequence[int | str] | None = None, **extra: Any):
    """``router.get`` for the route answering question ``name``: summary, description and query
    parameters from its declaration."""
    question = QUESTIONS[name]
    ROUTES[path] = name
    errors = {code: ERRORS[code] for code in (codes or ERRORS)}
    return router.get(
        path, response_model=model, summary=question.title, description=question.description,
        openapi_extra=documented(question), responses={**errors, 422: INVALID, **extra.pop("responses", {})},
        **extra,
    )
