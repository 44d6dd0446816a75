"""Resource limits that tests/service/sparql/test_endpoint.py does not already cover (it covers the
query-length and Content-Length body limits of /sparql queries, the result cap on SELECT/CONSTRUCT,
and the timeout on a Cartesian product of the shipped graph):

* a body without ``Content-Length`` (chunked) is cut off at ``max_body_bytes`` while it streams;
* Graph Store uploads obey ``max_body_bytes`` and an update string ``max_query_length``, and the
  refused write changes nothing;
* path searches obey ``max_path_length`` and ``max_answers``, in /api and in the SPARQL path extension;
* over a large graph, an unbounded property path and a Cartesian product stop at the result cap or
  the timeout, with 400/503 and a message, and the endpoint goes on answering.

Each limit is set through :class:`~painlink.service.settings.Settings` to a small value, which also
shows it is configurable.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from clients import client_for
from fastapi.testclient import TestClient
from servers import AUTH

PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"


def count(app: TestClient) -> int:
    response = app.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- bodies and strings ---------------------------------------------------------------------------------
def test_a_chunked_body_is_cut_off_at_the_limit_while_it_streams() -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count as it reads
        nonlocal sent
        for _ in range(64):
            sent += 1024
            yield b"#" * 1024

    with client_for(max_body_bytes=4096) as app:
        response = app.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413, response.text
        assert "larger than 4096 bytes" in response.text


def test_graph_store_uploads_and_updates_obey_the_limits_and_change_nothing() -> None:
    with client_for(max_body_bytes=2000, max_query_length=300) as app:
        before = count(app)
        turtle = "".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(200)).encode()
        upload = app.post("/store", params={"graph": "urn:big"}, content=turtle,
                          headers={**AUTH, "Content-Type": "text/turtle"})
        assert upload.status_code == 413 and "at most 2000" in upload.text
        update = "INSERT DATA { GRAPH <urn:big> { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(40)) + " } }"
        refused = app.post("/sparql", data={"update": update}, headers=AUTH)
        assert refused.status_code == 413 and "update" in refused.text and "at most 300" in refused.text
        assert count(app) == before
        assert app.post("/store", params={"graph": "urn:small"}, content=b"".join(turtle.splitlines(keepends=True)[:10]),
                        headers={**AUTH, "Content-Type": "text/turtle"}).status_code == 201


# --- path searches --------------------------------------------------------------------------------------
def test_path_search_limits_are_the_settings_in_the_api_and_in_sparql() -> None:
    with client_for(max_path_length=3, max_answers=2) as app:
        ok = app.get("/api/paths", params={"from": "foot-pain", "to": "back-pain", "max_length": 3, "limit": 2})
        assert ok.status_code == 200, ok.text
        assert len(ok.json()["paths"]) <= 2
        for name, value, setting in (("max_length", 4, "max_path_length"), ("limit", 3, "max_answers")):
            refused = app.get("/api/paths", params={"from": "foot-pain", "to": "back-pain", name: value})
            assert refused.status_code == 422, refused.text
            (problem,) = refused.json()["detail"]
            assert problem["loc"] == ["query", name] and setting in problem["msg"]
        search = app.get("/api/entities", params={"q": "pain", "limit": 3})
        assert search.status_code == 422 and "max_answers" in search.text

        def block(length: int) -> str:
            return (f"PREFIX pl: <{PL}> PREFIX pli: <{PLI}> SELECT ?path WHERE {{ SERVICE <urn:painlink:paths> "
                    f"{{ [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:maxLength {length} ; pl:path ?path }} }}")

        assert app.get("/sparql", params={"query": block(3)}).status_code == 200
        refused = app.get("/sparql", params={"query": block(9)})
        assert refused.status_code == 400 and "max_path_length" in refused.text, refused.text


# --- runaway queries over a large graph -----------------------------------------------------------------
@pytest.fixture(scope="module")
def large() -> Iterator[TestClient]:
    """A graph of 3,000 nodes in one long cycle with shortcuts (about 6,000 edges): the transitive
    closure has 9 million pairs, the product of the edges with themselves 36 million rows."""
    with client_for(query_timeout=1.5, max_result_rows=10_000, max_body_bytes=10_000_000) as app:
        n = 3000
        lines = [f"<urn:n{i}> <urn:next> <urn:n{(i + 1) % n}> .\n<urn:n{i}> <urn:next> <urn:n{(i * 7) % n}> .\n"
                 for i in range(n)]
        loaded = app.post("/store", params={"default": ""}, content="".join(lines).encode(),
                          headers={**AUTH, "Content-Type": "application/n-triples"})
        assert loaded.status_code in (201, 204), loaded.text
        yield app


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:next>* ?b }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }",
        "ASK { ?a <urn:next>+ ?b . ?b <urn:next>+ ?c . FILTER(?a = <urn:nowhere>) }",
    ],
    ids=["unbounded property path", "Cartesian product", "chained closures"],
)
def test_a_runaway_query_is_stopped_at_the_timeout(large: TestClient, query: str) -> None:
    started = time.monotonic()
    response = large.get("/sparql", params={"query": query})
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert "stopped" in response.text and response.headers["retry-after"]
    # The limit is 1.5 s; starting a fresh evaluator afterwards is not part of the wait.
    assert elapsed < 10, f"the query ran for {elapsed:.1f} s"
    assert large.get("/sparql", params={"query": "ASK { <urn:n1> <urn:next> <urn:n2> }"}).json()["boolean"] is True


def test_a_huge_answer_stops_at_the_result_cap(large: TestClient) -> None:
    two_steps = "SELECT ?a ?c WHERE { ?a <urn:next> ?b . ?b <urn:next> ?c }"  # 12,000 rows, quickly
    for query, says in (
        (two_steps, "more than 10000 rows"),
        ("CONSTRUCT { ?a <urn:reach> ?d } WHERE { ?a <urn:next> ?b . ?b <urn:next> ?c . ?c <urn:next> ?d }", "triples"),
    ):
        response = large.get("/sparql", params={"query": query})
        assert response.status_code == 400 and says in response.text and "LIMIT" in response.text, response.text
    capped = large.get("/sparql", params={"query": two_steps + " LIMIT 10000"},
                       headers={"Accept": "application/sparql-results+json"})
    assert capped.status_code == 200 and len(capped.json()["results"]["bindings"]) == 10_000
