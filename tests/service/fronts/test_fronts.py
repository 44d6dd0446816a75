"""``painlink serve --fronts N``: front processes answer /sparql on the port, the serving process the rest.

Real servers on loopback (the console script, uvicorn with uvloop), real HTTP clients; each check is
something a client of a fronted service relies on: answers and refusals read as without fronts, a
write is seen by every query after it, whichever process answers, an overrunning query is stopped
without the port going quiet, and no front outlives the service.
"""

from __future__ import annotations

import os
import signal
import time

import httpx
import psutil
import pytest

pytestmark = pytest.mark.slow

FRONTS = ("--fronts", "2")
JSON = {"Accept": "application/sparql-results+json"}


def fronts_of(server) -> list[psutil.Process]:  # type: ignore[no-untyped-def]
    """The service's running front processes (not those that ended and are not yet reaped)."""
    found = []
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "painlink.service.fronts.process" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # it ended meanwhile
            continue
    return found


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_for(condition, seconds: float = 30, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)


def ask(url: str, query: str, **headers: str) -> httpx.Response:
    with httpx.Client(timeout=30) as client:  # a new connection each time: any front may take it
        return client.get(url, params={"query": query}, headers={**JSON, **headers})


@pytest.fixture(params=["memory", "persistent"])
def fronted(request, start_server, tmp_path):  # type: ignore[no-untyped-def]
    return start_server(*FRONTS, data_dir=tmp_path / "data" if request.param == "persistent" else None)


def test_fronts_listen_and_the_service_answers_every_route(fronted) -> None:  # type: ignore[no-untyped-def]
    wait_for(lambda: len(fronts_of(fronted)) == 2, what="two front processes")
    count = ask(fronted.sparql_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }")
    assert count.status_code == 200
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 100  # the shipped ontology
    with httpx.Client(base_url=fronted.base_url, timeout=60) as client:
        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "painlink" in page.text
        paths = client.get("/api/paths", params={"from": "wrong-shoes", "to": "back-pain"})
        assert paths.status_code == 200 and paths.json()["paths"]
        editor = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/html"})
        assert editor.status_code == 200 and editor.headers["content-type"].startswith("text/html")
        description = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert description.status_code == 200 and "sd:Service" in description.text
        head = client.head("/sparql", params={"query": "ASK {}"}, headers=JSON)
        assert head.status_code == 200 and head.content == b""


def test_a_write_is_seen_by_every_query_after_it(fronted) -> None:  # type: ignore[no-untyped-def]
    wait_for(lambda: len(fronts_of(fronted)) == 2, what="two front processes")
    headers = {"Content-Type": "application/sparql-update", **fronted.auth}
    query = "SELECT ?n WHERE { <urn:test:counter> <urn:test:value> ?n }"
    with httpx.Client(timeout=30) as writer:
        for value in range(12):
            update = (f"DELETE WHERE {{ <urn:test:counter> <urn:test:value> ?old }}; "
                      f"INSERT DATA {{ <urn:test:counter> <urn:test:value> {value} }}")
            assert writer.post(fronted.sparql_url, content=update, headers=headers).status_code == 204
            for _ in range(6):
                rows = ask(fronted.sparql_url, query).json()["results"]["bindings"]
                assert [row["n"]["value"] for row in rows] == [str(value)]
        put = writer.put(fronted.store_url, params={"graph": "urn:test:g"}, content=b"<urn:test:a> <urn:test:b> 7 .",
                         headers={"Content-Type": "text/turtle", **fronted.auth})
        assert put.status_code in (200, 201, 204)
    for _ in range(6):
        answer = ask(fronted.sparql_url, "ASK { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> 7 } }")
        assert answer.json()["boolean"] is True


