"""The JSON API under /api, route by route: what each answers is what the graph holds (read here from
the shipped Turtle with pyoxigraph, or from the engine for ranked answers), JSON-LD documents hold
the store's triples, unknown names get 404 with suggestions, bad parameters 422 naming the field,
and the OpenAPI document describes every route's parameters and error answers."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from painlink.graph import QUESTIONS
from painlink.graph.knowledge import Knowledge
from painlink.ontology import NAMESPACES
from painlink.service import api

PLI, PLC, PL = NAMESPACES["pli"], NAMESPACES["plc"], NAMESPACES["pl"]
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in NAMESPACES.items())
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.shipped()


def values(store: ox.Store, query: str) -> list[str]:
    return sorted(row[0].value for row in store.query(PROLOGUE + query))


# --- content --------------------------------------------------------------------------------------------
def test_search_finds_an_entity_by_its_synonym(app_client: TestClient, shipped: ox.Store) -> None:
    (synonym,) = values(shipped, "SELECT ?s WHERE { pli:sciatica skos:altLabel ?s } LIMIT 1") or [None]
    assert synonym, "the shipped graph gives sciatica a synonym"
    answer = app_client.get("/api/entities", params={"q": synonym, "limit": 5}).json()
    assert answer["query"] == synonym and answer["limit"] == 5 and len(answer["hits"]) <= 5
    assert "sciatica" in [hit["entity"]["id"] for hit in answer["hits"]]


def test_an_entity_carries_its_names_mappings_neighbours_and_claims(
    app_client: TestClient, shipped: ox.Store
) -> None:
    answer = app_client.get("/api/entities/pli:foot-pain").json()
    assert answer["id"] == "foot-pain" and answer["iri"] == PLI + "foot-pain"
    assert [answer["label"]] == values(shipped, "SELECT ?l WHERE { pli:foot-pain rdfs:label ?l }")
    assert sorted(answer["synonyms"]) == values(shipped, "SELECT ?l WHERE { pli:foot-pain skos:altLabel ?l }")
    mapped = values(shipped, "SELECT ?m WHERE { pli:foot-pain skos:exactMatch|skos:closeMatch ?m }")
    assert sorted(m["iri"] for m in answer["mappings"]) == mapped
    claims = values(shipped, "SELECT ?c WHERE { ?c a pl:Claim ; rdf:subject|rdf:object pli:foot-pain }")
    assert sorted(c["iri"] for c in answer["claims"]) == claims
    causal = values(shipped, "SELECT ?o WHERE { pli:foot-pain pl:causes ?o }")
    neighbours = {node["iri"] for node in answer["neighbourhood"]["nodes"]}
    assert set(causal) <= neighbours


def test_paths_are_the_engines_ranked_chains(app_client: TestClient, knowledge: Knowledge) -> None:
    answer = app_client.get("/api/paths", params={"from": "lower back problem", "to": "foot-drop"}).json()
    expected = knowledge.paths("lower-back-problem", "foot-drop")
    assert [[n["id"] for n in p["nodes"]] for p in answer["paths"]] == [
        [n.id for n in p.nodes] for p in expected.paths
    ]
    assert [p["score"] for p in answer["paths"]] == pytest.approx([p.score for p in expected.paths])
    assert all(p["explanation"] for p in answer["paths"])


def test_explain_ranks_the_causes_of_the_symptoms_together(
    app_client: TestClient, knowledge: Knowledge
) -> None:
    params = [("symptom", "foot-numbness"), ("symptom", "foot weakness"), ("limit", "20")]
    answer = app_client.get("/api/explain", params=params).json()
    assert [s["id"] for s in answer["symptoms"]] == ["foot-numbness", "foot-weakness"]
    expected = knowledge.explain(["foot-numbness", "foot-weakness"], limit=20)
    assert [e["cause"]["id"] for e in answer["explanations"]] == [e.cause.id for e in expected.explanations]
    # Candidates that reach the symptoms only through a broader term come apart, after the specific
    # ones, saying which term; they explain nothing.
    assert [e["cause"]["id"] for e in answer["unspecific"]] == [e.cause.id for e in expected.unspecific]
    assert answer["unspecific"] and all(e["broader_only"] and not e["explained"] for e in answer["unspecific"])
    assert all(not e["broader_only"] for e in answer["explanations"])
    # The warnings come first in the JSON, before any ranking.
    assert list(answer)[0] == "red_flags"


def test_interventions_act_on_the_chains_into_the_target(app_client: TestClient, shipped: ox.Store) -> None:
    answer = app_client.get("/api/interventions", params={"for": "back-pain"}).json()
    assert answer["target"]["id"] == "back-pain"
    found = {item["intervention"]["iri"] for item in answer["interventions"]}
    # Orthotic shoes are said to relieve back pain itself: they must be among them.
    assert PLI + "orthotic-shoes" in found
    assert found <= set(values(shipped, "SELECT ?i WHERE { ?i a pl:Intervention }"))


def test_a_claim_carries_all_its_evidence_for_and_against(app_client: TestClient, shipped: ox.Store) -> None:
    answer = app_client.get("/api/claims/orthotic-shoes--relieves--back-pain").json()
    iri = PLC + "orthotic-shoes--relieves--back-pain"
    assert sorted(e["iri"] for e in answer["evidence"]) == values(
        shipped, f"SELECT ?e WHERE {{ <{iri}> pl:hasEvidence ?e }}"
    )
    stances = {e["stance"] for e in answer["evidence"]}
    assert {"supports", "contradicts"} <= stances and answer["disputed"] is True
    quotes = values(shipped, f"SELECT ?q WHERE {{ <{iri}> pl:hasEvidence/oa:hasSelector/oa:exact ?q }}")
    assert sorted(e["quote"]["exact"] for e in answer["evidence"] if e["quote"]) == quotes


def test_claims_about_an_entity_are_every_claim_naming_it(app_client: TestClient, shipped: ox.Store) -> None:
    answer = app_client.get("/api/claims", params={"about": "orthotic shoes"}).json()
    assert answer["about"]["id"] == "orthotic-shoes"
    expected = values(
        shipped, "SELECT ?c WHERE { ?c a pl:Claim ; rdf:subject|rdf:object pli:orthotic-shoes }"
    )
    assert sorted(c["iri"] for c in answer["claims"]) == expected
    assert all(c["evidence"] for c in answer["claims"])


# --- JSON-LD --------------------------------------------------------------------------------------------
def _document_triples(body: bytes) -> set[ox.Triple]:
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.JSON_LD)
    return {quad.triple for quad in store}


@pytest.mark.parametrize(
    ("path", "iri", "about"),
    [
        (
            "/api/entities/lower-back-problem",
            PLI + "lower-back-problem",
            "CONSTRUCT {{ <{0}> ?p ?o . ?s ?q <{0}> }} WHERE {{ {{ <{0}> ?p ?o }} UNION {{ ?s ?q <{0}> }} }}",
        ),
        (
            "/api/claims/orthotic-shoes--relieves--back-pain",
            PLC + "orthotic-shoes--relieves--back-pain",
            ("CONSTRUCT {{ <{0}> ?p ?o . ?e ?ep ?eo }} WHERE {{ {{ <{0}> ?p ?o }} UNION "
            "{{ <{0}> pl:hasEvidence ?e . ?e ?ep ?eo FILTER(!isBlank(?eo)) }} }}"),
        ),
    ],
    ids=["entity", "claim"],
)
@pytest.mark.parametrize(
    "accept",
    ["application/ld+json", f'application/ld+json; profile="{COMPACTED}"'],
    ids=["plain", "compacted"],
)
def test_json_ld_holds_what_the_store_holds(
    app_client: TestClient, shipped: ox.Store, path: str, iri: str, about: str, accept: str
) -> None:
    response = app_client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == "application/ld+json"
    document = response.json()
    assert document["@context"]["pli"] == PLI and document["@graph"][0]["@id"].endswith(iri.rsplit("/", 1)[1])
    expected = set(shipped.query(PROLOGUE + about.format(iri)))
    missing = expected - _document_triples(response.content)
    assert not missing, sorted(map(str, missing))[:5]


def test_json_ld_in_a_profile_it_is_not_is_406(app_client: TestClient) -> None:
    expanded = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
    response = app_client.get("/api/entities/foot-pain", headers={"Accept": expanded})
    assert response.status_code == 406 and "available:" in response.json()["detail"]


def test_turtle_on_request_and_406_for_what_no_route_writes(app_client: TestClient) -> None:
    turtle = app_client.get("/api/claims/foot-pain--causes--altered-gait", headers={"Accept": "text/*"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(turtle.content, format=ox.RdfFormat.TURTLE)
    assert len(graph) > 0
    for route in [
        "/api/entities?q=foot",
        "/api/paths?from=foot-pain&to=back-pain",
        "/api/claims?about=foot-pain",
    ]:
        refused = app_client.get(route, headers={"Accept": "text/html, application/json;q=0"})
        assert refused.status_code == 406, route
        assert "application/json" in refused.json()["detail"]


# --- errors ---------------------------------------------------------------------------------------------
# "sciatc" could be sciatica or the sciatic nerve: never guessed, both suggested.
UNKNOWN = [
    ("/api/entities/sciatc", "id", "sciatica"),
    ("/api/paths?from=sciatc&to=back-pain", "from", "sciatic-nerve"),
    ("/api/paths?from=foot-pain&to=sciatc", "to", "sciatica"),
    ("/api/explain?symptom=sciatc", "symptom", "sciatica"),
    ("/api/interventions?for=sciatc", "for", "sciatica"),
    ("/api/claims?about=sciatc", "about", "sciatica"),
    ("/api/claims/foot-pain--causes--altered-gate", "id", "foot-pain--causes--altered-gait"),
    # Nothing in the id names an entity: the claims spelt most like it are suggested.
    ("/api/claims/foot-pian--causes--altered-gaitt", "id", "foot-pain--causes--altered-gait"),
]


@pytest.mark.parametrize(("path", "parameter", "suggested"), UNKNOWN)
def test_an_unknown_name_is_404_with_suggestions(app_client: TestClient, path, parameter, suggested) -> None:
    response = app_client.get(path)
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["parameter"] == parameter and body["detail"]
    assert suggested in [s["id"] for s in body["suggestions"]]
    first = next(s for s in body["suggestions"] if s["id"] == suggested)
    assert app_client.get(first["href"]).status_code == 200


MISSPELT = [
    ("/api/entities/foot-pian", "foot-pain", lambda body: body["id"]),
    ("/api/paths?from=foot-pian&to=bakc-pain", "foot-pain back-pain",
     lambda body: f"{body['source']['id']} {body['target']['id']}"),
    ("/api/explain?symptom=foot-nunbness", "foot-numbness", lambda body: body["symptoms"][0]["id"]),
    ("/api/interventions?for=bak-pain", "back-pain", lambda body: body["target"]["id"]),
]


@pytest.mark.parametrize(("path", "expected", "resolved"), MISSPELT, ids=[m[0] for m in MISSPELT])
def test_a_misspelt_name_is_understood(app_client: TestClient, path, expected, resolved) -> None:
    response = app_client.get(path)
    assert response.status_code == 200, response.text
    assert resolved(response.json()) == expected


INVALID = [
    ("/api/entities", ("query", "q"), "required"),
    ("/api/entities?q=%20", ("query", "q"), "blank"),
    ("/api/entities?q=foot&limit=999", ("query", "limit"), "at most"),
    ("/api/entities/%20", ("path", "id"), "blank"),
    ("/api/entities/foot-pain?depth=9", ("query", "depth"), "whole number from 1 to 3, not “9”"),
    ("/api/paths?from=foot-pain", ("query", "to"), "required"),
    ("/api/paths?from=foot-pain&to=foot-pain", ("query", "to"), "same entity"),
    ("/api/paths?from=foot-pain&to=back-pain&max_length=0", ("query", "max_length"), "whole number from 1 to"),
    ("/api/paths?from=foot-pain&to=back-pain&max_length=99", ("query", "max_length"), "at most"),
    ("/api/paths?from=foot-pain&to=back-pain&limit=x", ("query", "limit"), "whole number from 1 to"),
    ("/api/paths?from=foot-pain&to=back-pain&from=sciatica", ("query", "from"), "given 2 times"),
    ("/api/explain", ("query", "symptom"), "required"),
    ("/api/explain?symptom=foot-pain&limit=0", ("query", "limit"), "whole number from 1 to"),
    ("/api/interventions", ("query", "for"), "required"),
    ("/api/interventions?for=back-pain&max_length=99", ("query", "max_length"), "at most"),
    ("/api/claims", ("query", "about"), "required"),
    ("/api/claims/%20", ("path", "id"), "blank"),
]


@pytest.mark.parametrize(("path", "loc", "reason"), INVALID)
def test_a_bad_parameter_is_422_naming_it_and_why(app_client: TestClient, path, loc, reason) -> None:
    response = app_client.get(path)
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert tuple(error["loc"]) == loc
    assert reason.lower() in error["msg"].lower()


# --- OpenAPI and /docs ----------------------------------------------------------------------------------
def test_openapi_documents_every_api_parameter_and_error(app_client: TestClient) -> None:
    document = app_client.get("/openapi.json").json()
    routes = {route.path: route for route in api.router.routes}
    assert set(routes) == {path for path in document["paths"] if path.startswith("/api")}
    assert set(routes) == {f"/api{path}" for path in api.ROUTES}
    for path, route in routes.items():
        operation = document["paths"][path]["get"]
        declared = {p["name"] for p in operation["parameters"]}
        question = QUESTIONS[api.ROUTES[path.removeprefix("/api")]]
        assert declared == set(question.names), path
        assert all(p.get("description") for p in operation["parameters"]), path
        responses = operation["responses"]
        for status in ("406", "422", "502", "503") + (("404",) if path != "/api/entities" else ()):
            assert "application/json" in responses[status]["content"], (path, status)
    paths = document["paths"]["/api/paths"]["get"]["parameters"]
    length = next(p for p in paths if p["name"] == "max_length")
    assert length["schema"]["type"] == "integer" and length["schema"]["minimum"] == 1
    assert length["schema"]["default"] == QUESTIONS["paths"].parameter("max_length").default


def test_docs_page_loads_only_local_files(app_client: TestClient) -> None:
    page = app_client.get("/docs")
    assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text
    for asset in (
        "/static/swagger-ui/swagger-ui-bundle.js",
        "/static/swagger-ui/swagger-ui.css",
        "/static/api-docs.js",
    ):
        assert asset in page.text
        assert app_client.get(asset).status_code == 200, asset
    assert json.loads(app_client.get("/openapi.json").text)["info"]["title"] == "painlink"
