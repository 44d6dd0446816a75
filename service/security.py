"""Who may write, what a query may make the server fetch, and which browsers may call the service.

* Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need the configured bearer token: without one
  configured the service is read-only (403); a request without a token gets 401, a wrong token 403.
  The token is compared in constant time (``hmac.compare_digest``) and never logged or echoed.
* ``SERVICE`` (federated query) and ``LOAD`` make the *server* fetch URLs the client chose (request
  forgery against the server's network): refused unless ``allow_service``/``allow_load`` is set.
  Detection uses :mod:`painlink.service.sparql_lexer` (keywords, never text inside strings, IRIs or
  comments) and, when the text mentions "service" anywhere but the tokenizer found no ``SERVICE``
  keyword, a second, independent opinion from rdflib's SPARQL parser; if rdflib cannot parse the text
  either, the query is refused rather than trusted. Services painlink answers itself (the SPARQL
  extensions registered on the app) are not outbound and always allowed.
* CORS is off unless origins are configured, and never allows credentials.

>>> settings = Settings(update_token="s3cret")
>>> check_update_token("Bearer s3cret", settings)
>>> try:
...     check_update_token("Bearer guess", settings)
... except Forbidden as error:
...     print(error.status, error)
403 the update token is not valid
"""

from __future__ import annotations

import hmac
from collections.abc import Collection

from painlink.service.errors import FeatureRefused, Forbidden, Unauthorized, UpdatesDisabled
from painlink.service.settings import Settings
from painlink.service.sparql_lexer import Inspection

__all__ = ["check_update_token", "cors_options", "refuse_outbound"]


def check_update_token(authorization: str | None, settings: Settings) -> None:
    """Allow a write only with the configured token (module docstring). ``authorization`` is the
    request's ``Authorization`` header.

    >>> try:
    ...     check_update_token(None, Settings(update_token="s3cret"))
    ... except Unauthorized as error:
    ...     print(error.status, error.headers["WWW-Authenticate"])
    401 Bearer realm="painlink"
    >>> try:
    ...     check_update_token("Bearer anything", Settings())
    ... except UpdatesDisabled as error:
    ...     print(error.status)
    403
    """
    if settings.update_token is None:
        raise UpdatesDisabled(
            "this service is read-only: updates and Graph Store writes are enabled only when the operator "
            "configures an update token (PAINLINK_UPDATE_TOKEN or painlink serve --update-token)"
        )
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("writing needs the update token: send the header 'Authorization: Bearer <token>'")
    expected = settings.update_token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.strip().encode(), expected):
        raise Forbidden("the update token is not valid")


def _rdflib_services(text: str, is_update: bool) -> list[str] | None:
    """The SERVICE targets rdflib's parser finds in ``text``, or None when rdflib cannot parse it."""
    from pyparsing import ParseResults  # rdflib's parser is built on pyparsing
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        tree = parseUpdate(text) if is_update else parseQuery(text)
    except Exception:  # rdflib raises pyparsing's and its own errors; any failure means "no opinion"
        return None
    found: list[str] = []
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(f"?{term}" if isinstance(term, Variable) else str(term))
            stack.extend(node.values())
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.as_dict().values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return found


def refuse_outbound(
    text: str, inspection: Inspection, settings: Settings, *, is_update: bool, local_services: Collection[str] = ()
) -> None:
    """Raise :class:`FeatureRefused` when the query or update would make the server fetch a URL and
    the configuration does not allow it.

    >>> from painlink.service.sparql_lexer import inspect_sparql
    >>> text = "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"
    >>> try:
    ...     refuse_outbound(text, inspect_sparql(text), Settings(), is_update=False)
    ... except FeatureRefused as error:
    ...     print(error)
    federated queries (SERVICE <http://10.0.0.1/sparql>) are disabled on this server; the operator can allow them with PAINLINK_ALLOW_SERVICE=true
    >>> text = 'SELECT * WHERE { ?s ?p "SERVICE <http://10.0.0.1/>" }'
    >>> refuse_outbound(text, inspect_sparql(text), Settings(), is_update=False)
    """
    if inspection.loads and not settings.allow_load:
        raise FeatureRefused(
            "LOAD is disabled on this server (it would fetch a URL); the operator can allow it with "
            "PAINLINK_ALLOW_LOAD=true, or upload the data with the Graph Store Protocol (/store)"
        )
    if settings.allow_service:
        return
    outbound = [target for target in inspection.services if target not in local_services]
    if not outbound and "service" in text.lower():
        found = _rdflib_services(text, is_update)
        if found is None and not inspection.services:
            raise FeatureRefused(
                "this query mentions SERVICE and could not be checked for federated calls, which are "
                "disabled on this server; remove the word SERVICE or check the query's syntax"
            )
        outbound = [target for target in found or () if target not in local_services]
    if outbound:
        shown = ", ".join(f"<{t}>" if not t.startswith("?") else t for t in outbound)
        raise FeatureRefused(
            f"federated queries (SERVICE {shown}) are disabled on this server; the operator can allow "
            "them with PAINLINK_ALLOW_SERVICE=true"
        )


def cors_options(settings: Settings) -> dict | None:
    """Keyword arguments for Starlette's ``CORSMiddleware``, or None when CORS is off.

    >>> cors_options(Settings()) is None
    True
    >>> cors_options(Settings(cors_origins=["https://clinic.example"]))["allow_credentials"]
    False
    """
    if not settings.cors_origins:
        return None
    return {
        "allow_origins": settings.cors_origins,
        "allow_credentials": False,  # never: a cross-site page must not ride on a user's credentials
        "allow_methods": ["GET", "HEAD", "POST"],
        "allow_headers": ["Accept", "Content-Type", "Authorization"],
        "max_age": 600,
    }
