"""One declaration of what each error means (painlink.service.meanings), read by every face: an error
raised behind a route is answered with the declared status, wording and headers -- JSON on /api, plain
text on the protocols' paths, the error page for a browser -- and the command line exits with the
declared status and message. No answer carries a trace.
"""

from __future__ import annotations

import io

import pytest
from clients import client_for
from fastapi.testclient import TestClient

from painlink import cli
from painlink.graph.exceptions import BudgetExceededError, DataRejectedError, UnknownEntityError
from painlink.graph.stores import StoreFullError, StoreReadOnlyError, StoreUnavailableError
from painlink.service.errors import PathEngineBusy
from painlink.service.meanings import UNEXPECTED, meaning_of

#: Errors a route may meet, each as raised deep inside the service.
RAISED = {
    "store full": StoreFullError("the write failed: the store's disk is full; nothing was changed"),
    "read-only store": StoreReadOnlyError("this store has no update URL"),
    "store down": StoreUnavailableError("the SPARQL server at http://x cannot be reached"),
    "bad answer": StoreUnavailableError("the SPARQL server answered 500", status=502),
    "budget": BudgetExceededError("time", "the question took longer than 5 s"),
    "busy": PathEngineBusy("the path engine is busy"),
    "data refused": DataRejectedError("parse", ["expected '.'"], source="x.ttl", line=1, column=2),
    "unexpected": KeyError("/secret/internal/path"),
}


def raising(error: Exception):
    def boom() -> None:
        raise error
    return boom


@pytest.fixture(scope="module")
def client() -> TestClient:
    opened = client_for(update_token=None, raise_server_exceptions=False)
    for name, error in RAISED.items():
        for prefix in ("/api", "/sparql", "/pages"):
            opened.app.add_api_route(f"{prefix}/raise/{name.replace(' ', '-')}", raising(error))
    with opened as client:
        yield client


@pytest.mark.parametrize("name", RAISED)
def test_every_face_of_http_answers_as_declared(client: TestClient, name: str) -> None:
    error = RAISED[name]
    meaning = meaning_of(error)
    address = f"/raise/{name.replace(' ', '-')}"
    as_json = client.get("/api" + address)
    as_text = client.get("/sparql" + address)
    as_page = client.get("/pages" + address, headers={"Accept": "text/html"})
    for response in (as_json, as_text, as_page):
        assert response.status_code == meaning.status_of(error), name
        for header, value in meaning.headers_of(error).items():
            assert response.headers[header] == value, (name, header)
        assert "Traceback" not in response.text and "secret" not in response.text
    assert as_json.json() == {"detail": meaning.message(error)}
    assert as_text.headers["content-type"].startswith("text/plain") and as_text.text == meaning.message(error) + "\n"
    assert as_page.headers["content-type"].startswith("text/html")
    if name == "unexpected":
        assert meaning.message(error) == UNEXPECTED and not meaning.client_fault(error)


def test_the_command_line_exits_as_declared(tmp_path) -> None:
    err = io.StringIO()
    status = cli.main(["entity", "no-such-thing-at-all"], out=io.StringIO(), err=err)
    meaning = meaning_of(UnknownEntityError)
    assert status == meaning.exit == 2
    assert err.getvalue().startswith("painlink: no entity named 'no-such-thing-at-all'")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    err = io.StringIO()
    status = cli.main(["--data", str(bad), "search", "foot"], out=io.StringIO(), err=err)
    assert status == meaning_of(DataRejectedError).exit == 1
    assert err.getvalue().startswith("painlink: --data rejected, nothing was loaded:")


class _StoreDown:
    """A knowledge graph whose store has gone away, as the engine meets it."""

    def search(self, *args, **kwargs):
        raise RAISED["store down"]


def test_an_mcp_tool_says_what_the_error_means() -> None:
    from painlink.service.mcp.tools import tools

    with client_for(update_token=None) as running:
        app = running.app
        search = tools(app)["search"]
        unknown = running.portal.call(tools(app)["entity"].call, app, {"id": "no-such-thing-at-all"})
        assert unknown.is_error and "no entity named 'no-such-thing-at-all'" in unknown.content[0].text
        real, app.state.knowledge = app.state.knowledge, _StoreDown()
        try:
            down = running.portal.call(search.call, app, {"q": "foot"})
        finally:
            app.state.knowledge = real
    error = RAISED["store down"]
    assert down.is_error and down.content[0].text == meaning_of(error).message(error)
