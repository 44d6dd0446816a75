"""Limits on connections and requests, so slow or idle clients cannot use the server up.

uvicorn has no timeout on a request's head or body: a client that connects and says nothing, or
sends its headers (or its body) a byte at a time, holds a connection -- a file descriptor -- for as long
as it likes. Its ``--limit-concurrency`` counts connections, so such clients would also turn every
normal request away. Instead:

* :func:`protocol_for` -- uvicorn's httptools protocol with two deadlines per request: the head
  (request line and headers) must arrive within ``header_timeout`` seconds of the connection opening
  or the previous answer, the body within ``body_timeout`` seconds of the head; past either, the
  connection is closed. A connection beyond ``max_connections`` is answered 503 and closed at once.
* :class:`RequestLimit` -- ASGI middleware: at most ``max_requests`` requests in progress; one more is
  answered 503 with ``Retry-After`` and a message naming the setting. Idle connections do not count.

All four are settings (:class:`~painlink.service.settings.Settings`, ``painlink serve`` options).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from painlink.service.settings import Settings

__all__ = ["RequestLimit", "protocol_for"]

_FULL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
         b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s")


class _GuardedProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with head and body deadlines and a connection cap (module docstring)."""

    header_timeout = 10.0
    body_timeout = 60.0
    max_connections = 1000

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        if len(self.connections) > self.max_connections:
            message = (f"the server has {self.max_connections} connections open (setting max_connections); "
                       "try again shortly\n").encode()
            transport.write(_FULL % (len(message), message))
            transport.close()
            return
        self._arm(self.header_timeout)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        # The client took too long for a head or a body: let the connection go. A request whose
        # body was cut off sees a disconnect and stops.
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._arm(self.body_timeout)  # until on_message_complete, which comes at once without a body
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            # The next request's head: uvicorn's keep-alive timer stops at its first byte, this does not.
            self._arm(max(self.header_timeout, self.timeout_keep_alive))

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_for(settings: Settings) -> type[HttpToolsProtocol]:
    """The uvicorn HTTP protocol class with the settings' connection limits."""
    return type("PainlinkHttpProtocol", (_GuardedProtocol,), {
        "header_timeout": settings.header_timeout,
        "body_timeout": settings.body_timeout,
        "max_connections": settings.max_connections,
    })


class RequestLimit:
    """ASGI middleware answering 503 when ``limit`` requests are already in progress."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.active >= self.limit:
            body = (f"the server is answering {self.limit} requests (setting max_requests); "
                    "try again shortly\n").encode()
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"1"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return None
        self.active += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            self.active -= 1
