"""Real browser, real server: Debian's chromium driven by Playwright against ``painlink serve`` on a
loopback port, with a user's hostile data file loaded.

* ``served`` (session) -- the server: ``painlink serve --memory --data tests/browser/fixtures/hostile.ttl``
  on a free loopback port (tests/servers.py), read-only, torn down at the end; its ``base_url``.
* ``knowledge`` (session) -- the same graph in-process, for what a page should show (counts, paths);
  ``hostile_file`` the data file.
* ``page`` -- a fresh page in which EVERY request is routed: one to the server or a ``data:``/``blob:``
  URL goes through, anything else is aborted and recorded. At the end of each test the page must have
  attempted no outside request, logged no console error (a CSP violation is one) and thrown no
  uncaught error -- so every browser test also proves "offline" and "works under the CSP".
* ``artifacts`` -- ``test-artifacts/`` (gitignored) for screenshots.

Chromium is Debian's (``/usr/bin/chromium``; scripts/test installs it); ``playwright install`` is never
run. Browser tests carry ``@pytest.mark.browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from servers import Server, launch

from painlink.graph.knowledge import Knowledge

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.ttl"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = launch(
        tmp_path_factory.mktemp("browser-server"), "--data", str(HOSTILE), "--query-workers", "1", token=None
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hostile_file() -> Path:
    """The user's data file the server loads (labels, quotes and titles carrying markup and script)."""
    return HOSTILE


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The graph the server holds, asked in-process: what the pages must show."""
    return Knowledge.shipped([HOSTILE])


# Module scope, not session: Playwright's sync API keeps an event loop running on the main thread for
# as long as it lives, and suites collected after this one call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did that it must not: outside requests, console errors, uncaught errors."""

    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _allowed(url: str, base_url: str, extra: tuple[str, ...]) -> bool:
    return url.startswith((base_url + "/", "data:", "blob:", *extra))


@pytest.fixture
def page(browser, served: Server, watch: Watch, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page whose every request is checked (see the module docstring); ``page.allow_file(url)`` lets
    a test open one local file (an export) as well."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
    opened = context.new_page()
    allowed_files: list[str] = []

    def route(handle) -> None:
        url = handle.request.url
        if _allowed(url, served.base_url, tuple(allowed_files)):
            handle.continue_()
        else:
            watch.outside.append(url)
            handle.abort()

    context.route("**/*", route)
    opened.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
    opened.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    opened.allow_file = allowed_files.append  # type: ignore[attr-defined]
    yield opened
    context.close()
    assert watch.outside == [], f"the page tried to reach outside the server: {watch.outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"
    assert watch.page_errors == [], f"uncaught errors: {watch.page_errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
