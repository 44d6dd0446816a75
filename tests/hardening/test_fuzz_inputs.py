"""Property-based tests (hypothesis) of what a broken client or a crawler may send: random and mutated
SPARQL queries and updates, parameters, headers, bodies in any encoding, and random values for every
JSON API parameter.

The properties, for every request:

* never a server error (5xx), except the 503 of a query stopped by the timeout, which says so;
* never a stack trace or an internal file path in the answer;
* every refusal is a 4xx with a message: plain text on the protocols, ``{"detail": ...}`` on the API;
* an update that is refused leaves the graph exactly as it was.

The app runs in-process (``app_client``, tests/clients.py: in-memory store, the shipped ontology, updates enabled with
:data:`TOKEN`, one query worker). Example counts are small (this file must stay well under a minute
on two cores) and the runs are derandomised so a failure reproduces on the next run; the seeds are
cheap queries (one pattern, or patterns joined on their variables), so a mutation cannot turn one
into a runaway Cartesian product that would spend the timeout on every example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from servers import TOKEN

import painlink

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

FUZZ = settings(
    max_examples=100, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"
SEED_QUERIES = [
    "ASK {}",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    f"PREFIX pl: <{PL}> SELECT ?a ?b WHERE {{ ?a pl:causes ?b }}",
    "SELECT ?e ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, 'pain')) }",
    f"CONSTRUCT {{ <{PLI}foot-pain> ?p ?o }} WHERE {{ <{PLI}foot-pain> ?p ?o }}",
    f"DESCRIBE <{PLI}back-pain>",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{PL}Symptom> }} GROUP BY ?s ORDER BY DESC(?n) OFFSET 1",
    'SELECT ?x WHERE { BIND(STRLEN("héllo\\n") AS ?x) VALUES ?y { 1 2.5 "z"@en } }',
    f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} OPTIONAL {{ ?s <{PL}partOf> ?w }} MINUS {{ ?s ?p 3 }} }} LIMIT 3",
    f"SELECT ?s WHERE {{ ?s <{PL}causes>+ <{PLI}back-pain> }}",
]
# Updates only ever touch the graph <urn:fuzz>: a mutation cannot reach the shipped triples.
SEED_UPDATES = [
    "INSERT DATA { GRAPH <urn:fuzz> { <urn:a> <urn:b> 'c' } }",
    "DELETE DATA { GRAPH <urn:fuzz> { <urn:a> <urn:b> 'c' } }",
    "WITH <urn:fuzz> DELETE { ?s ?p ?o } INSERT { ?s ?p 'new' } WHERE { ?s ?p ?o }",
    "CLEAR SILENT GRAPH <urn:fuzz>",
    "INSERT { GRAPH <urn:fuzz> { ?s <urn:seen> true } } WHERE { ?s a <urn:nothing> }",
]
# Pieces a mutation splices in: SPARQL syntax, the refused features, awkward characters.
FRAGMENTS = [
    "{", "}", "(", ")", ".", ";", ",", "?", "$", "<", ">", '"', "'", '"""', "#", "\\", "@", "^^", "*", "+",
    "SELECT", "WHERE", "FILTER", "OPTIONAL", "UNION", "GRAPH", "SERVICE <http://127.0.0.1:9/>", "LOAD <http://127.0.0.1:9/x>",
    "PREFIX x: <y>", "BASE <rel>", "LIMIT -1", "OFFSET 99999999999999999999", "REGEX(?s, '(')", "1/0",
    "<javascript:alert(1)>", "<http://exa mple>", "\x00", "\x7f", "\ud7ff", "\u202e", "\ufeff", "😀", "\r\n",
]
ACCEPTS = [
    None, "*/*", "application/sparql-results+json", "text/csv;q=0.1, application/xml", "text/turtle",
    "application/ld+json", "image/png", "text/html", "", ";;;", "application/*;q=abc", "*/*;q=0", "\x01",
]
#: A stack trace, a Python source location, or where painlink is installed.
TRACE = re.compile(
    r"Traceback \(most recent call last\)|\.py\", line \d+|site-packages|" + re.escape(str(Path(painlink.__file__).parent))
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed with a few random edits (delete a span, insert a fragment or random text, duplicate a
    span), or now and then any text at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=300))
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 12)))
        edit = draw(st.sampled_from(["delete", "insert", "text", "duplicate"]))
        if edit == "delete":
            text = text[:at] + text[end:]
        elif edit == "insert":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif edit == "text":
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        else:
            text = text[:end] + text[at:end] + text[end:]
    return text


