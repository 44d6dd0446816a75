"""Rendering a page: a Jinja template (autoescaped) with the security headers, and the name lists
the question forms and pickers offer."""

from __future__ import annotations

import datetime
from typing import Any

from fastapi.responses import HTMLResponse

from painlink.graph import Knowledge
from painlink.service.render import environment

from .headers import SECURITY_HEADERS

__all__ = ["ask_names", "entity_names", "render_page"]


def render_page(name: str, status: int = 200, headers: dict[str, str] = SECURITY_HEADERS, **context: Any) -> HTMLResponse:
    """Render template ``name`` into a response carrying the security headers."""
    # The date goes on every page for its printed copy (a handout says when it was printed).
    html = environment().get_template(name).render(
        {"section": "", "query": "", "printed_on": datetime.date.today().isoformat(), **context}
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def ask_names(knowledge: Knowledge) -> list[str]:
    """Labels and the words people use, for the question forms' autocomplete (capped like the pickers);
    made once per graph version, not on every page."""

    return knowledge.names(synonyms=True)[:3000]


def entity_names(knowledge: Knowledge) -> list[str]:
    """Labels for the pages' name pickers (a datalist; capped so a huge graph stays a small page)."""
    return knowledge.names()[:2000]
