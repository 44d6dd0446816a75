"""The API documentation at /docs in a real browser: Swagger UI from the service's own files draws
every /api operation from /openapi.json, under the page's CSP, without reaching outside the server
(the ``page`` fixture fails the test on any outside request, console error or uncaught error)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser


def test_docs_draw_every_api_operation_offline(page, served) -> None:
    document = httpx.get(served.base_url + "/openapi.json", timeout=10).json()
    api_paths = sorted(path for path in document["paths"] if path.startswith("/api"))
    response = page.goto(served.base_url + "/docs")
    assert response.status == 200
    page.wait_for_selector(".opblock", timeout=15_000)
    drawn = page.locator(".opblock-summary-path").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('data-path'))"
    )
    assert set(api_paths) <= set(drawn), sorted(set(api_paths) - set(drawn))
    # Opening an operation shows its parameters, as the document declares them.
    page.locator(".opblock-summary-path[data-path='/api/paths']").click()
    page.wait_for_selector(".parameters-container .parameter__name", timeout=10_000)
    names = page.locator(".opblock.is-open .parameter__name").all_inner_texts()
    assert {"from", "to", "max_length", "limit"} <= {name.split()[0].strip(" *") for name in names}