def encode(text: str, encoding: str) -> bytes:
    if encoding == "invalid-utf-8":
        return b"\xff\xfe" + text.encode("utf-8", "surrogatepass") + b"\xc3"
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def assert_answered_well(response, *, protocol: bool) -> None:
    """The properties of the module docstring, for one response."""
    status = response.status_code
    body = response.text
    event(f"status {status}")
    assert not TRACE.search(body), f"internals leaked ({status}): {body[:500]}"
    if status == 503:
        assert "stopped" in body and response.headers.get("retry-after"), body[:300]
        return
    assert status < 500, f"server error {status}: {body[:500]}"
    if status >= 400:
        assert 400 <= status < 500
        if protocol:
            assert response.headers["content-type"].startswith("text/plain"), response.headers
            assert body.strip(), "an error without a message"
        else:
            detail = response.json()["detail"]
            assert detail, "an error without a message"
            if isinstance(detail, list):
                assert all(item.get("msg") and item.get("loc") for item in detail), detail


def graph_state(client: TestClient) -> bytes:
    import pyoxigraph as ox

    return client.app.state.store.dump(ox.RdfFormat.N_QUADS)


# --- /sparql ------------------------------------------------------------------------------------------
@FUZZ
@given(query=mutated(SEED_QUERIES), accept=st.sampled_from(ACCEPTS),
       how=st.sampled_from(["get", "form", "direct"]))
def test_mutated_queries_get_an_answer_or_a_reason(app_client: TestClient, query: str, accept, how: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if how == "get":
        response = app_client.get("/sparql", params={"query": query}, headers=headers)
    elif how == "form":
        response = app_client.post("/sparql", data={"query": query}, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        response = app_client.post("/sparql", content=query.encode("utf-8", "surrogatepass"), headers=headers)
    assert_answered_well(response, protocol=True)


@FUZZ
@given(
    text=mutated(SEED_QUERIES + SEED_UPDATES),
    content_type=st.sampled_from([
        "application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
        "application/sparql-query; charset=utf-16", "application/sparql-update; charset=latin-1",
        "application/sparql-query; charset=nonsense", "text/plain", "multipart/form-data; boundary=x",
        "application/json", "", "application/sparql-query; charset=\"utf-8\"; q=1",
    ]),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "invalid-utf-8"]),
    auth=st.sampled_from([None, f"Bearer {TOKEN}", "Bearer", "Basic Zm9vOmJhcg==", f"bearer  {TOKEN}x", "\x00"]),
)
def test_bodies_in_any_media_type_and_encoding(app_client: TestClient, text: str, content_type: str,
                                               encoding: str, auth) -> None:
    body = encode(text, encoding)
    if content_type == "application/x-www-form-urlencoded":
        body = b"query=" + body
    headers = {"Content-Type": content_type}
    if auth is not None:
        headers["Authorization"] = auth
    before = graph_state(app_client)
    response = app_client.post("/sparql", content=body, headers=headers)
    assert_answered_well(response, protocol=True)
    if response.status_code >= 400:
        assert graph_state(app_client) == before, "a refused request changed the graph"


@FUZZ
@given(update=mutated(SEED_UPDATES), authorised=st.sampled_from([True, True, True, False]))
def test_mutated_updates_apply_whole_or_leave_the_graph_as_it_was(app_client: TestClient, update: str,
                                                                  authorised: bool) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"} if authorised else {}
    before = graph_state(app_client)
    response = app_client.post("/sparql", data={"update": update}, headers=headers)
    assert_answered_well(response, protocol=True)
    if not authorised:
        assert response.status_code == 401
    if response.status_code >= 400:
        assert graph_state(app_client) == before, f"a refused update changed the graph: {update!r}"


