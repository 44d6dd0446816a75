"""The HTML pages: home, search, the drawn graph (whole, around an entity, paths between two),
entity pages, explain and interventions answers, the SPARQL editor, and the static files they use.

Every page is a Jinja template rendered with autoescaping (:func:`painlink.service.render.environment`)
and sent with the security headers of :data:`SECURITY_HEADERS`: a Content-Security-Policy that lets a
page load only this server's own scripts and styles (no inline script at all: the graph data travels
as a JSON block that ``static/graph.js`` reads), ``nosniff`` and no framing. Nothing is fetched from
another host, so the pages work offline.

Bad parameters get a 400 page saying what was wrong, unknown entities a 404 page with suggestions:
pages validate their own query parameters (FastAPI's 422 JSON is for the API, not for a person).

Wiring: ``app.include_router(pages.router)``; the SPARQL endpoint calls :func:`sparql_page` when a
browser asks ``/sparql`` for HTML. The router reads the graph facade from ``request.app.state``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from painlink.service.render import STATIC_DIR, environment

__all__ = [
    "SECURITY_HEADERS",
    "MAX_DRAWN_NODES",
    "PageError",
    "router",
    "render_page",
    "sparql_page",
]

#: Headers on every page. ``img-src data:`` is for vis-network's navigation icons (CSS data URIs);
#: YASGUI's results table sets ``style`` attributes, hence ``style-src-attr 'unsafe-inline'`` -- an
#: attribute cannot run script. Outbound links (ontology pages, cited sources) are plain links.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        #"style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

#: The most nodes one drawing shows; a larger view is cut down (best connected first) with a note.
MAX_DRAWN_NODES = 250

# Only these kinds of file are served from static/, with these types (nosniff makes them binding).
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}
_LICENCE_NAMES = {"LICENSE-MIT", "LICENSE-APACHE-2.0"}


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


router = APIRouter(include_in_schema=False)


def render_page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` into a response carrying the security headers."""
    html = environment().get_template(name).render({**_common_context(), **context})
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def error_page(error: PageError) -> HTMLResponse:
    """The friendly page for a :class:`PageError`."""
    return render_page(
        "error.html", status=error.status, section="", heading=error.heading, message=error.message,
        hint=error.hint, suggestions=error.suggestions,
    )


def _common_context() -> dict[str, Any]:
    from painlink.service.drawing import KINDS
    from painlink.service.render import KIND_STYLE

    return {
        "kinds": KINDS,
        "kind_names": KIND_NAMES,
        "kind_colours": {kind: style[0] for kind, style in KIND_STYLE.items()},
        "stance_names": STANCE_NAMES,
        "section": "",
        "query": "",
    }


KIND_NAMES = {
    "symptom": "Symptom or sign",
    "anatomy": "Anatomy",
    "cause": "Cause or condition",
    "intervention": "Intervention",
}
STANCE_NAMES = {"supports": "Supports", "qualifies": "Qualifies", "contradicts": "Contradicts"}


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], response_model=None)
def static_file(name: str) -> FileResponse | HTMLResponse:
    """A vendored or own asset from ``service/static`` (scripts, styles, their licences)."""
    path = (STATIC_DIR / name).resolve()
    media_type = _STATIC_TYPES.get(path.suffix, "text/plain; charset=utf-8" if path.name in _LICENCE_NAMES else None)
    if not path.is_relative_to(STATIC_DIR) or not path.is_file() or media_type is None:
        return error_page(PageError(404, "Not found", f"There is no file called {name!r} here."))
    return FileResponse(
        path, media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"},
    )


def sparql_page(request: Request, query: str | None = None) -> HTMLResponse:
    """The SPARQL editor page; the endpoint calls this when a browser asks ``/sparql`` for HTML.

    ``query``, if given, is put in the editor (a browser following a link with ``?query=``).
    """
    return render_page(
        "sparql.html", section="sparql", endpoint=str(request.url.path) or "/sparql",
        initial_query=query or "", examples=SPARQL_EXAMPLES,
    )


_PREFIXES = """PREFIX pl: <https://w3id.org/painlink/vocab#>
PREFIX pli: <https://w3id.org/painlink/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

SPARQL_EXAMPLES: list[dict[str, str]] = [
    {
        "title": "Every claim in words",
        "note": "Each claim with its subject, relation and object by name, and the statement it makes.",
        "query": _PREFIXES + """
SELECT ?subject ?relation ?object ?statement WHERE {
  ?claim a pl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pl:statement ?statement .
  ?s rdfs:label ?subject . ?p rdfs:label ?relation . ?o rdfs:label ?object .
}
ORDER BY ?subject ?object""",
    },
    {
        "title": "Disputed claims: where the sources disagree",
        "note": "Claims that have evidence supporting them and evidence contradicting them.",
        "query": _PREFIXES + """
SELECT ?subject ?relation ?object (COUNT(DISTINCT ?for) AS ?supporting) (COUNT(DISTINCT ?against) AS ?contradicting)
WHERE {
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         pl:hasEvidence ?for, ?against .
  ?for pl:stance pl:Supports . ?against pl:stance pl:Contradicts .
  ?s rdfs:label ?subject . ?p rdfs:label ?relation . ?o rdfs:label ?object .
}
GROUP BY ?subject ?relation ?object""",
    },
    {
        "title": "Everything foot pain can lead to",
        "note": "A property path over the causal relations, any number of steps.",
        "query": _PREFIXES + """
SELECT DISTINCT ?effect WHERE {
  pli:foot-pain (pl:causes|pl:contributesTo|pl:mayCause|pl:associatedWith)+ ?e .
  ?e rdfs:label ?effect .
}
ORDER BY ?effect""",
    },
]
