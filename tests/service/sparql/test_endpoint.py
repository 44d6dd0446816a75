"""/sparql in process: query forms, formats and negotiation, the dataset parameters, updates and their
security, refused features, limits and the service description. Expected answers are computed with
pyoxigraph over the shipped files, never written into the test."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from media_types import RDF_FORMATS, RESULT_FORMATS
from servers import AUTH, TOKEN

PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LABELS = f"SELECT ?e ?label WHERE {{ ?e <{RDFS_LABEL}> ?label FILTER(STRSTARTS(STR(?e), '{PLI}')) }}"
CAUSES = f"CONSTRUCT {{ ?a <{PL}causes> ?b }} WHERE {{ ?a <{PL}causes> ?b }}"



def media_type(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def rows(response) -> set[tuple[str, ...]]:
    """The solutions of a results response as a set of tuples of the terms' lexical values."""
    if media_type(response) == "text/csv":  # lossy by design, so pyoxigraph does not read it
        table = list(csv.reader(io.StringIO(response.text)))
        return {tuple(cell if cell != "" else None for cell in row) for row in table[1:]}
    parsed = ox.parse_query_results(response.content, format=RESULT_FORMATS[media_type(response)])
    names = [v.value for v in parsed.variables]
    return {tuple(s[n].value if s[n] is not None else None for n in names) for s in parsed}


def triples(response) -> set[tuple[str, str, str]]:
    return {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in ox.parse(response.content, format=RDF_FORMATS[media_type(response)])
    }


def expected_rows(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    return {tuple(s[n].value if s[n] is not None else None for n in names) for s in result}


def expected_triples(store: ox.Store, query: str) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in store.query(query)}


# --- queries: the three ways in, every format -------------------------------------------------------
def test_get_select_answers_what_the_graph_holds(app_client: TestClient, shipped: ox.Store) -> None:
    response = app_client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert media_type(response) == "application/sparql-results+json"  # the default without Accept
    assert rows(response) == expected_rows(shipped, LABELS)
    assert ("https://w3id.org/painlink/id/foot-pain",) in {r[:1] for r in rows(response)}


def test_post_form_and_post_direct_give_the_same_answer(app_client: TestClient, shipped: ox.Store) -> None:
    form = app_client.post("/sparql", data={"query": LABELS})
    direct = app_client.post("/sparql", content=LABELS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert rows(form) == rows(direct) == expected_rows(shipped, LABELS)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values", "application/json", "application/xml"])
def test_select_in_every_results_format(app_client: TestClient, shipped: ox.Store, accept: str) -> None:
    response = app_client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert rows(response) == expected_rows(shipped, LABELS)
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_ask_in_every_results_format(app_client: TestClient, accept: str) -> None:
    query = f"ASK {{ <{PLI}foot-pain> <{PL}causes> ?x }}"
    response = app_client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and media_type(response) == accept
    if accept in ("text/csv", "text/tab-separated-values"):
        assert response.text == "true"
    else:
        assert bool(ox.parse_query_results(response.content, format=RESULT_FORMATS[accept])) is True


@pytest.mark.parametrize("accept", list(RDF_FORMATS))
def test_construct_in_every_rdf_format(app_client: TestClient, shipped: ox.Store, accept: str) -> None:
    response = app_client.get("/sparql", params={"query": CAUSES}, headers={"Accept": accept})
    assert response.status_code == 200 and media_type(response) == accept
    expected = expected_triples(shipped, CAUSES)
    assert expected and triples(response) == expected


def test_describe_returns_the_resource(app_client: TestClient, shipped: ox.Store) -> None:
    query = f"DESCRIBE <{PLI}foot-pain>"
    response = app_client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert triples(response) == expected_triples(shipped, query)


def test_turtle_answers_use_the_project_prefixes(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"query": CAUSES}, headers={"Accept": "text/turtle"})
    assert "@prefix pl: <https://w3id.org/painlink/vocab#> ." in response.text
    assert "pl:causes" in response.text
    assert "@prefix oa:" not in response.text  # prefixes the answer never uses are left out


