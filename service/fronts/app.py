"""A front process's ASGI app: SPARQL queries answered here, everything else forwarded.

A ``GET``, ``HEAD`` or ``POST`` to ``/sparql`` runs the endpoint's own handler
(:func:`~painlink.service.sparql.endpoint.sparql_endpoint`) with this app's state: the same settings,
token check, limits, SERVICE/LOAD refusal with both readers, negotiation and error wording as the
serving process. Whatever that handler would need of the serving process -- a write, the store
itself (the service description), a painlink extension (``SERVICE <urn:painlink:paths>``), the query
editor page, a replica that is behind -- raises :class:`~painlink.service.fronts.evaluator.Forward`,
and the request goes to the serving process with the body it had already read. A browser asking for
HTML is forwarded straight away (its pages and error pages are the serving process's). Every other
path is forwarded; the serving process's private routes (``/_painlink/``) are not.

Around it the guards every request meets on the serving process: the request limit, ``nosniff``, CORS
when configured, and the app's error handlers (errors read the same, never a trace).
"""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from painlink.service.app import NoSniff, add_error_handlers
from painlink.service.connections import RequestLimit
from painlink.service.formats import EVERY_OFFER
from painlink.service.fronts.board import VersionBoard
from painlink.service.fronts.evaluator import Forward, FrontEvaluator
from painlink.service.fronts.proxy import Proxy
from painlink.service.messages import Request as WorkerRequest
from painlink.service.negotiation import prefers
from painlink.service.pathservice import SERVICE_IRI as PATHS_IRI
from painlink.service.security import cors_options
from painlink.service.settings import Settings
from painlink.service.sparql.endpoint import sparql_endpoint
from painlink.service.sparql.front import answer_error
from painlink.service.sparql.protocol import ALLOWED_METHODS

__all__ = ["NOT_HERE", "PRIVATE_PREFIX", "REPLICA_PATH", "SECRET_HEADER", "FrontApp", "create_front_app"]

#: The serving process's routes for its fronts; never forwarded from a client.
PRIVATE_PREFIX = "/_painlink/"
#: Where a front asks for its replica: ``GET REPLICA_PATH?name=N[&since=VERSION]``.
REPLICA_PATH = PRIVATE_PREFIX + "fronts/replica"
#: The header carrying the secret the serving process gave its fronts.
SECRET_HEADER = "x-painlink-front"

#: The answer to a client asking for a private route (from a front, or without the secret).
NOT_HERE = PlainTextResponse("there is nothing at this address\n", status_code=404)


async def _forwarded(*_args: Any, **_kwargs: Any) -> Any:
    raise Forward


class _ServingStore:
    """Stands for the store in a front: any use of it is the serving process's to answer."""

    def __getattr__(self, name: str) -> Any:
        def forward(*_args: Any, **_kwargs: Any) -> Any:
            raise Forward
        return forward


class _Dispatch:
    """The innermost middleware: answer a query here or forward the request (module docstring)."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        path = scope["path"]
        if path.startswith(PRIVATE_PREFIX):
            return await NOT_HERE(scope, receive, send)
        if path != "/sparql" or scope["method"] not in ALLOWED_METHODS:
            return await self.proxy(scope, receive, send)
        read: list[dict] = []

        async def receive_and_keep() -> dict:
            message = await receive()
            read.append(message)
            return message

        request = Request(scope, receive_and_keep, send)
        if prefers(request.headers.get("accept"), "text/html", EVERY_OFFER):
            return await self.proxy(scope, receive, send)
        try:
            response = await sparql_endpoint(request)
        except Forward:
            return await self.proxy(scope, _replay(read, receive), send)
        except Exception as error:  # noqa: BLE001 - answered by the app's handlers, as on the serving process
            response = await answer_error(request, error)
        await response(scope, receive, send)
        return None


def _replay(read: list[dict], receive):  # type: ignore[no-untyped-def]
    """``receive`` that first hands out again the messages the handler already read."""
    pending = list(read)

    async def again() -> dict:
        if pending:
            return pending.pop(0)
        return await receive()

    return again


class FrontApp:
    """The ASGI app a front serves: the guards, then :class:`_Dispatch` -- a plain chain, without
    FastAPI's own layers (its telemetry check, body limit and exception middlewares cost a query
    here about as much as evaluating it). :attr:`handlers` is a FastAPI app for what the chain needs
    of one: the state, the error handlers (:func:`~painlink.service.app.add_error_handlers`) and the
    lifespan."""

    def __init__(self, handlers: FastAPI, chain: Any) -> None:
        self.handlers = handlers
        self.chain = chain
        self.state = handlers.state

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.handlers(scope, receive, send)  # the lifespan
        scope["app"] = self.handlers  # what request.app is on the serving process
        try:
            await self.chain(scope, receive, send)
        except Exception as error:  # noqa: BLE001 - never a trace; logged by the handler
            request = Request(scope, receive, send)
            await (await answer_error(request, error))(scope, receive, send)


def create_front_app(settings: Settings, *, socket_path: str, board_path: str, secret: str, name: str,
                     on_overrun: Any) -> FrontApp:
    """The app of front ``name``: the serving process listens on ``socket_path``, shows the store's
    version on the board at ``board_path`` and hands out replicas to callers with ``secret``;
    ``on_overrun`` is called when a query overran (the front must retire)."""
    proxy = Proxy(socket_path)

    async def fetch_replica(since: int | None) -> tuple[int, WorkerRequest]:
        params = {"name": name} if since is None else {"name": name, "since": str(since)}
        answer = await proxy.client.get("http://painlink" + REPLICA_PATH, params=params,
                                        headers={SECRET_HEADER: secret}, timeout=600)
        answer.raise_for_status()
        # From the serving process, on its private socket: its own pickled (version, message).
        return pickle.loads(answer.content)  # noqa: S301

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        board = VersionBoard.open(board_path)
        evaluator = FrontEvaluator(board, fetch_replica, timeout=settings.query_timeout,
                                   max_rows=settings.max_result_rows, on_overrun=on_overrun)
        app.state.evaluator = evaluator
        evaluator.catch_up()  # until the first replica arrives, queries are forwarded
        try:
            yield
        finally:
            await evaluator.close()
            await proxy.close()
            board.close()

    handlers = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
    handlers.state.settings = settings
    handlers.state.store = _ServingStore()
    handlers.state.sparql_extensions = {PATHS_IRI: _forwarded}
    handlers.state.sparql_page = _forwarded
    handlers.state.error_page = None
    add_error_handlers(handlers)
    chain: Any = _Dispatch(proxy)
    options = cors_options(settings)
    if options is not None:
        chain = CORSMiddleware(chain, **options)
    chain = RequestLimit(NoSniff(chain), limit=settings.max_requests)
    return FrontApp(handlers, chain)
