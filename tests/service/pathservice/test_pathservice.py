"""Causal paths inside SPARQL (``SERVICE <urn:painlink:paths>``): the same ranked chains as
``/api/paths`` for every pair asked, joined with the rest of the query; a malformed block or a failed
search is a 400 saying why, and ``SERVICE SILENT`` behaves as SPARQL 1.1 Federated Query says."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from painlink.ontology import NAMESPACES

PL, PLI = NAMESPACES["pl"], NAMESPACES["pli"]
PREFIXES = f"PREFIX pl: <{PL}> PREFIX pli: <{PLI}> PREFIX rdfs: <{NAMESPACES['rdfs']}>\n"
RESULTS = {"Accept": "application/sparql-results+json"}


def select(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": PREFIXES + query}, headers=RESULTS)
    assert response.status_code == 200, response.text
    return [
        {name: term["value"] for name, term in row.items()} for row in response.json()["results"]["bindings"]
    ]


def chains_by_sparql(client: TestClient, source: str, target: str) -> list[tuple[list[str], float]]:
    rows = select(
        client,
        f"""SELECT ?path ?step ?s ?o ?claim ?score WHERE {{
          SERVICE <urn:painlink:paths> {{
            [] pl:from {source} ; pl:to {target} ;
               pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:object ?o ; pl:claim ?claim ; pl:score ?score .
          }} }} ORDER BY ?path ?step""",
    )
    chains: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        chains.setdefault(int(row["path"]), []).append(row)
    assert list(chains) == list(range(1, len(chains) + 1)), "paths are numbered 1, 2 ... best first"
    return [
        (
            [steps[0]["s"].removeprefix(PLI)] + [step["o"].removeprefix(PLI) for step in steps],
            float(steps[0]["score"]),
        )
        for steps in chains.values()
    ]


@pytest.mark.parametrize(
    ("source", "target", "api_from", "api_to"),
    [
        ("pli:foot-pain", "pli:back-pain", "foot-pain", "back-pain"),
        ('"lower back problem"', "pli:foot-drop", "lower back problem", "foot-drop"),
        ("pli:flat-feet", '"low back pain"', "flat-feet", "low-back-pain"),
    ],
)
def test_the_same_ranked_chains_as_the_api(app_client: TestClient, source, target, api_from, api_to) -> None:
    api = app_client.get("/api/paths", params={"from": api_from, "to": api_to}).json()
    expected = [([node["id"] for node in path["nodes"]], path["score"]) for path in api["paths"]]
    assert expected, f"the shipped graph links {api_from} to {api_to}"
    found = chains_by_sparql(app_client, source, target)
    assert [chain for chain, _ in found] == [chain for chain, _ in expected]
    assert [score for _, score in found] == pytest.approx([score for _, score in expected])


def test_chains_join_with_the_rest_of_the_store(app_client: TestClient) -> None:
    rows = select(
        app_client,
        """SELECT ?step ?from ?to WHERE {
          SERVICE <urn:painlink:paths> { [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:limit 1 ;
                                            pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:object ?o }
          ?s rdfs:label ?from . ?o rdfs:label ?to } ORDER BY ?step""",
    )
    api = app_client.get("/api/paths", params={"from": "foot-pain", "to": "back-pain", "limit": 1}).json()
    labels = [node["label"] for node in api["paths"][0]["nodes"]]
    assert [(row["from"], row["to"]) for row in rows] == list(itertools.pairwise(labels))


def test_a_search_that_cannot_run_is_a_400_saying_why(app_client: TestClient) -> None:
    query = (
        PREFIXES
        + 'SELECT ?n WHERE { SERVICE <urn:painlink:paths> { [] pl:from "sciatc" ; pl:to pli:back-pain ; pl:path ?n } }'
    )
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "pl:from" in response.text and "sciatica" in response.text


def test_service_silent_is_one_solution_with_nothing_bound(app_client: TestClient) -> None:
    # SPARQL 1.1 Federated Query: a SERVICE SILENT that fails counts as one solution with no
    # bindings, so the rest of the pattern still answers (as a remote SERVICE SILENT does in Oxigraph).
    rows = select(
        app_client,
        """SELECT ?label ?n WHERE {
          pli:foot-pain rdfs:label ?label .
          SERVICE SILENT <urn:painlink:paths> { [] pl:from "no such thing" ; pl:to pli:back-pain ; pl:path ?n }
        }""",
    )
    assert rows == [{"label": "foot pain"}]
    # A search that runs and finds no chain is an empty answer, not a failure.
    none = select(
        app_client,
        """SELECT ?label ?n WHERE { pli:foot-pain rdfs:label ?label .
          SERVICE SILENT <urn:painlink:paths> { [] pl:from pli:back-pain ; pl:to pli:orthotic-shoes ; pl:path ?n } }""",
    )
    assert none == []


def test_a_malformed_block_is_a_400_even_when_silent(app_client: TestClient) -> None:
    query = (
        PREFIXES
        + "SELECT ?n WHERE { SERVICE SILENT <urn:painlink:paths> { [] pl:from pli:foot-pain ; pl:path ?n } }"
    )
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "pl:to is missing" in response.text


def test_red_flags_come_out_of_the_path_extension_too(app_client: TestClient) -> None:
    knowledge = app_client.app.state.knowledge
    rows = select(
        app_client,
        """SELECT DISTINCT ?flag ?urgency ?warning WHERE {
          SERVICE <urn:painlink:paths> { [] pl:from "lumbar disc herniation" ; pl:to "foot drop" ;
              pl:path ?n ; pl:redFlag ?flag ; pl:urgency ?urgency ; pl:warning ?warning } }""",
    )
    expected = knowledge.paths("lumbar disc herniation", "foot drop").red_flags
    assert expected and rows == [
        {"flag": expected[0].flag.iri, "urgency": expected[0].flag.urgency, "warning": rows[0]["warning"]}
    ]
    for alert in expected:
        assert alert.flag.label in rows[0]["warning"] and alert.flag.action in rows[0]["warning"]


def test_a_red_flag_is_not_lost_when_no_chain_is_found(app_client: TestClient) -> None:
    rows = select(
        app_client,
        """SELECT ?n ?urgency WHERE {
          SERVICE <urn:painlink:paths> { [] pl:from "saddle numbness" ; pl:to "flat feet" ;
              pl:path ?n ; pl:urgency ?urgency } }""",
    )
    assert rows == [{"urgency": "emergency"}]
