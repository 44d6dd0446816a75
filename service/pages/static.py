"""The static files the pages use (``service/static``: scripts, styles, their licences), only of the
kinds listed, with their types."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from painlink.service.render import STATIC_DIR

from .errors import PageError, error_page

__all__ = ["STATIC_TYPES", "router"]

router = APIRouter(include_in_schema=False)


# Only these kinds of file are served from static/, with these types (nosniff makes them binding).
STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


LICENCE_NAMES = {"LICENSE-MIT", "LICENSE-APACHE-2.0"}


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], response_model=None)
def static_file(name: str) -> FileResponse | HTMLResponse:
    """A vendored or own asset from ``service/static`` (scripts, styles, their licences)."""
    if "\x00" in name:  # no file has one; os.stat would raise ValueError (a 500) on it
        return error_page(PageError(404, "Not found", "There is no such file here."))
    path = (STATIC_DIR / name).resolve()
    media_type = STATIC_TYPES.get(path.suffix, "text/plain; charset=utf-8" if path.name in LICENCE_NAMES else None)
    if not path.is_relative_to(STATIC_DIR) or not path.is_file() or media_type is None:
        return error_page(PageError(404, "Not found", f"There is no file called {name!r} here."))
    return FileResponse(
        path, media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"},
    )
