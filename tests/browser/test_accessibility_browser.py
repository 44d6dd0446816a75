"""Every page, as a desktop and a phone show it: axe-core (vendored from npm for the tests only, see
tests/browser/package.json) finds no critical or serious accessibility problem, and no page scrolls
sideways on a 390 px phone. Each page's screenshot at both sizes goes to ``test-artifacts/pages/``
(gitignored) for a person to look at.

axe-core is injected through Playwright (``page.evaluate``, which the pages' Content-Security-Policy
does not govern); painlink never serves it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"

#: What a reader opens, by name: every kind of page painlink serves (bare forms and answers alike).
PAGES = {
    "home": "/",
    "search": "/search?q=sciatic+nevre",
    "entity": "/entity/foot-drop",
    "explain-form": "/explain",
    "explain": "/explain?symptom=foot-numbness&symptom=foot-weakness",
    "interventions-form": "/interventions",
    "interventions": "/interventions?for=back-pain",
    "map": "/graph",
    "around": "/graph?focus=sciatic-nerve",
    "chains": "/graph?from=wrong-shoes&to=back-pain",
    "sparql": "/sparql",
    "docs": "/docs",
    "not-found": "/entity/no-such-thing",
    "bad-request": "/graph?from=foot-pain",
}

#: Viewports: a desktop screen and a phone (an iPhone 12-15's CSS pixels).
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}

#: axe's impact levels a page may not have.
BLOCKING = ("critical", "serious")

_STATUS = {"not-found": 404, "bad-request": 400}

# What each page draws after load, so axe and the screenshot see the finished page.
_READY = {
    "map": "#graph-canvas[data-ready='true']",
    "around": "#graph-canvas[data-ready='true']",
    "chains": "#graph-canvas[data-ready='true']",
    "sparql": ".CodeMirror",
    "docs": ".swagger-ui .info",
}


def axe_script() -> str:
    """axe-core's source, to evaluate in a page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/test installs it (npm ci in tests/browser)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe_source() -> str:
    return axe_script()


def blocking_violations(page, axe_source: str) -> list[dict]:
    """axe-core's critical and serious findings on the page as it stands, one entry per rule."""
    page.evaluate(axe_source)
    found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [
        {"rule": rule["id"], "impact": rule["impact"], "count": len(rule["nodes"]),
         "where": [node["target"] for node in rule["nodes"][:4]], "help": rule["help"]}
        for rule in found if rule["impact"] in BLOCKING
    ]


def sideways_overflow(page) -> int:
    """How many CSS pixels the page scrolls sideways (0: none)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_and_fits_the_screen(page, served, watch, axe_source, artifacts, name, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    response = page.goto(served.base_url + PAGES[name])
    assert response.status == _STATUS.get(name, 200)
    if response.status != 200:  # chromium logs an error page's own status; nothing else may fail
        assert watch.console_errors == [f"Failed to load resource: the server responded with a status of "
                                        f"{response.status} ({response.status_text})"]
        watch.console_errors.clear()
    if name in _READY:
        page.wait_for_selector(_READY[name], state="attached", timeout=15_000)
    shots = artifacts / "pages"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
    problems = blocking_violations(page, axe_source)
    overflow = sideways_overflow(page)
    assert (problems, max(overflow, 0)) == ([], 0), f"{name} at {size}: axe finds {problems}; scrolls {overflow} px sideways"


def test_the_api_docs_stay_accessible_once_an_operation_is_opened_and_tried(page, served, axe_source):
    """Swagger UI draws more once used: an operation opened, "Try it out" pressed (its parameter
    labels and the execute and cancel buttons had their own contrast failures)."""
    page.goto(served.base_url + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    for index in range(3):
        page.locator(".opblock-summary-control").nth(index).click()
    page.locator("button.try-out__btn").first.click()
    page.locator(".btn.execute").first.wait_for(timeout=5_000)
    assert blocking_violations(page, axe_source) == []
