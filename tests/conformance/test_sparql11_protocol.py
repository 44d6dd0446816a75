"""The W3C SPARQL 1.1 Protocol test suite, run by painlink's own runner against a real server.

The suite is data (``shared/conformance/sparql11-protocol/manifest.ttl``, beside the project root): every
test is a sequence of HTTP requests written in RDF (the ``ht:``/``cnt:`` vocabulary) with the expected
status class, result format and ASK answer. This runner reads the manifest with rdflib, turns each test
into a parametrised case, and for each one

1. empties the server's dataset and loads the test's ``ut:graphData`` files into their named graphs
   (through the Graph Store Protocol),
2. sends each request as written -- method, headers, body in its declared character encoding --
   with ``/sparql/`` mapped onto the endpoint and the update token added (updates are enabled for the
   suite, as the manifest's update tests need), and
3. checks the status class, that the body parses in the expected kind of format (``boolean``,
   ``tabular``, ``RDF``) as its Content-Type says, and the ASK answer.

The server is ``painlink serve --memory`` on a free loopback port (tests/servers.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
import pytest
from media_types import RDF_FORMATS, RESULT_FORMATS
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDFS
from servers import Server, launch

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO.parent / "shared" / "conformance" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")



@dataclass
class Step:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2 for 2xx ...
    format: str | None = None
    boolean: bool | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def _items(graph: Graph, head) -> list:
    return list(Collection(graph, head))


def load_suite() -> list[ProtocolTest]:
    """Every test of the manifest, in its order."""
    if not MANIFEST.is_file():
        pytest.fail(f"the W3C protocol suite is missing: expected {MANIFEST} (shared/ beside the project root)")
    graph = Graph()
    graph.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, MF.name)))
        for data in graph.objects(entry, UT.graphData):
            file = Path(urlsplit(str(graph.value(data, UT.graph))).path)
            test.graph_data.append((file, str(graph.value(data, RDFS.label))))
        action = graph.value(entry, MF.action)
        for request in _items(graph, graph.value(action, HT.requests)):
            header_list = graph.value(request, HT.headers)
            headers = [
                (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
                for h in (_items(graph, header_list) if header_list is not None else [])
            ]
            body_node = graph.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = {int(str(code).rsplit("StatusCode", 1)[1][0]) for code in graph.objects(response, MF.expectedStatus)}
            expected_format = graph.value(response, MF.expectedFormat)
            expected_boolean = graph.value(response, MF.expectedBoolean)
            test.steps.append(
                Step(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=statuses,
                    format=str(expected_format) if expected_format is not None else None,
                    boolean=expected_boolean.toPython() if expected_boolean is not None else None,
                )
            )
        tests.append(test)
    return tests


SUITE_TESTS = load_suite()


def test_the_suite_has_34_tests() -> None:
    assert len(SUITE_TESTS) == 34
    assert all(test.steps for test in SUITE_TESTS)


@pytest.fixture(scope="module", params=[(), ("--fronts", "2")], ids=["one process", "2 fronts"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The suite runs on both shapes of the service: one process, and front processes answering
    # queries from their replicas while writes go to the serving process (painlink.service.fronts).
    started = launch(tmp_path_factory.mktemp("conformance"), *request.param)
    yield started
    started.stop()


def _prepare(client: httpx.Client, server: Server, test: ProtocolTest) -> None:
    reset = client.post(server.sparql_url, content=b"DROP ALL",
                        headers={"Content-Type": "application/sparql-update", **server.auth})
    assert reset.status_code == 204, reset.text
    for file, graph_iri in test.graph_data:
        loaded = client.put(server.store_url, params={"graph": graph_iri}, content=(SUITE / file.name).read_bytes(),
                            headers={"Content-Type": "application/n-triples", **server.auth})
        assert loaded.status_code in (201, 204), loaded.text


def _check_body(step: Step, response: httpx.Response) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if step.format in ("boolean", "tabular"):
        assert media_type in RESULT_FORMATS, f"not a SPARQL results format: {media_type}"
        parsed = ox.parse_query_results(response.content, format=RESULT_FORMATS[media_type])
        if step.format == "boolean":
            assert isinstance(parsed, ox.QueryBoolean), "expected a boolean result"
            if step.boolean is not None:
                assert bool(parsed) is step.boolean
        else:
            assert isinstance(parsed, ox.QuerySolutions), "expected tabular results"
            list(parsed)
    elif step.format == "RDF":
        assert media_type in RDF_FORMATS, f"not an RDF format: {media_type}"
        list(ox.parse(response.content, format=RDF_FORMATS[media_type]))
    elif step.boolean is not None:  # a boolean without a declared format
        assert json.loads(response.content)["boolean"] is step.boolean


@pytest.mark.parametrize("test", SUITE_TESTS, ids=[t.name for t in SUITE_TESTS])
def test_protocol(test: ProtocolTest, server: Server) -> None:
    with httpx.Client(timeout=10) as client:
        _prepare(client, server, test)
        for number, step in enumerate(test.steps, start=1):
            rest = step.path.removeprefix("/sparql/")
            assert rest != step.path and (rest == "" or rest.startswith("?")), step.path
            url = server.sparql_url + rest  # the manifest's /sparql/ is this server's /sparql
            headers = dict(step.headers)
            headers.update(server.auth)
            response = client.request(step.method, url, content=step.body, headers=headers)
            assert response.status_code // 100 in step.statuses, (
                f"{test.title}, request {number}: {step.method} {step.path} answered {response.status_code} "
                f"(expected {sorted(f'{s}xx' for s in step.statuses)}): {response.text[:500]}"
            )
            if response.status_code // 100 == 2:
                _check_body(step, response)
