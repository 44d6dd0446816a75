"""A front's query lane (painlink.service.fronts.lane): plain GET queries answered by the protocol.

The lane must be invisible but for its speed: every answer a client gets from a fronted service reads
as from one process -- status, headers (but the date), body -- whether the lane answered it on the
event loop (one triple pattern), on a query thread (any other), or handed it to the usual way
(errors, CORS, pipelining, HTTP/1.0). Raw sockets, so that pipelining and HTTP/1.0 are what is sent.
"""

from __future__ import annotations

import socket
from urllib.parse import urlencode

import pytest
from test_fronts import FRONTS, fronts_of, wait_for  # (this folder, as pytest puts it on the path)

from painlink.service.fronts.evaluator import INLINE_ROWS

pytestmark = pytest.mark.slow

PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LABEL = PREFIXES + "SELECT ?label WHERE { <https://w3id.org/painlink/id/back-pain> rdfs:label ?label }"
ALL = "SELECT * WHERE { ?s ?p ?o }"  # one pattern, more rows than the event loop takes
JOIN = PREFIXES + "SELECT ?s ?label WHERE { ?s a ?type . ?s rdfs:label ?label } LIMIT 3"
#: More than INLINE_ROWS, fewer than the shipped graph's triples.
CAP = INLINE_ROWS + 500


def request(target: str, *headers: str, version: str = "1.1") -> bytes:
    lines = [f"GET {target} HTTP/{version}", "Host: 127.0.0.1", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def query(text: str, *headers: str, version: str = "1.1") -> bytes:
    return request("/sparql?" + urlencode({"query": text}), *headers, version=version)


def exchange(server, data: bytes, answers: int, *, closes: bool = False) -> tuple[list[tuple[int, dict, bytes]], bool]:  # type: ignore[no-untyped-def]
    """Send ``data`` on one connection; read ``answers`` responses (status, headers but the date,
    body) and, with ``closes``, whether the server then closed the connection (else False)."""
    read: list[tuple[int, dict, bytes]] = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock, sock.makefile("rb") as stream:
        sock.sendall(data)
        for _ in range(answers):
            status = int(stream.readline().split()[1])
            headers: dict[str, str] = {}
            while (line := stream.readline().decode("latin-1").rstrip("\r\n")):
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            chunks = []
            if headers.get("transfer-encoding") == "chunked":
                while (size := int(stream.readline().split(b";")[0], 16)):
                    chunks.append(stream.read(size))
                    stream.readline()
                stream.readline()
            else:
                chunks.append(stream.read(int(headers.get("content-length", 0))))
            headers.pop("date", None)
            read.append((status, headers, b"".join(chunks).replace(server.base_url.encode(), b"BASE")))
        closed = False
        if closes:
            sock.settimeout(2)  # (an idle connection is closed after uvicorn's 5 s keep-alive)
            try:
                closed = stream.read(1) == b""
            except (TimeoutError, ConnectionResetError):
                pass
    return read, closed


@pytest.fixture(scope="module")
def pair(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One service in one process and one with two fronts, both with a row cap of :data:`CAP`."""
    from servers import launch

    env = {"PAINLINK_QUERY_TIMEOUT": "5", "PAINLINK_MAX_RESULT_ROWS": str(CAP)}
    plain = launch(tmp_path_factory.mktemp("plain"), env=env)
    fronted = launch(tmp_path_factory.mktemp("fronted"), *FRONTS, env=env)
    try:
        wait_for(lambda: len(fronts_of(fronted)) == 2, what="two front processes")
        yield plain, fronted
    finally:
        plain.stop()
        fronted.stop()


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values", "*/*"])
def test_a_one_pattern_query_reads_as_from_one_process(pair, accept) -> None:  # type: ignore[no-untyped-def]
    for text in (LABEL, "ASK { ?s a <http://www.w3.org/2002/07/owl#Class> }", JOIN):
        answers = [exchange(server, query(text, f"Accept: {accept}"), 1)[0] for server in pair]
        assert answers[0] == answers[1], (text, accept)
        assert answers[1][0][0] == 200 and answers[1][0][2]


@pytest.mark.parametrize(("text", "accept", "status"), [
    (ALL + f" LIMIT {INLINE_ROWS + 1}", "application/sparql-results+json", 200),  # past the loop's rows
    (ALL, "application/sparql-results+json", 400),  # past the service's cap: the worker's wording
    (LABEL, "text/turtle", 406),  # known only once the query ran
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }", "application/sparql-results+json", 400),
    ("SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }", "*/*", 400),
])
def test_answers_and_refusals_past_the_event_loop_read_the_same(pair, text, accept, status) -> None:  # type: ignore[no-untyped-def]
    answers = [exchange(server, query(text, f"Accept: {accept}"), 1)[0][0] for server in pair]
    assert answers[1][0] == status, answers[1]
    assert answers[0] == answers[1]
    if status == 200:
        assert answers[1][2].count(b'"s":') == INLINE_ROWS + 1


def test_pipelined_queries_are_answered_in_order(pair) -> None:  # type: ignore[no-untyped-def]
    # A lane answer at once, one from a thread, a refusal, then the lane again, on one connection in
    # one write: each answer must be its own request's, in the order sent.
    json = "Accept: application/sparql-results+json"
    data = query(LABEL, json) + query(JOIN, json) + query("ASK {", json) + query(LABEL, json, "Connection: close")
    answers = [exchange(server, data, 4, closes=True) for server in pair]
    assert [status for status, _, _ in answers[1][0]] == [200, 200, 400, 200]
    assert answers[0] == answers[1]
    assert answers[1][1], "Connection: close was not honoured"


def test_http_1_0_and_cors_take_the_usual_way(pair) -> None:  # type: ignore[no-untyped-def]
    for data in (query(LABEL, version="1.0"), query(LABEL, "Origin: http://example.org"),
                 query(LABEL, "Accept: text/html")):
        answers = [exchange(server, data, 1) for server in pair]
        assert answers[0] == answers[1], data
        assert answers[1][0][0][0] == 200
    fronted = pair[1]
    assert exchange(fronted, query(LABEL, version="1.0"), 1, closes=True)[1], "HTTP/1.0 left open"


def test_keep_alive_serves_many_lane_queries_on_one_connection(pair) -> None:  # type: ignore[no-untyped-def]
    fronted = pair[1]
    json = "Accept: application/sparql-results+json"
    answers, closed = exchange(fronted, b"".join(query(LABEL, json) for _ in range(50)), 50, closes=True)
    assert len(answers) == 50 and not closed, "the connection was closed after 50 answers"
    assert {body for _, _, body in answers} == {answers[0][2]} and b"back pain" in answers[0][2].lower()
