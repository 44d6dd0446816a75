"""``/docs``: the API's interactive documentation, Swagger UI from the service's own static files
(FastAPI's default page loads it from a CDN, and painlink's pages load nothing from other hosts)."""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

__all__ = ["DOCS_HEADERS", "docs_router"]


#: The interactive documentation page: Swagger UI from the service's own static files (FastAPI's default
#: page loads it from a CDN, and painlink's pages load nothing from other hosts).
docs_router = APIRouter(include_in_schema=False)

DOCS_HEADERS = {
    # Swagger UI sets style attributes at run time, and draws its icons from data: URLs in its CSS.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@docs_router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API's interactive documentation (Swagger UI over ``/openapi.json``)."""
    title = html.escape(f"{request.app.title} API")
    openapi = html.escape(request.app.openapi_url or "/openapi.json")
    page = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel=stylesheet href="/static/swagger-ui/swagger-ui.css"></head>'
        f'<body><div id=swagger-ui data-openapi="{openapi}"></div>'
        '<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>'
        '<script src="/static/api-docs.js"></script></body></html>'
    )
    return HTMLResponse(page, headers=DOCS_HEADERS)
