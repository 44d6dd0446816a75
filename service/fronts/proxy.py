"""Forwarding a request from a front process to the serving process, over its private Unix socket.

The request goes as it came -- method, path and query exactly as sent, every header but the
hop-by-hop ones, the body as it arrives -- so the serving process judges it as if the client had
called it (``Host`` included: addresses, redirects and the MCP face's DNS-rebinding check depend on it).
The client's own address travels in ``X-Forwarded-For``, set here and never taken from the client
(the serving process trusts the header only on its private socket, which only fronts reach). The
answer streams back as it comes, status and headers unchanged.

If the serving process cannot be reached, the client gets a 503 that says so.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx

__all__ = ["Proxy"]

log = logging.getLogger("painlink.service")

# RFC 9110 7.6.1: headers that describe one connection, not the message; and our own forwarding
# headers, which a client must not be able to set.
_HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"transfer-encoding", b"upgrade",
    b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"forwarded",
})
_UNREACHABLE = b"the service is not reachable from this front process right now; try again shortly\n"


class Proxy:
    """An ASGI app that forwards every HTTP request to the server on the Unix socket ``path``."""

    def __init__(self, path: str) -> None:
        self.client = httpx.AsyncClient(
            transport=httpx.AsyncHTTPTransport(uds=path),
            # The serving process bounds its own work (query timeouts, path budgets, body timeouts);
            # here only the connection is bounded.
            timeout=httpx.Timeout(None, connect=10.0),
        )

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        headers = [(name, value) for name, value in scope["headers"] if name.lower() not in _HOP_BY_HOP]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", client[0].encode()))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        has_body = any(name.lower() in (b"content-length", b"transfer-encoding") for name, _ in scope["headers"])
        request = self.client.build_request(
            scope["method"], httpx.URL("http://painlink" + target.decode("latin-1")), headers=headers,
            content=_body(receive) if has_body else None,
        )
        try:
            answer = await self.client.send(request, stream=True)
        except _ClientGone:
            return  # the request is not completed upstream: the serving process does nothing with it
        except httpx.TransportError as error:
            log.warning("front: cannot reach the serving process: %s", error)
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"1"),
                (b"content-length", str(len(_UNREACHABLE)).encode())]})
            await send({"type": "http.response.body", "body": _UNREACHABLE})
            return
        try:
            await send({"type": "http.response.start", "status": answer.status_code, "headers": [
                (name, value) for name, value in answer.headers.raw if name.lower() not in _HOP_BY_HOP]})
            async for chunk in answer.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await answer.aclose()

    async def close(self) -> None:
        await self.client.aclose()


class _ClientGone(Exception):
    """The client left part-way through its body."""


async def _body(receive) -> AsyncIterator[bytes]:  # type: ignore[no-untyped-def]
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            # Ending the stream here would hand the serving process a shorter body as if complete
            # (a chunked upload would be taken in part); failing it leaves the request unfinished.
            raise _ClientGone
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return
