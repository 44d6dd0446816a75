"""Answers of every size, from a real ``painlink serve`` (uvicorn on uvloop, as ``scripts/serve`` runs
it), read by real clients: SPARQLWrapper, rdflib's SPARQLStore and httpx.

Issue 11: under uvloop, 9 of 10 answers above ~16 KiB came back 503 ("a query evaluator stopped
unexpectedly"). Each answer is asked several times, the repeated ones 30 times, and the file sends
about 250 answers above 16 KiB: a failure of one in ten cannot pass (0.9 ** 45 < 1 %). The data is
the shipped ontology plus a generated graph of 10,000 entities (about 180,000 triples,
bench/generate.py), loaded with ``painlink load``.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from servers import Server, launch, painlink_command
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
ENTITIES = 10_000
PL = "https://w3id.org/painlink/vocab#"
#: Tries of the same 20,000-row answer (with the other tests' large answers, well over 45).
TRIES_20K = 30
#: Tries of each whole-shipped-graph answer (five of them: 150 in all).
TRIES_SHIPPED = 30


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("large-answers")
    data = workdir / "synthetic.nt"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--entities", str(ENTITIES), "--out", str(data)],
        check=True, capture_output=True,
    )
    subprocess.run(
        [*painlink_command(), "load", str(data), "--data-dir", str(workdir / "data")],
        check=True, capture_output=True, cwd=workdir,
    )
    server = launch(workdir, data_dir=workdir / "data", env={"PAINLINK_QUERY_TIMEOUT": "60"}, token=None)
    yield server
    server.stop()


def _select(limit: int) -> str:
    return f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {limit}"


def _rows(client: SPARQLWrapper, fmt: str) -> int:
    """How many rows SPARQLWrapper read in the answer's own format."""
    client.setReturnFormat(fmt)
    result = client.query()
    assert result.response.status == 200
    converted = result.convert()
    if fmt == JSON:
        return len(converted["results"]["bindings"])
    if fmt == XML:
        return len(converted.getElementsByTagName("result"))
    text = converted.decode()
    if fmt == CSV:
        return len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    return text.count("\n") - 1  # TSV escapes tabs and newlines inside terms


def test_the_shipped_graph_whole_in_every_format(live_server: Server) -> None:
    # The issue's own reproduction: SELECT * and CONSTRUCT of the whole shipped graph (70-440 KB).
    formats = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
    cases = [("SELECT * WHERE { ?s ?p ?o }", accept) for accept in formats]
    cases.append(("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle"))
    with httpx.Client(timeout=30) as client:
        for query, accept in cases:
            statuses = [client.get(live_server.sparql_url, params={"query": query}, headers={"Accept": accept})
                        for _ in range(TRIES_SHIPPED)]
            failures = [(r.status_code, r.text[:200]) for r in statuses if r.status_code != 200]
            assert not failures, f"{query} as {accept}: {len(failures)} of {TRIES_SHIPPED} failed, first {failures[0]}"
            assert len({r.content for r in statuses}) == 1, f"{query} as {accept}: the answers differ"


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_of_every_size_in_every_format_through_sparqlwrapper(big_server: Server, fmt: str) -> None:
    client = SPARQLWrapper(big_server.sparql_url)
    for limit, tries in ((1, 3), (100, 3), (5_000, 2), (20_000, 1)):
        client.setQuery(_select(limit))
        for _ in range(tries):
            assert _rows(client, fmt) == limit


def test_a_20000_row_answer_is_read_whole_by_sparqlwrapper_every_time(big_server: Server) -> None:
    client = SPARQLWrapper(big_server.sparql_url)
    client.setQuery(_select(20_000))
    counts = [_rows(client, JSON) for _ in range(TRIES_20K)]
    assert counts == [20_000] * TRIES_20K


@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_select_through_rdflib_sparqlstore(big_server: Server, return_format: str) -> None:
    graph = rdflib.Graph(SPARQLStore(big_server.sparql_url, returnFormat=return_format))
    for limit, tries in ((1, 3), (3_000, 3), (10_000, 1)):
        for _ in range(tries):
            assert len(list(graph.query(_select(limit)))) == limit