# --- negotiation ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("*/*;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        ("*/*, application/sparql-results+json;q=0", "application/json"),
        (None, "application/sparql-results+json"),
    ],
)
def test_negotiation_follows_q_values_wildcards_and_specificity(app_client: TestClient, accept, chosen) -> None:
    headers = {"Accept": accept} if accept else {}
    response = app_client.get("/sparql", params={"query": "SELECT (1 AS ?one) {}"}, headers=headers)
    assert response.status_code == 200 and media_type(response) == chosen
    assert rows(response) == {("1",)}


def test_nothing_acceptable_is_406_with_the_alternatives(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"query": "SELECT (1 AS ?one) {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert media_type(response) == "text/plain"
    assert "application/sparql-results+json" in response.text


def test_a_graph_answer_is_never_mislabelled_as_results(app_client: TestClient) -> None:
    # The client accepts only results formats; a CONSTRUCT cannot be sent in one.
    response = app_client.get("/sparql", params={"query": CAUSES}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_a_browser_gets_the_editor_page(app_client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = app_client.get("/sparql", headers={"Accept": browser})
    assert page.status_code == 200 and media_type(page) == "text/html"
    assert "<html" in page.text.lower()
    with_query = app_client.get("/sparql", params={"query": "ASK { ?s ?p 'x<y' }"}, headers={"Accept": browser})
    assert media_type(with_query) == "text/html"
    assert "'x<y'" not in with_query.text  # the query is in the page, escaped


# --- service description --------------------------------------------------------------------------------
SD = "http://www.w3.org/ns/sparql-service-description#"


def test_service_description_names_its_own_address(app_client: TestClient) -> None:
    response = app_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and media_type(response) == "text/turtle"
    found = triples(response)
    # The configured address (Settings.base_url), not the Host header the client sent ("testserver").
    endpoint = f"<{app_client.app.state.settings.base_url}/sparql>"
    assert ("_:service", f"<{SD}endpoint>", endpoint) in {
        ("_:service" if s.startswith("_:") else s, p, o) for s, p, o in found if p == f"<{SD}endpoint>"
    }
    languages = {o for _, p, o in found if p == f"<{SD}supportedLanguage>"}
    assert languages == {f"<{SD}SPARQL11Query>", f"<{SD}SPARQL11Update>"}  # the token is configured here
    formats = {o for _, p, o in found if p == f"<{SD}resultFormat>"}
    assert "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>" in formats


def test_read_only_service_description_offers_no_update(make_client) -> None:
    client = make_client(update_token=None)
    response = client.get("/sparql", headers={"Accept": "application/n-triples"})
    languages = {o for _, p, o in triples(response) if p == f"<{SD}supportedLanguage>"}
    assert languages == {f"<{SD}SPARQL11Query>"}


def test_service_description_negotiates(app_client: TestClient) -> None:
    response = app_client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert media_type(response) == "application/ld+json" and triples(response)
    assert app_client.get("/sparql", headers={"Accept": "text/csv"}).status_code == 406


# --- protocol errors ------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parser_position(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert media_type(response) == "text/plain"
    assert "does not parse" in response.text and "1:" in response.text  # line:column from the parser
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("kwargs", "status", "says"),
    [
        ({"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "does not take text/plain"),
        ({"content": b"ASK {}"}, 415, "needs a Content-Type"),
        ({"content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}},
         415, "UTF-8"),
        ({"content": b"ASK { ?s ?p '\xff' }", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
        ({"content": b"query=ASK%7B%7D&query=ASK%7B%7D", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         400, "exactly one"),
        ({"content": b"query=ASK%7B%7D&update=CLEAR%20ALL", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         400, "not both"),
        ({"content": b"", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, "neither"),
    ],
)
def test_bad_posts_are_refused_with_a_reason(app_client: TestClient, kwargs, status, says) -> None:
    response = app_client.post("/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert says in response.text


def test_update_by_get_is_refused(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"update": "CLEAR ALL"})
    assert response.status_code == 400 and "POST" in response.text


def test_unknown_method_is_405_with_allow(app_client: TestClient) -> None:
    response = app_client.put("/sparql", content=b"ASK {}")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    assert "PUT is not allowed" in response.text


def test_head_answers_like_get_without_a_body(app_client: TestClient) -> None:
    response = app_client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200 and media_type(response) == "application/sparql-results+json"


def test_dataset_parameters_must_be_iris(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "not an absolute IRI" in response.text


def test_query_and_update_parameters_are_not_mixed(app_client: TestClient) -> None:
    response = app_client.get("/sparql", params={"query": "ASK {}", "using-graph-uri": "http://g"})
    assert response.status_code == 400 and "for updates" in response.text


# --- dataset parameters -------------------------------------------------------------------------------------
def test_default_and_named_graph_parameters_replace_the_dataset(make_client) -> None:
    client = make_client()
    setup = """INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/a> <http://example.org/p> 1 }
                             GRAPH <http://example.org/g2> { <http://example.org/b> <http://example.org/p> 2 } }"""
    assert client.post("/sparql", data={"update": setup}, headers=AUTH).status_code == 204
    query = "SELECT ?s WHERE { ?s <http://example.org/p> ?o }"
    assert rows(client.get("/sparql", params={"query": query})) == set()  # not in the default graph
    both = client.get("/sparql", params=[("query", query), ("default-graph-uri", "http://example.org/g1"),
                                         ("default-graph-uri", "http://example.org/g2")])
    assert rows(both) == {("http://example.org/a",), ("http://example.org/b",)}
    named = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    only_g2 = client.get("/sparql", params=[("query", named), ("named-graph-uri", "http://example.org/g2")])
    assert rows(only_g2) == {("http://example.org/g2",)}
    # The protocol's dataset wins over the query's own FROM.
    overridden = client.get("/sparql", params=[("query", "SELECT ?s FROM <http://example.org/g1> WHERE { ?s ?p ?o }"),
                                               ("default-graph-uri", "http://example.org/g2")])
    assert rows(overridden) == {("http://example.org/b",)}


def test_using_graph_uri_applies_to_update_patterns(make_client) -> None:
    client = make_client()
    client.post("/sparql", headers=AUTH, data={"update": """INSERT DATA {
        GRAPH <http://example.org/src> { <http://example.org/a> a <http://example.org/T> }
        GRAPH <http://example.org/other> { <http://example.org/b> a <http://example.org/T> } }"""})
    update = "INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Copied> } } WHERE { ?s a <http://example.org/T> }"
    response = client.post("/sparql", params={"using-graph-uri": "http://example.org/src"}, headers={
        **AUTH, "Content-Type": "application/sparql-update"}, content=update.encode())
    assert response.status_code == 204, response.text
    copied = client.get("/sparql", params={"query": "SELECT ?s WHERE { GRAPH <http://example.org/out> { ?s ?p ?o } }"})
    assert rows(copied) == {("http://example.org/a",)}  # only what the using graph holds


def test_using_graph_uri_conflicts_with_with(make_client) -> None:
    client = make_client()
    update = "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = client.post("/sparql", params={"using-named-graph-uri": "http://example.org/g"},
                           headers={**AUTH, "Content-Type": "application/sparql-update"}, content=update.encode())
    assert response.status_code == 400 and "USING" in response.text


def test_relative_iris_resolve_against_the_endpoint(make_client) -> None:
    client = make_client()
    client.post("/sparql", headers=AUTH, data={"update": "INSERT DATA { <http://example.org/s> <http://example.org/p> <thing> }"})
    answer = client.get("/sparql", params={"query": "SELECT ?o WHERE { <http://example.org/s> ?p ?o }"})
    # Against the endpoint's configured address (Settings.base_url), never the client's Host header.
    assert rows(answer) == {(client.app.state.settings.base_url + "/thing",)}


# --- updates: token, atomicity ------------------------------------------------------------------------------
INSERT = "INSERT DATA { <http://example.org/new> <http://example.org/p> 'x' }"
ASK_NEW = "ASK { <http://example.org/new> ?p ?o }"


def ask(client: TestClient, query: str) -> bool:
    return bool(ox.parse_query_results(client.get("/sparql", params={"query": query}).content,
                                       format=ox.QueryResultsFormat.JSON))


def test_update_needs_the_token(make_client) -> None:
    client = make_client()
    missing = client.post("/sparql", data={"update": INSERT})
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 403
    assert TOKEN not in wrong.text and "not-it" not in wrong.text
    assert not ask(client, ASK_NEW)
    right = client.post("/sparql", data={"update": INSERT}, headers=AUTH)
    assert right.status_code == 204
    assert ask(client, ASK_NEW)  # visible to the very next query (the replicas follow the store)


def test_read_only_service_refuses_every_update(make_client) -> None:
    client = make_client(update_token=None)
    response = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and "read-only" in response.text
    assert not ask(client, ASK_NEW)


def test_a_failing_update_leaves_the_graph_exactly_as_it_was(make_client) -> None:
    client = make_client()
    before = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"}).content
    # The first operation would succeed; the third fails (the graph exists): nothing may remain.
    update = f"{INSERT} ; CREATE GRAPH <http://example.org/g> ; CREATE GRAPH <http://example.org/g>"
    response = client.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 400 and "changed nothing" in response.text
    after = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"}).content
    assert after == before
    assert client.get("/store", params={"graph": "http://example.org/g"}).status_code == 404
    syntax = client.post("/sparql", data={"update": f"{INSERT} ; INSERT DATA {{ oops"}, headers=AUTH)
    assert syntax.status_code == 400 and "does not parse" in syntax.text
    assert not ask(client, ASK_NEW)


def test_an_update_over_the_timeout_is_stopped_and_changes_nothing(make_client) -> None:
    client = make_client(query_timeout=1)
    before = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"}).content
    endless = ("INSERT { <http://example.org/n> <http://example.org/count> ?a } "
               "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    response = client.post("/sparql", data={"update": endless}, headers=AUTH)
    assert response.status_code == 503 and "nothing was changed" in response.text
    after = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"}).content
    assert after == before
    assert client.app.state.evaluator.timeouts == 1


# --- refused features and limits ------------------------------------------------------------------------------
def test_service_is_refused_by_default(app_client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE <http://127.0.0.1:9/sparql>" in response.text and "PAINLINK_ALLOW_SERVICE" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "select * where { service silent ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { SeRvIcE <http://x/> { ?s ?p ?o } } }",
        "PREFIX e: <http://e/> SELECT * WHERE { ?s ?p 'a' . SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { FILTER(1<2) SERVICE<http://x/>{ ?s ?p ?o } }",
    ],
)
def test_every_spelling_of_service_is_refused(app_client: TestClient, query: str) -> None:
    assert app_client.get("/sparql", params={"query": query}).status_code == 400


def test_the_word_service_in_data_is_not_a_service_call(app_client: TestClient) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://x/> { }" AS ?x) } # SERVICE <http://y/>'
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and rows(response) == {("SERVICE <http://x/> { }",)}


def test_load_is_refused_by_default(make_client) -> None:
    client = make_client()
    response = client.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, headers=AUTH)
    assert response.status_code == 400 and "LOAD is disabled" in response.text


def test_result_cap_refuses_large_answers(make_client) -> None:
    client = make_client(max_result_rows=5)
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400 and "LIMIT" in response.text
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert construct.status_code == 400 and "triples" in construct.text
    limited = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert limited.status_code == 200 and len(rows(limited)) == 5


def test_query_length_and_body_size_are_limited(make_client) -> None:
    client = make_client(max_query_length=50, max_body_bytes=100)
    long_query = "SELECT * WHERE { ?s ?p ?o " + " " * 60 + "}"
    response = client.get("/sparql", params={"query": long_query})
    assert response.status_code == 413 and "at most 50" in response.text
    big = client.post("/sparql", content=b"#" * 200, headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413 and "at most 100" in big.text


def test_a_query_over_the_timeout_is_503(make_client) -> None:
    client = make_client(query_timeout=1)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 503 and "stopped" in response.text
    assert response.headers["retry-after"] == "1"
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # and it goes on answering


# --- errors, CORS, OpenAPI ------------------------------------------------------------------------------------
def test_errors_are_plain_text_for_protocols_and_json_for_the_api(app_client: TestClient) -> None:
    sparql = app_client.get("/sparql", params={"query": "nonsense"})
    assert media_type(sparql) == "text/plain"
    api = app_client.get("/api/nothing-here", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json()["detail"]


def test_cors_is_off_unless_configured(app_client: TestClient, make_client) -> None:
    origin = {"Origin": "https://clinic.example"}
    plain = app_client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    client = make_client(cors_origins=["https://clinic.example"])
    allowed = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://clinic.example"
    assert "access-control-allow-credentials" not in allowed.headers
    preflight = client.options("/sparql", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "access-control-allow-credentials" not in preflight.headers
    other = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_openapi_documents_the_protocols(app_client: TestClient) -> None:
    schema = app_client.get("/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/sparql"])
    assert {"get", "put", "post", "delete"} <= set(schema["paths"]["/store"])
