"""Who may write, what a query may make the server fetch, and which browsers may call the service.

* Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need the configured bearer token: without one
  configured the service is read-only (403); a request without a token gets 401, a wrong token 403.
  The token is compared in constant time (``hmac.compare_digest``) and never logged or echoed.
* ``SERVICE`` (federated query) and ``LOAD`` make the *server* fetch URLs the client chose (request
  forgery against the server's network): refused unless ``allow_service``/``allow_load`` is set.
  Detection uses :mod:`painlink.service.sparql_lexer` (keywords, never text inside strings, IRIs or
  comments) and, whenever the text could spell "service" (or "load", in an update) anywhere --
  escapes, case and compatibility forms included -- a second, independent reading by rdflib's SPARQL
  parser (:mod:`painlink.service.verifier`). The check fails closed: text rdflib cannot read, or
  that the two read differently (``FILTER(?d<2)SERVICEex:x#>``), is refused with a 400 saying why.
  Services painlink answers itself (the SPARQL extensions registered on the app) are not outbound
  and always allowed. Beneath the check, the query workers have no network at all
  (:mod:`painlink.service.sandbox`) unless federated queries are allowed.
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
from painlink.service.verifier import Reading, Unreadable, may_name

__all__ = ["check_update_token", "cors_options", "needs_second_reading", "refuse_outbound"]

_LOAD_REFUSED = (
    "LOAD is disabled on this server (it would fetch a URL); the operator can allow it with "
    "PAINLINK_ALLOW_LOAD=true, or upload the data with the Graph Store Protocol (/store)"
)


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
    expected = settings.update_token.get_secret_value().encode("utf-8")
    if not hmac.compare_digest(_header_bytes(credentials.strip()), expected):
        raise Forbidden("the update token is not valid")


def _header_bytes(value: str) -> bytes:
    """The bytes the client sent: HTTP servers hand headers over decoded as Latin-1, so encoding back
    gives them; a client sends a non-ASCII token as UTF-8, which is what the token is compared as.

    >>> _header_bytes("t\u00c3\u00b6ken") == "t\u00f6ken".encode("utf-8")
    True
    """
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # not from an HTTP header (a caller's own string)
        return value.encode("utf-8")


def needs_second_reading(text: str, settings: Settings, *, is_update: bool) -> bool:
    """Whether the text could name something the configuration refuses (``SERVICE``, or ``LOAD`` in an
    update), however spelled: then :func:`refuse_outbound` needs rdflib's reading of it
    (:func:`painlink.service.verifier.read_outbound`) as well as the tokenizer's."""
    if not settings.allow_service and may_name(text, "service"):
        return True
    return is_update and not settings.allow_load and may_name(text, "load")


def refuse_outbound(
    inspection: Inspection,
    settings: Settings,
    *,
    local_services: Collection[str] = (),
    second: Reading | Unreadable | None = None,
) -> None:
    """Raise :class:`FeatureRefused` when the query or update would make the server fetch a URL and
    the configuration does not allow it. ``inspection`` is the tokenizer's reading; ``second`` is
    rdflib's (or why it has none), required whenever :func:`needs_second_reading` says so. Fails
    closed: text rdflib cannot read, or that the two read differently, is refused.

    >>> from painlink.service.sparql_lexer import inspect_sparql
    >>> from painlink.service.verifier import read_outbound
    >>> text = "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"
    >>> try:
    ...     refuse_outbound(inspect_sparql(text), Settings(), second=read_outbound(text, is_update=False))
    ... except FeatureRefused as error:
    ...     print(error)
    federated queries (SERVICE <http://10.0.0.1/sparql>) are disabled on this server; the operator can allow them with PAINLINK_ALLOW_SERVICE=true
    >>> text = 'SELECT * WHERE { ?s ?p "SERVICE <http://10.0.0.1/>" }'
    >>> refuse_outbound(inspect_sparql(text), Settings(), second=read_outbound(text, is_update=False))
    """
    if inspection.loads and not settings.allow_load:
        raise FeatureRefused(_LOAD_REFUSED)
    if isinstance(second, Reading) and second.loads and not settings.allow_load:
        raise FeatureRefused(_LOAD_REFUSED)
    if settings.allow_service:
        return
    outbound = [target for target in inspection.services if target not in local_services]
    if not outbound and isinstance(second, Reading):
        outbound = [target for target in second.services if target not in local_services]
    if outbound:
        shown = ", ".join(f"<{t}>" if not t.startswith("?") and "://" in t else t for t in outbound)
        raise FeatureRefused(
            f"federated queries (SERVICE {shown}) are disabled on this server; the operator can allow "
            "them with PAINLINK_ALLOW_SERVICE=true"
        )
    if isinstance(second, Unreadable):
        raise FeatureRefused(
            "this text mentions SERVICE or LOAD and could not be checked for calls to other servers, "
            f"which are disabled here ({second}); refused rather than trusted. Check the syntax, or "
            "remove the word"
        )
    if isinstance(second, Reading) and (
        len(second.services) != len(inspection.services) or bool(second.loads) != inspection.loads
    ):
        raise FeatureRefused(
            f"this text reads differently to painlink's two SPARQL readers ({len(inspection.services)} "
            f"SERVICE clause(s) to one, {len(second.services)} to the other); refused rather than "
            "guessed. Put spaces around '<' used as less-than, and write IRIs without ')' or '#'"
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
