"""``/sparql`` answered ahead of FastAPI's routing: the hottest path of the service, kept short.

A simple SELECT costs the engine a few hundredths of a millisecond; what made ``/sparql`` slow was the
request's way through the framework around it (bench/README.md, "Why /sparql throughput falls short"):
FastAPI's exception middleware, a route match against every route of the app, the request/response
wrappers and their exit stacks. :class:`SparqlFront` is a plain ASGI middleware, the innermost one
the app adds: a ``GET``, ``HEAD`` or ``POST`` to exactly ``/sparql`` goes straight to
:func:`~painlink.service.sparql.endpoint.sparql_endpoint`; everything else (other paths, other
methods -- 405 with ``Allow`` -- and CORS preflights, which the CORS middleware answers before this)
takes the app's usual way.

Nothing is skipped that guards the service: the middlewares outside this one (the request limit,
``nosniff``, CORS when configured, the server-error guard) still see every request, the handler is
the same one the route would call (token, limits, SERVICE/LOAD refusal with both readers, timeouts),
and its errors are answered by the app's own exception handlers (:func:`answer_error`), so they read
exactly as on any other route: plain text for a protocol client, never a trace.
"""

from __future__ import annotations

import inspect
from typing import Any

from starlette._exception_handler import _lookup_exception_handler
from starlette.requests import Request
from starlette.responses import Response

from painlink.service.sparql.endpoint import sparql_endpoint
from painlink.service.sparql.protocol import ALLOWED_METHODS

__all__ = ["SparqlFront", "answer_error"]

_PATH = "/sparql"


class SparqlFront:
    """ASGI middleware answering SPARQL Protocol requests itself (module docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or scope["path"] != _PATH or scope["method"] not in ALLOWED_METHODS:
            return await self.app(scope, receive, send)
        request = Request(scope, receive, send)
        try:
            response = await sparql_endpoint(request)
        except Exception as error:  # noqa: BLE001 - handed to the app's handlers, which know them all
            response = await answer_error(request, error)
        await response(scope, receive, send)
        return None


async def answer_error(request: Request, error: Exception) -> Response:
    """The app's answer to ``error`` (its registered exception handlers, as Starlette picks them: the
    nearest class in the error's MRO); re-raised when none handles it."""
    handler = _lookup_exception_handler(request.app.exception_handlers, error)
    if handler is None:
        raise error
    answer = handler(request, error)
    return await answer if inspect.isawaitable(answer) else answer