def _count(server: Server, where: str) -> int:
    response = httpx.get(server.sparql_url, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's own parser
def test_construct_and_describe_through_rdflib_sparqlstore(big_server: Server) -> None:
    graph = rdflib.Graph(SPARQLStore(big_server.sparql_url))
    for limit in (5, 2_000, 20_000):
        for _ in range(2):
            answer = graph.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {limit}")
            assert len(answer.graph) == limit
    # DESCRIBE of every synthetic intervention: its triples as subject (Oxigraph's description).
    members = f"?s a <{PL}Intervention> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STRSTARTS(?l, 'synthetic'))"
    expected = _count(big_server, f"{{ SELECT DISTINCT ?s WHERE {{ {members} }} }} ?s ?p ?o")
    assert expected > 5_000
    for _ in range(2):
        answer = graph.query(f"DESCRIBE ?s WHERE {{ {members} }}")
        assert len(answer.graph) == expected


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                 ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_in_every_rdf_format_read_by_rdflib(big_server: Server, fmt: tuple[str, str]) -> None:
    accept, rdflib_format = fmt
    with httpx.Client(timeout=60) as client:
        for limit in (3, 20_000):
            for _ in range(2):
                response = client.get(big_server.sparql_url, headers={"Accept": accept},
                                      params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {limit}"})
                assert response.status_code == 200, response.text[:300]
                assert len(rdflib.Graph().parse(data=response.content, format=rdflib_format)) == limit


@pytest.mark.parametrize(("accept", "query"), [
    ("application/sparql-results+json", _select(100_000)),
    ("application/sparql-results+xml", _select(100_000)),
    ("application/n-triples", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 100000"),
])
def test_answers_of_tens_of_megabytes_stream_whole(big_server: Server, accept: str, query: str) -> None:
    # 100,000 rows (the default result cap) -- 16 to 30 MB -- twice each, streamed by httpx.
    for _ in range(2):
        received = bytearray()
        with httpx.stream("GET", big_server.sparql_url, params={"query": query}, headers={"Accept": accept},
                          timeout=120) as response:
            assert response.status_code == 200
            for piece in response.iter_bytes():
                received += piece
        assert int(response.headers["content-length"]) == len(received) > 10_000_000
        if accept.endswith("json"):
            assert len(json.loads(received)["results"]["bindings"]) == 100_000
        elif accept.endswith("xml"):
            assert received.count(b"<result>") == 100_000 and received.endswith(b"</results></sparql>")
        else:
            assert received.count(b" .\n") == 100_000


def test_over_the_cap_is_still_a_400(big_server: Server) -> None:
    response = httpx.get(big_server.sparql_url, params={"query": _select(100_001)},
                         headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 400
    assert "LIMIT" in response.text


def test_a_client_that_reads_slowly_holds_no_query_worker_and_no_file(start_server) -> None:
    # One query worker and no extras: if a large answer held the worker while its client read it, the
    # ASKs below would wait for the timeout. Answers above SPOOL_ABOVE stream from an unlinked file
    # that must be closed once the client has gone.
    import os
    import time

    server = start_server("--query-workers", "1", "--query-workers-max", "1",
                          env={"PAINLINK_QUERY_TIMEOUT": "20"}, token=None)
    large = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 60000"  # ~20 MB of JSON

    def spooled_files() -> list[str]:
        """The server's open descriptors on answer files (unlinked: '... (deleted)')."""
        folder = f"/proc/{server.process.pid}/fd"
        targets = []
        for descriptor in os.listdir(folder):
            try:
                targets.append(os.readlink(os.path.join(folder, descriptor)))
            except FileNotFoundError:  # closed meanwhile
                pass
        return [target for target in targets if "/answer-" in target]

    with httpx.Client(timeout=60) as slow, httpx.Client(timeout=60) as fast:
        held = []
        for _ in range(3):
            stream = slow.stream("GET", server.sparql_url, params={"query": large},
                                 headers={"Accept": "application/sparql-results+json"})
            response = stream.__enter__()
            assert response.status_code == 200 and int(response.headers["content-length"]) > 10_000_000
            held.append(stream)
        started = time.monotonic()
        for _ in range(5):
            asked = fast.get(server.sparql_url, params={"query": "ASK { ?s ?p ?o }"})
            assert asked.status_code == 200 and asked.json()["boolean"] is True
        assert time.monotonic() - started < 10, "the ASKs waited for the streaming answers' worker"
        assert spooled_files(), "three answers are streaming from their files"
        for stream in held:
            stream.__exit__(None, None, None)
    deadline = time.monotonic() + 10
    while spooled_files() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert spooled_files() == [], "an answer's file stayed open after its client left"
