"""The W3C SPARQL 1.1 Graph Store HTTP Protocol suite, run by painlink's own runner against a real server.

The suite is data (``shared/conformance/sparql11-graph-store/``, beside the project root):
``manifest-indirect.ttl`` (graphs named by ``?graph=IRI`` / ``?default``) and ``manifest-direct.ttl``
(the request URL is the graph). Each test is a sequence of HTTP requests written in RDF (the
``ht:``/``cnt:`` vocabulary) with the expected status codes, an optional ``mf:expectedLocation``
(the response's ``Location`` replaces ``$LOCATION$`` in the later requests of the test), and an
optional expected body: the graph answered must be isomorphic to it. This runner reads both manifests
with rdflib, turns each test into a parametrised case, and for each one

1. empties the server's dataset (``DROP ALL``: each test expects to create its graphs),
2. sends each request as written, with the manifest's ``/gsp`` mapped onto ``/store`` and the
   update token added, and
3. checks the status code, the media type of the answer, and the graph it holds.

The server is ``painlink serve --memory`` on a free loopback port (tests/servers.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from servers import Server, launch

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO.parent / "shared" / "conformance" / "sparql11-graph-store"
MANIFESTS = {"indirect": SUITE / "manifest-indirect.ttl", "direct": SUITE / "manifest-direct.ttl"}

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
#: The status names the suite uses (the hts: vocabulary), as codes.
STATUS_CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
#: rdflib's parser names for the media types the suite's expected bodies and painlink's answers use.
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                  "application/ld+json": "json-ld"}


@dataclass
class Step:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: str | None
    statuses: set[int]
    location: str | None = None  # the template variable the response's Location fills
    media_type: str | None = None  # the expected Content-Type (without parameters)
    graph: str | None = None  # the expected graph, in media_type


@dataclass
class GraphStoreTest:
    name: str
    title: str
    steps: list[Step] = field(default_factory=list)


def _items(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _headers(graph: Graph, node) -> list[tuple[str, str]]:
    return [(str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
            for h in _items(graph, graph.value(node, HT.headers))]


def _text(graph: Graph, node) -> str | None:
    body = graph.value(node, HT.body)
    return None if body is None else str(graph.value(body, CNT.chars))


def load_suite(kind: str) -> list[GraphStoreTest]:
    """Every test of one manifest: its entries in their order, then any test the file defines but its
    entry list leaves out (manifest-direct.ttl defines head_non_existing_direct and does not list it)."""
    manifest_file = MANIFESTS[kind]
    if not manifest_file.is_file():
        pytest.fail(f"the W3C Graph Store suite is missing: expected {manifest_file} (shared/ beside the project root)")
    graph = Graph()
    graph.parse(manifest_file, format="turtle", publicID=manifest_file.as_uri())
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    listed = _items(graph, graph.value(manifest, MF.entries))
    unlisted = sorted(set(graph.subjects(RDF.type, MF.GraphStoreProtocolTest)) - set(listed))
    for entry in listed + unlisted:
        test = GraphStoreTest(f"{kind}:{str(entry).rsplit('#', 1)[-1]}", str(graph.value(entry, MF.name)))
        for request in _items(graph, graph.value(graph.value(entry, MF.action), HT.requests)):
            response = graph.value(request, HT.resp)
            expected_headers = dict((name.lower(), value) for name, value in _headers(graph, response))
            location = graph.value(response, MF.expectedLocation)
            test.steps.append(Step(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)),
                headers=_headers(graph, request),
                body=_text(graph, request),
                statuses={STATUS_CODES[str(code).removeprefix(str(HTS))] for code in graph.objects(response, MF.expectedStatus)},
                location=str(location) if location is not None else None,
                media_type=expected_headers.get("content-type", "").split(";")[0].strip() or None,
                graph=_text(graph, response),
            ))
        tests.append(test)
    return tests


SUITE_TESTS = load_suite("indirect") + load_suite("direct")


def test_the_suite_has_its_14_tests() -> None:
    assert [len(load_suite(kind)) for kind in MANIFESTS] == [9, 5]
    assert all(test.steps for test in SUITE_TESTS)


@pytest.fixture(scope="module", params=[(), ("--fronts", "2")], ids=["one process", "2 fronts"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The suite runs on both shapes of the service: one process, and front processes answering
    # queries from their replicas while writes go to the serving process (painlink.service.fronts).
    started = launch(tmp_path_factory.mktemp("graph-store-conformance"), *request.param)
    yield started
    started.stop()


def _answered_graph(response: httpx.Response, base: str) -> Graph:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type in RDFLIB_FORMATS, f"not an RDF format: {media_type!r}"
    return Graph().parse(data=response.content, format=RDFLIB_FORMATS[media_type], publicID=base)


@pytest.mark.parametrize("test", SUITE_TESTS, ids=[t.name for t in SUITE_TESTS])
def test_graph_store(test: GraphStoreTest, server: Server) -> None:
    variables: dict[str, str] = {}

    def fill(text: str) -> str:
        for name, value in variables.items():
            text = text.replace(name, value)
        return text

    with httpx.Client(timeout=10) as client:
        reset = client.post(server.sparql_url, content=b"DROP ALL",
                            headers={"Content-Type": "application/sparql-update", **server.auth})
        assert reset.status_code == 204, reset.text
        for number, step in enumerate(test.steps, start=1):
            path = fill(step.path)
            assert path.startswith("/gsp"), path
            url = server.store_url + path.removeprefix("/gsp")  # the manifest's /gsp is this server's /store
            body = fill(step.body).encode("utf-8") if step.body is not None else None
            response = client.request(step.method, url, content=body, headers={**dict(step.headers), **server.auth})
            where = f"{test.title}, request {number}: {step.method} {path}"
            assert response.status_code in step.statuses, (
                f"{where} answered {response.status_code} (expected {sorted(step.statuses)}): {response.text[:500]}"
            )
            if step.location is not None:
                assert "location" in response.headers, f"{where}: no Location header"
                variables[step.location] = response.headers["location"]
            if step.media_type is not None:
                assert response.headers.get("content-type", "").split(";")[0].strip() == step.media_type, where
            if step.graph is not None:
                expected = Graph().parse(data=step.graph, format=RDFLIB_FORMATS[step.media_type or "text/turtle"],
                                         publicID=url.split("?")[0])
                answered = _answered_graph(response, url.split("?")[0])
                assert isomorphic(answered, expected), (
                    f"{where}: the graph differs\nanswered:\n{answered.serialize(format='nt')}\n"
                    f"expected:\n{expected.serialize(format='nt')}"
                )
