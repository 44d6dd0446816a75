"""The errors the service answers with, each a class that says when it is raised.

Every class carries the HTTP status it maps to and a message meant for the person who sent the
request: what was wrong and, where it helps, how to fix it. :mod:`painlink.service.meanings` declares
them (with the engine's and the stores' errors) once; the app's handler (:mod:`painlink.service.app`)
turns them into responses -- ``text/plain`` for SPARQL and Graph Store
clients, JSON (``{"detail": message}``, FastAPI's own shape) for everyone else -- so no route builds an
error response by hand and none answers 500 with a stack trace.

>>> error = NotAcceptable("cannot produce image/png", offered=["text/turtle"])
>>> error.status, str(error)
(406, 'cannot produce image/png; available: text/turtle')
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "BadRequest",
    "DatasetConflict",
    "EvaluatorUnavailable",
    "FeatureRefused",
    "Forbidden",
    "NotAcceptable",
    "NotFound",
    "PathEngineBusy",
    "PayloadTooLarge",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "ServiceError",
    "Unauthorized",
    "UnsupportedMediaType",
    "UpdatesDisabled",
]


class ServiceError(Exception):
    """Base class: an error with an HTTP ``status``, extra response ``headers`` and a message."""

    status = 500

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class BadRequest(ServiceError):
    """Raised when a request cannot be understood: a missing or repeated parameter, a body that is not
    UTF-8, a query and an update in one request, a Graph Store call without ``graph``/``default``."""

    status = 400


class QuerySyntaxError(BadRequest):
    """Raised when a SPARQL query or update does not parse; the message is the parser's, with the
    position (line and column) it reports."""


class FeatureRefused(BadRequest):
    """Raised when a query or update uses a feature this server has turned off: ``SERVICE``
    (federated query) or ``LOAD``, which would make the server fetch URLs on the client's behalf."""


class DatasetConflict(BadRequest):
    """Raised when the protocol's ``using-graph-uri``/``using-named-graph-uri`` parameters come with an
    update that names its own dataset (``USING``/``USING NAMED``/``WITH``)."""


class ResultTooLarge(BadRequest):
    """Raised when a query's answer has more rows (SELECT) or triples (CONSTRUCT/DESCRIBE) than the
    configured ``max_result_rows``; the message says to add a LIMIT."""


class Unauthorized(ServiceError):
    """Raised when a write (update, Graph Store PUT/POST/DELETE) comes without an ``Authorization:
    Bearer`` token."""

    status = 401

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="painlink"'})


class Forbidden(ServiceError):
    """Raised when a write comes with a token that is not the configured one."""

    status = 403


class UpdatesDisabled(Forbidden):
    """Raised when a write reaches a read-only service (no update token configured)."""


class NotFound(ServiceError):
    """Raised when a named graph (Graph Store) or another addressed resource does not exist."""

    status = 404


class NotAcceptable(ServiceError):
    """Raised when none of the media types the client accepts can be produced for the answer."""

    status = 406

    def __init__(self, message: str, *, offered: Iterable[str]) -> None:
        super().__init__(f"{message}; available: {', '.join(offered)}")


class PayloadTooLarge(ServiceError):
    """Raised when a request body or a query string is longer than the configured limit."""

    status = 413


class UnsupportedMediaType(ServiceError):
    """Raised when a request body has a media type (or charset) the operation does not take, or none."""

    status = 415


class QueryTimeout(ServiceError):
    """Raised when a query (or an update's evaluation) runs past ``query_timeout``; the evaluating
    process has been stopped, so the work does not go on in the background."""

    status = 503

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": "1"})


class PathEngineBusy(ServiceError):
    """Raised when a path question arrives while ``path_questions`` run and ``path_queue`` wait
    (:mod:`painlink.service.questions`): answered at once rather than queued without bound."""

    status = 503

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": "1"})


class EvaluatorUnavailable(ServiceError):
    """Raised when no query evaluator could be started or reached (the service is shutting down or a
    worker process cannot start)."""

    status = 503
