"""What each error means, declared once: the HTTP status, the wording, the extra headers (``Retry-After``,
``WWW-Authenticate``), whether it is the asker's fault, and the command line's exit status. Every face
renders an error from here and repeats none of it:

* HTTP (:mod:`painlink.service.app`): one handler for every class of :func:`meanings` -- ``text/plain`` for the
  SPARQL and Graph Store protocols, the error page for a browser on a page route, JSON ``{"detail"}``
  for everyone else; the pages' own error pages (:mod:`painlink.service.pages.errors`) and the JSON
  API's 404 (:mod:`painlink.service.api.routing`) take their status from here;
* the command line (:mod:`painlink.cli`): the exit status and the message;
* the MCP tools (:mod:`painlink.service.mcp.tools`): whether to say "try again".

The classes are the engine's (:mod:`painlink.graph.exceptions`), the stores'
(:mod:`painlink.graph.stores.errors`), the service's (:mod:`painlink.service.errors`, whose classes
carry their own status and headers) and the web framework's. An error is read by its class's nearest
entry (:func:`meaning_of`), so a subclass means what its base means unless it has an entry of its own.
No wording carries a trace: the catch-all says only that the error was logged.

>>> from painlink.graph.exceptions import BudgetExceededError, UnknownEntityError
>>> error = BudgetExceededError("time", "the question took too long")
>>> meaning = meaning_of(error)
>>> meaning.status, meaning.headers, meaning.client_fault(error)
(503, {'Retry-After': '1'}, False)
>>> meaning_of(UnknownEntityError("x")).exit
2
>>> print(meaning_of(KeyError("secret")).message(KeyError("secret")))
the server met an unexpected error; it has been logged
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

__all__ = ["EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "UNEXPECTED", "Meaning", "meaning_of", "meanings"]

#: The command line's exit statuses: done (0), the data or the store refused (1), the request itself
#: was wrong -- usage, an unknown name, a parameter out of range (2).
EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

#: What the catch-all says: never the error itself, which may hold internals.
UNEXPECTED = "the server met an unexpected error; it has been logged"


@dataclass(frozen=True)
class Meaning:
    """What one class of error means to whoever asked.

    ``status`` is the HTTP status (``None``: the error carries its own, ``error.status`` or Starlette's
    ``error.status_code``);
    ``wording`` turns the error into the message (default ``str``); ``headers`` are sent with it
    (an error carrying ``headers`` adds its own); ``exit`` is the command line's exit status;
    ``log`` is how the operator hears of it (``"warning"``: one line, ``"exception"``: with the
    traceback, for what is unexpected), ``None`` for nothing.
    """

    status: int | None
    exit: int = EXIT_REJECTED
    wording: Callable[[BaseException], str] = str
    headers: dict[str, str] = field(default_factory=dict)
    log: str | None = None

    def status_of(self, error: BaseException) -> int:
        """The HTTP status for ``error``."""
        if self.status is not None:
            return self.status
        return int(getattr(error, "status", None) or getattr(error, "status_code"))

    def message(self, error: BaseException) -> str:
        """The message for ``error``, as every face words it."""
        return self.wording(error)

    def headers_of(self, error: BaseException) -> dict[str, str]:
        """The headers to send with ``error``'s answer (the declared ones and the error's own)."""
        return {**self.headers, **dict(getattr(error, "headers", None) or {})}

    def client_fault(self, error: BaseException) -> bool:
        """Whether the asker can fix ``error`` (a 4xx); ``False`` for the server's or the store's trouble."""
        return self.status_of(error) < 500

    def retryable(self, error: BaseException) -> bool:
        """Whether asking again later may succeed (the answer says ``Retry-After``)."""
        return "Retry-After" in self.headers_of(error)


_RETRY = {"Retry-After": "1"}

@cache
def meanings() -> dict[type[BaseException], Meaning]:
    """Each error class -> its meaning; a class not listed means what its nearest listed base means.
    (A function, imported from when first asked: the command line reads this module's exit statuses
    at start-up, and must not load the engine or the web framework for them.)"""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect

    from painlink.graph import stores
    from painlink.graph.exceptions import (
        BudgetExceededError,
        DataRejectedError,
        InvalidParameterError,
        UnknownClaimError,
        UnknownEntityError,
    )
    from painlink.service.errors import ServiceError

    return {
        # The engine: the asker's request.
        InvalidParameterError: Meaning(400, EXIT_USAGE),
        UnknownEntityError: Meaning(404, EXIT_USAGE),
        UnknownClaimError: Meaning(404, EXIT_USAGE),
        DataRejectedError: Meaning(400, EXIT_REJECTED, wording=lambda error: error.explain()),
        # Like a query timeout: the work was stopped, nothing partial is answered; try later.
        BudgetExceededError: Meaning(503, headers=_RETRY),
        # The store: the server's trouble, or a write it cannot take.
        stores.StoreUnavailableError: Meaning(None),  # 503 unreachable or timed out, 502 a bad answer
        stores.StoreReadOnlyError: Meaning(403),
        stores.StoreFullError: Meaning(507),
        stores.StoreOpenError: Meaning(503),  # their messages say what failed where
        stores.ShippedOntologyError: Meaning(503),
        stores.StoreError: Meaning(503, wording=lambda error: f"the store failed: {error}"),
        # The service's own: each class carries its status and headers (painlink.service.errors).
        ServiceError: Meaning(None, wording=lambda error: error.message),
        # The web framework's: an unknown address (404), a method not allowed (405) ...
        HTTPException: Meaning(None, wording=lambda error: str(error.detail)),
        RequestValidationError: Meaning(422, EXIT_USAGE, wording=lambda error: "invalid request: " + "; ".join(
            f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors())),
        # The client closed the connection part-way through its body: nothing to answer, nothing wrong
        # here -- one line in the log, not a traceback (an aborted upload logged ~100 lines).
        ClientDisconnect: Meaning(400, wording=lambda error: "", log="warning"),
        # Anything else: logged with its traceback for the operator; the asker gets no internals.
        Exception: Meaning(500, wording=lambda error: UNEXPECTED, log="exception"),
    }


def meaning_of(error: BaseException | type[BaseException]) -> Meaning:
    """The meaning of ``error`` (an instance or a class): its class's nearest entry in :func:`meanings`."""
    table = meanings()
    cls = error if isinstance(error, type) else type(error)
    return next((table[base] for base in cls.__mro__ if base in table), table[Exception])
