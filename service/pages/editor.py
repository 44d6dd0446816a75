"""The SPARQL editor's page, which the endpoint serves when a browser asks ``/sparql`` for HTML."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from .examples import SPARQL_EXAMPLES
from .headers import SPARQL_PAGE_HEADERS
from .rendering import render_page

__all__ = ["sparql_page"]


def sparql_page(request: Request, query: str | None = None) -> HTMLResponse:
    """The SPARQL editor page; the endpoint calls this when a browser asks ``/sparql`` for HTML.

    ``query``, if given, is put in the editor (a browser following a link with ``?query=``).
    """
    return render_page(
        "sparql.html", headers=SPARQL_PAGE_HEADERS, section="sparql", endpoint=str(request.url.path) or "/sparql",
        initial_query=query or "", examples=SPARQL_EXAMPLES,
    )
