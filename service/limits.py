"""Size limits on what a client sends: request bodies and query strings.

Each limit is a setting (:class:`painlink.service.settings.Settings`) and each breach is a 413 with a
message naming the limit, raised before the service does any work with the input.

>>> check_query_length("ASK {}", 100)
>>> try:
...     check_query_length("SELECT * WHERE { ?s ?p ?o }", 10)
... except PayloadTooLarge as error:
...     print(error)
the query is 27 characters long; this server accepts at most 10
"""

from __future__ import annotations

from starlette.requests import Request

from painlink.service.errors import BadRequest, PayloadTooLarge

__all__ = ["check_query_length", "read_body"]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes: at once from
    ``Content-Length``, else while streaming (chunked uploads), so an oversized body is never held
    whole in memory."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise BadRequest(f"the Content-Length header is not a number: {declared!r}") from None
        if length > limit:
            raise PayloadTooLarge(f"the request body is {length} bytes; this server accepts at most {limit}")
    chunks = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes, this server's limit")
        chunks.append(chunk)
    return b"".join(chunks)


def check_query_length(text: str, limit: int, what: str = "query") -> None:
    """Refuse a query or update string longer than ``limit`` characters."""
    if len(text) > limit:
        raise PayloadTooLarge(f"the {what} is {len(text)} characters long; this server accepts at most {limit}")
