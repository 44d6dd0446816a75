"""The HTML pages: home, search, the drawn graph (whole, around an entity, paths between two),
entity pages, explain and interventions answers, the SPARQL editor, and the static files they use.

Every page is a Jinja template rendered with autoescaping (:func:`painlink.service.render.environment`)
and sent with the security headers of :data:`SECURITY_HEADERS`: a Content-Security-Policy that lets a
page load only this server's own scripts and styles (no inline script at all: the graph data travels
as a JSON block that ``static/graph.js`` reads), ``nosniff`` and no framing. Nothing is fetched from
another host, so the pages work offline.

Bad parameters get a 400 page saying what was wrong, unknown entities a 404 page with suggestions:
pages read their query parameters from the question declarations (:data:`painlink.graph.QUESTIONS`,
with the server's caps: :func:`painlink.service.questions.served`), so a page takes the same names,
defaults and bounds as the API (FastAPI's 422 JSON is for the API, not for a person).

Wiring: ``pages.install(app)`` includes :data:`router` and registers :func:`sparql_page` as
``app.state.sparql_page``, which the SPARQL endpoint calls when a browser asks ``/sparql`` for HTML.
The pages read the graph facade through :func:`painlink.service.dependencies.get_knowledge`.
"""

from __future__ import annotations

from fastapi import FastAPI

from . import static
from .drawings import MAX_DRAWN_NODES
from .editor import sparql_page
from .errors import app_error_page, error_page
from .examples import SPARQL_EXAMPLES
from .export import standalone_html
from .headers import SECURITY_HEADERS, SPARQL_PAGE_HEADERS
from .routes import router

__all__ = [
    "MAX_DRAWN_NODES", "SECURITY_HEADERS", "SPARQL_EXAMPLES", "SPARQL_PAGE_HEADERS", "error_page", "install",
    "router", "sparql_page", "standalone_html",
]


def install(app: FastAPI) -> None:
    """Serve the pages and static files on ``app``; hand the SPARQL endpoint its browser page and the
    app's error handlers the error page a browser gets (an unknown address, say)."""
    app.include_router(router)
    app.include_router(static.router)
    app.state.sparql_page = sparql_page
    app.state.error_page = app_error_page
