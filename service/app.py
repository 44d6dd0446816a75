"""The FastAPI application: :func:`create_app` wires settings, the knowledge graph, the evaluator and one
router per resource.

The lifespan builds everything once, before the first request, and keeps it on ``app.state``:

* ``settings`` -- :class:`~painlink.service.settings.Settings` (set at creation, before the lifespan);
* ``store`` -- the store (:func:`painlink.graph.stores.open_store` from the settings, the shipped
  ontology synced into it, the ``data`` files loaded), unless one was passed to :func:`create_app`;
* ``knowledge`` -- the :class:`~painlink.graph.knowledge.Knowledge` facade over that store;
* ``evaluator`` -- where SPARQL runs (:mod:`painlink.service.evaluator`);
* ``questions`` -- where path questions run, under their budget (:mod:`painlink.service.questions`);
* ``sparql_extensions`` -- SERVICE IRIs painlink answers itself (:data:`painlink.service.sparql.SparqlExtension`);
* ``sparql_page`` -- the HTML page a browser gets at ``/sparql`` (``(request, query) -> Response``);
* ``error_page`` -- optional ``(request, status, message) -> Response`` for errors a browser gets on
  page routes (anything but ``/sparql``, ``/store`` and ``/api``).

Routes get them through the ``Annotated`` aliases of :mod:`painlink.service.dependencies`.

Errors: every class of :func:`painlink.service.meanings.meanings` (the service's, the engine's, the
store's, Starlette's 404 and 405, anything unexpected) is answered as it declares by one handler below
-- ``text/plain`` for the SPARQL and Graph Store protocols, JSON ``{"detail": ...}`` for everyone else
-- and never with a stack trace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from painlink import __version__
from painlink.graph.knowledge import Knowledge
from painlink.graph.stores import Store, open_store
from painlink.ontology import NAMESPACES, SHIPPED_FILES
from painlink.service import api, pages, pathservice, sparql, store_protocol
from painlink.service.connections import RequestLimit
from painlink.service.meanings import meaning_of, meanings
from painlink.service.evaluator import evaluator_for
from painlink.service.negotiation import prefers
from painlink.service.questions import QuestionPool, declarations
from painlink.service.security import cors_options
from painlink.service.settings import Settings

__all__ = ["NoSniff", "add_error_handlers", "create_app", "open_configured_store", "with_nosniff"]

log = logging.getLogger("painlink.service")

#: Path prefixes whose clients are protocol clients: their errors are plain text.
PROTOCOL_PATHS = ("/sparql", "/store")


def open_configured_store(settings: Settings) -> Store:
    """The store the settings ask for, with the shipped ontology synced in and the ``data`` files added
    through the one admission path for data (:meth:`painlink.graph.knowledge.Knowledge.add_files`:
    parsed, merged, checked with the SHACL shapes and QC queries, all or nothing -- what ``painlink
    validate`` and ``painlink --data`` check); a refused file raises
    :class:`~painlink.graph.exceptions.DataRejectedError` and leaves the store as it was."""
    store = open_store(
        memory=settings.memory,
        data_dir=settings.data_dir,
        store_url=settings.store_url,
        store_update_url=settings.store_update_url,
        refresh_interval=settings.store_refresh_interval,
        timeout=settings.store_timeout,
        shipped=SHIPPED_FILES,
    )
    try:
        if settings.data:
            Knowledge(store).add_files(settings.data)
    except BaseException:
        store.close()
        raise
    return store


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The painlink service. ``settings`` default to the environment (``PAINLINK_*``); ``store``, when
    given, is served as it is (the caller opened it and closes it) instead of the configured one.

    >>> app = create_app(Settings(memory=True))
    >>> {"/sparql", "/store"} <= set(app.openapi()["paths"])
    True
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_store = store is None
        served = await asyncio.to_thread(open_configured_store, settings) if own_store else store
        evaluator = evaluator_for(
            served,
            timeout=settings.query_timeout,
            max_rows=settings.max_result_rows,
            workers=settings.query_workers,
            max_workers=settings.query_workers_max,
            prefixes=NAMESPACES,
            network=settings.allow_service,  # workers without network unless SERVICE is allowed
        )
        try:
            await evaluator.start()
            app.state.store = served
            app.state.knowledge = Knowledge(served)
            app.state.evaluator = evaluator
            app.state.questions = QuestionPool(settings)
            # The path engine's view of a large graph takes seconds to build: start it now, beside
            # the first requests, so the first /api/paths does not pay for it (writes restart it).
            app.state.knowledge.prepare_in_background()
            yield
        finally:
            knowledge = getattr(app.state, "knowledge", None)
            if knowledge is not None:
                # Let a build in progress finish before the store closes under it (bounded: a stop
                # must not wait for a build of a huge graph; the process ends it then).
                await asyncio.to_thread(knowledge.wait_prepared, 10)
            questions = getattr(app.state, "questions", None)
            if questions is not None:
                questions.close()
            await evaluator.close()
            if own_store:
                served.close()

    app = FastAPI(
        title="painlink",
        version=__version__,
        summary="How foot pain and back pain are linked: a knowledge graph with evidence.",
        lifespan=lifespan,
        redirect_slashes=False,  # _without_trailing_slash redirects, to the canonical address
        docs_url=None,  # /docs is painlink.service.api's: Swagger UI from our static files, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sparql_extensions = {}
    app.state.sparql_page = None  # the pages set their editor here (pages.install below)
    app.state.error_page = None

    # Innermost: /sparql is answered here, ahead of FastAPI's routing, yet behind every guard below.
    app.add_middleware(sparql.SparqlFront)
    options = cors_options(settings)
    if options is not None:
        app.add_middleware(CORSMiddleware, **options)
    app.add_middleware(NoSniff)
    app.add_middleware(RequestLimit, limit=settings.max_requests)  # outermost: refuses before any work

    add_error_handlers(app)

    # One router per resource. Add yours with one line here (the pages also set
    # app.state.sparql_page = pages.sparql_page, and may set app.state.error_page).
    app.include_router(sparql.router)
    app.include_router(store_protocol.router)
    app.include_router(api.router)
    app.include_router(api.docs_router)
    app.state.sparql_extensions[pathservice.SERVICE_IRI] = pathservice.expand_paths  # causal paths in SPARQL
    pages.install(app)  # HTML pages and static files; sets app.state.sparql_page and error_page
    if settings.mcp_http:  # the MCP face at /mcp (painlink.service.mcp), off unless enabled
        from painlink.service.mcp.transport import install as install_mcp

        install_mcp(app)
    _document_sparql(app)
    return app


def with_nosniff(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` (raw ASGI pairs) with ``X-Content-Type-Options: nosniff`` unless they set it."""
    headers = list(headers)
    if not any(name.lower() == b"x-content-type-options" for name, _ in headers):
        headers.append((b"x-content-type-options", b"nosniff"))
    return headers


