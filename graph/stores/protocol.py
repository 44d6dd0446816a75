"""The SPARQL 1.1 Protocol as the remote store speaks it: media types, one HTTP request with the
server's failures turned into store errors, and a response turned into pyoxigraph results.

What a server answers maps onto what the embedded store raises, so callers handle one set of
exceptions on every backend: 400 is a ``SyntaxError`` (a bad query), an unreachable or slow server
:class:`~painlink.graph.stores.errors.StoreUnavailableError` with 503, a server error or another
refusal the same error with 502.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pyoxigraph as ox

from .errors import StoreUnavailableError
from .values import DEFAULT_GRAPH, QueryResult

__all__ = [
    "QUERY_ACCEPT", "RESULT_FORMATS", "ChallengeAuth", "without_credentials", "accept_for", "send",
    "parse_answer", "as_boolean",
]

QUERY_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
)
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}



class ChallengeAuth(httpx.Auth):
    """HTTP authentication as the server's challenge asks: Digest (Virtuoso's ``/sparql-auth``) or
    Basic (most others). The first request goes without, and a 401 says which; Digest then keeps its
    challenge, Basic is sent at once from then on."""

    requires_request_body = True  # a challenged request is sent again

    def __init__(self, username: str, password: str) -> None:
        self._digest = httpx.DigestAuth(username, password)
        self._basic = httpx.BasicAuth(username, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)  # sends as it is, answers a Digest challenge
        request = next(flow)
        while True:
            response = yield request
            try:
                request = flow.send(response)
            except StopIteration:
                break
        challenges = [h.lower() for h in response.headers.get_list("www-authenticate")]
        if response.status_code == 401 and any(h.startswith("basic") for h in challenges):
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


def without_credentials(url: str) -> tuple[str, ChallengeAuth | None]:
    """``url`` without the ``user:password@`` it may hold, and the authentication they ask for, so no
    password reaches a message, a log or an answer.

    >>> without_credentials("http://painlink:s%40cret@host:8890/sparql-auth")[0]
    'http://host:8890/sparql-auth'
    >>> without_credentials("http://host:7878/query")
    ('http://host:7878/query', None)
    """
    parsed = httpx.URL(url)
    if not parsed.userinfo:
        return url, None
    return str(parsed.copy_with(username=None, password=None)), ChallengeAuth(parsed.username, parsed.password)


def accept_for(form: str | None) -> str:
    """The Accept header for a query of ``form`` (``SELECT``...; None: not known). A server that
    answers by the first type it can write (Virtuoso writes a CONSTRUCT as a result table) gets only
    the types that fit the form."""
    if form in ("SELECT", "ASK"):
        return _RESULTS_ACCEPT
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _GRAPH_ACCEPT
    return QUERY_ACCEPT


def send(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to the server; its failures raised as the store errors the module docstring names
    (a 401 or 403: a 502 that says the server refused painlink's credentials or permission)."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise StoreUnavailableError(f"the SPARQL server at {url} did not answer in time") from None
    except httpx.TransportError as error:
        raise StoreUnavailableError(f"cannot reach the SPARQL server at {url}: {error}") from None
    if response.status_code >= 500:
        raise StoreUnavailableError(
            f"the SPARQL server at {url} failed with {response.status_code}: {response.text[:500]}",
            status=502,
        )
    if response.status_code == 400:
        # What embedded pyoxigraph raises for a bad query, so callers handle one exception.
        raise SyntaxError(f"the SPARQL server rejected the request: {response.text[:1000]}")
    if response.status_code >= 400:
        raise StoreUnavailableError(
            f"the SPARQL server at {url} refused the request with {response.status_code}: "
            f"{response.text[:500]}",
            status=502,
        )
    return response


def _as_query_triples(triples: Iterable[ox.Triple | ox.Quad]) -> ox.QueryTriples:
    # pyoxigraph has no public constructor for QueryTriples; a CONSTRUCT over a scratch store
    # gives callers the very type the embedded store returns (serialize(), iteration).
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, DEFAULT_GRAPH) for t in triples)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


# Virtuoso labels blank nodes ``nodeID://b10000``, which is no valid label; its JSON writes them so.
_VIRTUOSO_BNODE = re.compile(rb'("type": "bnode", "value": ")nodeID://')


def parse_answer(response: httpx.Response, url: str) -> QueryResult:
    """The pyoxigraph result of a query's answer, read by its media type."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in RESULT_FORMATS:
        content = _VIRTUOSO_BNODE.sub(rb"\1", response.content)
        return ox.parse_query_results(content, format=RESULT_FORMATS[media_type])
    # A graph: pyoxigraph knows every RDF media type (and text/plain, which Virtuoso sends N-Triples as).
    graph_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if graph_format is not None:
        return _as_query_triples(ox.parse(response.content, format=graph_format))
    raise StoreUnavailableError(
        f"the SPARQL server at {url} answered with an unknown media type {media_type!r}",
        status=502,
    )


def as_boolean(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """An ASK answered as a table (Virtuoso: one row when true, none when false) as the boolean it is."""
    truth = next(iter(solutions), None) is not None
    return ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if truth else b"false"),
                                  format=ox.QueryResultsFormat.JSON)
