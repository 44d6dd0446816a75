"""Size limits on what a client sends: request bodies, query strings, form fields and nesting.

The sizes are settings (:class:`painlink.service.settings.Settings`), each breach a 413 with a message
naming the limit, raised before the service does any work with the input. Two bounds on the *work* an
input can cause are fixed: :data:`MAX_FORM_FIELDS` (a 16 MB form body of ``a=&a=&...`` took 10 s to
split) and the nesting bound of every parser, :data:`painlink.ontology.bounds.MAX_NESTING` (deeper
queries and updates are a 400: the parsers recurse once a level and crash past a few thousand).

>>> check_query_length("ASK {}", 100)
>>> try:
...     check_query_length("SELECT * WHERE { ?s ?p ?o }", 10)
... except PayloadTooLarge as error:
...     print(error)
the query is 27 characters long; this server accepts at most 10
"""

from __future__ import annotations

from starlette.requests import Request

from painlink.ontology.bounds import MAX_NESTING
from painlink.service.errors import BadRequest, PayloadTooLarge

__all__ = ["MAX_FORM_FIELDS", "check_form_fields", "check_nesting", "check_query_length", "read_body"]

#: Fields a form body (``application/x-www-form-urlencoded``) may have; the SPARQL Protocol needs a
#: handful (query or update, and the dataset IRIs).
MAX_FORM_FIELDS = 1000


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


def check_form_fields(body: bytes, limit: int = MAX_FORM_FIELDS) -> None:
    """Refuse a form body with more than ``limit`` fields before splitting it (counting is cheap).

    >>> try:
    ...     check_form_fields(b"a=&" * 2000)
    ... except PayloadTooLarge as error:
    ...     print(error)
    the form has 2001 fields; this server accepts at most 1000
    """
    fields = body.count(b"&") + 1
    if fields > limit:
        raise PayloadTooLarge(f"the form has {fields} fields; this server accepts at most {limit}")


def check_nesting(depth: int, what: str = "query") -> None:
    """Refuse a query or update nested deeper than :data:`MAX_NESTING` (a 400: the text is not too
    long, it is too deep for the parsers).

    >>> try:
    ...     check_nesting(65)
    ... except BadRequest as error:
    ...     print(error)
    the query is nested 65 levels deep (brackets of every kind); this server accepts at most 64
    """
    if depth > MAX_NESTING:
        raise BadRequest(
            f"the {what} is nested {depth} levels deep (brackets of every kind); this server accepts at most {MAX_NESTING}"
        )