class NoSniff:
    """Send ``X-Content-Type-Options: nosniff`` with every answer (pages set it themselves): a query
    result, an error echoing a client's text or a JSON answer is then never read as HTML by a browser.
    Plain ASGI rather than ``@app.middleware``, which would slow every request down."""

    def __init__(self, app) -> None:  # any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_header(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_nosniff(message.get("headers", []))}
            await send(message)

        return await self.app(scope, receive, send_with_header)


def _document_sparql(app: FastAPI) -> None:
    """Add ``/sparql`` (answered ahead of FastAPI, see :mod:`painlink.service.sparql.openapi`) and the
    bearer-token scheme to the generated OpenAPI schema, and give the ``/api`` parameters this server's
    bounds (the operator's caps, :func:`painlink.service.questions.declarations`; the routers are
    built once, with the engine's ceilings)."""
    generate = app.openapi

    def openapi() -> dict:
        schema = generate()  # cached by FastAPI until the routes change; the additions stay on it
        if "/sparql" not in schema["paths"]:
            schema["paths"]["/sparql"] = sparql.OPENAPI_PATH
            schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
            schemes["bearer"] = {"type": "http", "scheme": "bearer", "description": "The update token (writes only)"}
            api.bound_documents(schema, declarations(app.state.settings))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- errors -----------------------------------------------------------------------------------------
async def _error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    path = request.url.path
    if path.startswith(PROTOCOL_PATHS):
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    page = getattr(request.app.state, "error_page", None)
    if page is not None and not path.startswith("/api") and prefers(request.headers.get("accept"), "text/html", ["application/json"]):
        response = page(request, status, message)
        response = await response if isinstance(response, Awaitable) else response
        if headers:
            response.headers.update(headers)
        return response
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at the request's path (asked of the routes themselves, so
    routers included by other parts count too)."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def _without_trailing_slash(request: Request) -> Response | None:
    """``/sparql/`` -> 307 to ``/sparql`` at the service's canonical address (Settings.base_url), when
    the address without the slash is a route. Starlette's own redirect would build the address from
    the Host header, which the client chooses (``Location: http://evil.example/sparql``)."""
    path = request.url.path
    if len(path) < 2 or not path.endswith("/"):
        return None
    scope = {**request.scope, "path": path.rstrip("/")}
    if not any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return None
    query = request.url.query
    target = request.app.state.settings.base_url + path.rstrip("/") + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=307)


def add_error_handlers(app: FastAPI) -> None:
    """Answer every error on ``app`` as the module docstring says (the front processes of
    :mod:`painlink.service.fronts` register the same handlers): one handler for every class of
    :func:`~painlink.service.meanings.meanings`; the status, wording, headers and logging are the
    declaration's, what is HTTP's own is added here (the methods a 405 allows, the redirect of a
    trailing slash, FastAPI's 422 shape outside the protocols)."""
    for cls in meanings():
        app.add_exception_handler(cls, _answer_error)


async def _answer_error(request: Request, error: Exception) -> Response:
    meaning = meaning_of(error)
    status, message, headers = meaning.status_of(error), meaning.message(error), meaning.headers_of(error)
    if meaning.log == "exception":
        log.exception("unexpected error on %s %s", request.method, request.url.path)
    elif meaning.log == "warning":
        log.warning("%s %s: the client left before sending the whole body; nothing was done",
                    request.method, request.url.path)
    if isinstance(error, ClientDisconnect):
        return Response(status_code=status)
    if isinstance(error, RequestValidationError) and not request.url.path.startswith(PROTOCOL_PATHS):
        return await request_validation_exception_handler(request, error)
    if isinstance(error, StarletteHTTPException):
        if status == 405:
            # Starlette names only the first route that matched the path; list every one's methods.
            headers["Allow"] = ", ".join(_allowed_methods(request)) or headers.get("Allow", "")
            message = f"{request.method} is not allowed on {request.url.path}; use {headers['Allow']}"
        elif status == 404 and message == "Not Found":
            redirect = _without_trailing_slash(request)
            if redirect is not None:
                return redirect
            message = f"there is nothing at {request.url.path}"
    return await _error_response(request, status, message, headers or None)