def test_refusals_read_the_same_with_and_without_fronts(start_server) -> None:  # type: ignore[no-untyped-def]
    plain, fronted = start_server(), start_server(*FRONTS)
    wait_for(lambda: len(fronts_of(fronted)) == 2, what="two front processes")
    cases = [
        ("GET", {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}, None, {}),
        ("GET", {"query": "SELECT * WHERE { ?s ?p"}, None, {}),
        ("GET", {"query": "SELECT * WHERE { ?s ?p ?o }"}, None, {"Accept": "text/turtle"}),
        ("POST", None, b"INSERT DATA { <urn:a> <urn:b> 1 }", {"Content-Type": "application/sparql-update"}),
        ("POST", None, b"x", {"Content-Type": "application/x-unknown"}),
    ]
    for method, params, body, headers in cases:
        answers = []
        for server in (plain, fronted):
            with httpx.Client(timeout=30) as client:
                answer = client.request(method, server.sparql_url, params=params, content=body, headers=headers)
            answers.append((answer.status_code, answer.text.replace(server.base_url, "BASE")))
        assert answers[0] == answers[1], (method, params, body)
        assert 400 <= answers[1][0] < 500 and "Traceback" not in answers[1][1]
    with httpx.Client(timeout=30) as client:
        private = client.get(fronted.base_url + "/_painlink/fronts/replica", params={"name": "1"})
        assert private.status_code == 404  # the fronts' own route is not reachable from outside


def test_an_overrunning_query_is_stopped_and_the_port_keeps_answering(start_server) -> None:  # type: ignore[no-untyped-def]
    server = start_server(*FRONTS, env={"PAINLINK_QUERY_TIMEOUT": "1"})
    wait_for(lambda: len(fronts_of(server)) == 2, what="two front processes")
    first = {process.pid for process in fronts_of(server)}
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for _ in range(3):  # (the first after start may be forwarded; every front gets one in time)
        answer = ask(server.sparql_url, slow)
        assert answer.status_code == 503
        assert "did not finish within 1 s" in answer.text
        assert ask(server.sparql_url, "ASK {}").json()["boolean"] is True  # answered meanwhile
    # The fronts whose query overran are replaced, and end: no thread keeps working on the query.
    wait_for(lambda: len(fronts_of(server)) == 2 and not first >= {p.pid for p in fronts_of(server)},
             what="a new front in place of one that retired")
    wait_for(lambda: all(gone(pid) for pid in first - {p.pid for p in fronts_of(server)}), what="retired fronts ended")
    assert "retiring" in server.log()
    assert ask(server.sparql_url, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_no_front_outlives_the_service(start_server) -> None:  # type: ignore[no-untyped-def]
    stopped, killed = start_server(*FRONTS), start_server(*FRONTS)
    for server in (stopped, killed):
        wait_for(lambda server=server: len(fronts_of(server)) == 2, what="two front processes")
    for server, how in ((stopped, signal.SIGTERM), (killed, signal.SIGKILL)):
        pids = [process.pid for process in fronts_of(server)]
        os.kill(server.process.pid, how)
        server.process.wait(30)
        # SIGTERM: the service stops them; SIGKILL: they see their pipe close and end by themselves.
        wait_for(lambda pids=pids: all(gone(pid) for pid in pids), what=f"fronts gone after {how.name}")
        with pytest.raises(httpx.TransportError):
            httpx.get(server.sparql_url, params={"query": "ASK {}"}, timeout=5)


def test_fronts_need_the_embedded_store(start_server) -> None:  # type: ignore[no-untyped-def]
    run = start_server.run("--store", "http://127.0.0.1:9/sparql", "--fronts", "2", token=None)
    assert run.returncode == 2
    assert "fronts answer queries from a replica of the embedded store" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_connection_limit_holds_for_the_port(start_server) -> None:  # type: ignore[no-untyped-def]
    import socket

    server = start_server(*FRONTS, "--max-connections", "2")
    wait_for(lambda: len(fronts_of(server)) == 2, what="two front processes")
    host, port = server.base_url.removeprefix("http://").split(":")
    opened = [socket.create_connection((host, int(port)), timeout=5) for _ in range(6)]
    try:
        time.sleep(0.5)
        refused = 0
        for sock in opened:
            sock.settimeout(0.5)
            try:
                refused += sock.recv(4096).startswith(b"HTTP/1.1 503")
            except TimeoutError:  # held open: one of the connections the limit admits
                pass
        # Two connections for the port: one a front, however the kernel spread the six.
        assert refused >= 4
    finally:
        for sock in opened:
            sock.close()