PARAM_NAMES = ["query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri",
               "using-named-graph-uri", "format", "callback", "timeout", "", "query[]", "QUERY"]


@FUZZ
@given(
    params=st.lists(
        st.tuples(st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=10)),
                  st.one_of(st.sampled_from(SEED_QUERIES + ["http://g", "urn:x", "not an iri", "<>"]),
                            st.text(max_size=40))),
        max_size=5,
    ),
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    accept=st.sampled_from(ACCEPTS),
)
def test_random_parameters_and_methods(app_client: TestClient, params, method: str, accept) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = app_client.request(method, "/sparql", params=params, headers=headers)
    if method == "HEAD":
        assert response.status_code < 500 or response.status_code == 503
        return
    assert_answered_well(response, protocol=True)
    if method in ("PUT", "DELETE", "PATCH"):
        assert response.status_code == 405 and "allow" in response.headers


# --- /api ---------------------------------------------------------------------------------------------
NAMES = ["foot-pain", "back-pain", "altered-gait", "sciatic-nerve", "orthotic-shoes", "pli:foot-pain",
         f"{PLI}back-pain", "Foot Pain", "sciatica"]
VALUES = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES),
    st.integers(1, 12).map(str),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=400),
    st.integers(-10**20, 10**20).map(str),
    st.sampled_from(["0", "-1", "1e3", "NaN", "inf", "3.5", "", " ", "%00", "../../etc/passwd",
                     "<script>alert(1)</script>", "javascript:alert(1)", "\x00", "a" * 5000]),
)
# route -> (required parameters, optional ones)
API = {
    "/api/entities": (["q"], ["limit"]),
    "/api/paths": (["from", "to"], ["max_length", "limit"]),
    "/api/explain": (["symptom"], ["limit", "max_length"]),
    "/api/interventions": (["for"], ["max_length"]),
    "/api/claims": (["about"], []),
}


@FUZZ
@given(
    route=st.sampled_from(sorted(API)),
    data=st.data(),
    accept=st.sampled_from(ACCEPTS),
)
def test_api_parameters_get_an_answer_or_a_reason(app_client: TestClient, route: str, data, accept) -> None:
    # Mostly the route's own parameters (each at most once), sometimes repeated or unknown ones too.
    required, optional = API[route]
    own = data.draw(st.fixed_dictionaries({name: VALUES for name in required},
                                          optional={name: VALUES for name in optional}), label="params")
    extra = data.draw(st.lists(st.tuples(st.one_of(st.sampled_from(required + optional), st.text(max_size=8)), VALUES),
                               max_size=2) if data.draw(st.integers(0, 3)) == 0 else st.just([]), label="extra")
    params = [*own.items(), *extra]
    headers = {"Accept": accept} if accept is not None else {}
    response = app_client.get(route, params=params, headers=headers)
    assert_answered_well(response, protocol=False)
    assert response.status_code in {200, 404, 406, 422}, (response.status_code, response.text[:300])


@FUZZ
@given(
    route=st.sampled_from(["/api/entities/", "/api/claims/"]),
    name=st.one_of(st.sampled_from(NAMES + ["foot-pain--causes--altered-gait"]), st.text(min_size=1, max_size=80)),
    depth=st.one_of(st.none(), st.integers(-5, 50).map(str), st.text(max_size=5)),
    accept=st.sampled_from(ACCEPTS),
)
def test_api_names_in_the_path_get_an_answer_or_a_reason(app_client: TestClient, route: str, name: str,
                                                         depth, accept) -> None:
    from urllib.parse import quote

    params = {"depth": depth} if depth is not None and route == "/api/entities/" else {}
    headers = {"Accept": accept} if accept is not None else {}
    response = app_client.get(route + quote(name, safe=""), params=params, headers=headers)
    assert_answered_well(response, protocol=False)
    assert response.status_code in {200, 404, 406, 422}, (response.status_code, response.text[:300])
