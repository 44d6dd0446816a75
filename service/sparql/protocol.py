"""Reading a SPARQL 1.1 Protocol request: the operation, its text, the dataset parameters, the media
types the endpoint offers.

* Queries by ``GET ?query=``, ``POST`` form (``application/x-www-form-urlencoded``) and ``POST``
  ``application/sparql-query``; updates by ``POST`` form (``update=``) and ``POST``
  ``application/sparql-update``.
* The dataset parameters ``default-graph-uri`` / ``named-graph-uri`` (queries; they replace the query's
  own FROM / FROM NAMED) and ``using-graph-uri`` / ``using-named-graph-uri`` (updates).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

import pyoxigraph as ox

from painlink.service.errors import BadRequest, UnsupportedMediaType
from painlink.service.formats import GRAPH_OFFERS, RESULT_OFFERS  # (the one table; also exported here)
from painlink.service.limits import check_form_fields
from painlink.service.negotiation import parse_media_type

__all__ = [
    "ALLOWED_METHODS",
    "DATASET_PARAMS",
    "FORM",
    "GRAPH_OFFERS",
    "QUERY_BODY",
    "RESULT_OFFERS",
    "UPDATE_BODY",
    "ProtocolRequest",
    "parse_protocol",
    "parse_query_string",
]

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
_USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")
ALLOWED_METHODS = ("GET", "HEAD", "POST")


@dataclass
class ProtocolRequest:
    """What a SPARQL Protocol request asks for: ``operation`` is ``query``, ``update`` or None (no
    operation: describe the service), ``text`` the query or update, ``params`` the dataset parameters
    (name -> list of IRIs)."""

    operation: str | None
    text: str | None = None
    params: dict[str, list[str]] = field(default_factory=dict)

    def iris(self, name: str) -> list[str]:
        return self.params.get(name, [])


def _unquote(text: str) -> str:
    """``urllib.parse.unquote`` (UTF-8, errors replaced), done by the C codec: percent escapes become
    ``\\xHH`` escapes for ``codecs.escape_decode`` (backslashes doubled first). Five to six times
    faster on a query, which is mostly escapes; anything the codec refuses (a ``%`` without two hex
    digits) is left to ``unquote`` itself."""
    if "%" not in text:
        return text
    try:
        raw = codecs.escape_decode(text.encode("utf-8").replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
    except ValueError:
        return unquote(text)
    return raw.decode("utf-8", "replace")


def parse_query_string(text: str) -> list[tuple[str, str]]:
    """The fields of a query string or form body, exactly as ``urllib.parse.parse_qsl(text,
    keep_blank_values=True)`` reads them (what Starlette's ``request.query_params`` holds), faster.

    >>> parse_query_string("query=ASK%20%7B%7D&default-graph-uri=&x&a+b=%zz")
    [('query', 'ASK {}'), ('default-graph-uri', ''), ('x', ''), ('a b', '%zz')]
    """
    fields = []
    for field_ in text.split("&"):
        if field_:
            name, _, value = field_.partition("=")
            fields.append((_unquote(name.replace("+", " ")), _unquote(value.replace("+", " "))))
    return fields


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the {what} is not valid UTF-8 (byte {error.start}); send it UTF-8 encoded") from None


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body's charset is {charset}; this endpoint reads UTF-8 only")


def parse_protocol(
    method: str, content_type: str | None, url_params: Sequence[tuple[str, str]], body: bytes
) -> ProtocolRequest:
    """Read a SPARQL 1.1 Protocol request (the method, ``Content-Type``, the URL's parameters and the
    body) into a :class:`ProtocolRequest`, refusing what the protocol does not allow.

    >>> parse_protocol("GET", None, [("query", "ASK {}"), ("default-graph-uri", "http://g")], b"")
    ProtocolRequest(operation='query', text='ASK {}', params={'default-graph-uri': ['http://g']})
    >>> parse_protocol("POST", "application/sparql-update", [], b"CLEAR ALL").operation
    'update'
    >>> parse_protocol("POST", "application/x-www-form-urlencoded", [], b"query=ASK%20%7B%7D").text
    'ASK {}'
    >>> parse_protocol("GET", None, [], b"").operation is None
    True
    >>> try:
    ...     parse_protocol("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"")
    ... except BadRequest as error:
    ...     print(error)
    the request has 2 'query' parameters; send exactly one
    >>> try:
    ...     parse_protocol("POST", "text/plain", [], b"ASK {}")
    ... except UnsupportedMediaType as error:
    ...     print(error.status)
    415
    """
    params: list[tuple[str, str]] = list(url_params)
    text_from_body: tuple[str, str] | None = None
    if method == "POST":
        if not content_type:
            raise UnsupportedMediaType(
                f"a POST to the SPARQL endpoint needs a Content-Type: {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
            )
        media_type, media_params = parse_media_type(content_type)
        _check_charset(media_params)
        if media_type == FORM:
            check_form_fields(body)
            params += parse_query_string(_decode(body, "form body"))
        elif media_type == QUERY_BODY:
            text_from_body = ("query", _decode(body, "query"))
        elif media_type == UPDATE_BODY:
            text_from_body = ("update", _decode(body, "update"))
        else:
            raise UnsupportedMediaType(
                f"the SPARQL endpoint does not take {media_type} bodies; send {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
            )
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    for name in ("query", "update"):
        if len(grouped.get(name, [])) > 1:
            raise BadRequest(f"the request has {len(grouped[name])} {name!r} parameters; send exactly one")
    if text_from_body is not None:
        operation, text = text_from_body
        if "query" in grouped or "update" in grouped:
            raise BadRequest(
                f"a {operation} sent as the body must not also have a 'query' or 'update' parameter"
            )
    elif "query" in grouped and "update" in grouped:
        raise BadRequest("a request carries either a query or an update, not both")
    elif "query" in grouped:
        operation, text = "query", grouped["query"][0]
    elif "update" in grouped:
        if method != "POST":
            raise BadRequest("updates must be sent with POST (form or application/sparql-update), never GET")
        operation, text = "update", grouped["update"][0]
    else:
        if method == "POST":
            raise BadRequest("the POST has neither a 'query' nor an 'update'")
        return ProtocolRequest(None, None, {})
    wrong = _USING_PARAMS if operation == "query" else DATASET_PARAMS
    for name in wrong:
        if name in grouped:
            right = "updates" if operation == "query" else "queries"
            raise BadRequest(f"the parameter {name!r} is for {right}, not for a {operation}")
    dataset = {name: values for name, values in grouped.items() if name in DATASET_PARAMS + _USING_PARAMS}
    for name, values in dataset.items():
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise BadRequest(f"{name}={value!r} is not an absolute IRI") from None
    return ProtocolRequest(operation, text, dataset)

