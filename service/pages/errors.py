"""What a page says when it cannot answer: :class:`PageError` (a bad parameter, an unknown entity with
the closest names), and :func:`friendly`, which turns the engine's errors into those pages, with the
status :mod:`painlink.service.meanings` declares for each."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.service.meanings import meaning_of

from .rendering import render_page

__all__ = ["PageError", "app_error_page", "error_page", "friendly"]


class PageError(Exception):
    """Raised by a page handler when the request cannot be answered: a bad or missing parameter
    (400) or an unknown entity (404). It carries what the error page says."""

    def __init__(self, status: int, heading: str, message: str, *, hint: str = "",
                 suggestions: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message
        self.hint = hint
        self.suggestions = suggestions or []


def app_error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page for an error the app's handlers meet on a page route (``app.state.error_page``)."""
    heading = {404: "Not found", 405: "Not allowed"}.get(status, "Something went wrong" if status >= 500 else "Cannot answer that")
    return error_page(PageError(status, heading, message[:1].upper() + message[1:]))


def error_page(error: PageError) -> HTMLResponse:
    """The friendly page for a :class:`PageError`."""
    return render_page(
        "error.html", status=error.status, heading=error.heading, message=error.message,
        hint=error.hint, suggestions=error.suggestions,
    )


def friendly(handler: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """Turn the errors a page can meet into pages that say what was wrong: a bad parameter (400),
    an unknown entity (404, with the closest names)."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> HTMLResponse:
        try:
            return handler(*args, **kwargs)
        except PageError as error:
            return error_page(error)
        except UnknownEntityError as error:
            return error_page(PageError(
                meaning_of(error).status_of(error), "Not in the map", f"The map has nothing called “{error.name}”.",
                hint="Search for a lay word (“sciatica”, “flat feet”) or look at the whole map.",
                suggestions=error.suggestions,
            ))
        except InvalidParameterError as error:
            return error_page(PageError(meaning_of(error).status_of(error), "Cannot answer that",
                                        f"“{error.field}” {error.reason}."))

    return wrapper
