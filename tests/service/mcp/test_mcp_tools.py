"""The MCP tools, called through the SDK's own client over stdio (``painlink mcp``) and streamable HTTP
(``painlink serve --mcp-http``): listed, called with valid and invalid input, and answering like the
JSON API they are generated beside."""

from __future__ import annotations

import httpx
import pytest
from mcp_servers import CAPS

from painlink.graph import QUESTIONS, bounded
from painlink.ontology import NAMESPACES
from painlink.service.mcp.tools import answer_models

pytestmark = pytest.mark.anyio

#: The tools issue 14 asks for (the question tools are generated; sparql is the query tool).
REQUIRED = {"search", "entity", "paths", "explain", "interventions", "claim", "sparql"}

#: For each tool: valid arguments, and the /api request that asks the same question.
VALID = {
    "search": ({"q": "numb foot", "limit": 3}, "/api/entities", {"q": "numb foot", "limit": 3}),
    "entity": ({"id": "foot drop"}, "/api/entities/foot-drop", {}),
    "paths": ({"from": "foot pain", "to": "back pain", "limit": 2}, "/api/paths",
              {"from": "foot pain", "to": "back pain", "limit": 2}),
    "explain": ({"symptom": ["foot numbness", "foot weakness"], "limit": 3}, "/api/explain",
                {"symptom": ["foot numbness", "foot weakness"], "limit": 3}),
    "interventions": ({"for": "back pain"}, "/api/interventions", {"for": "back pain"}),
    "claim": ({"id": "foot-pain--causes--altered-gait"}, "/api/claims/foot-pain--causes--altered-gait", {}),
}


async def test_the_tools_are_listed_with_the_declarations_bounds(connect) -> None:
    served = bounded(QUESTIONS, CAPS)
    async with connect() as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert REQUIRED <= set(tools)
    for name, tool in tools.items():
        assert tool.annotations.read_only_hint is True, name
        assert tool.description and len(tool.description) > 60, name
        assert tool.output_schema is not None, name
        if name != "sparql":
            # Every bound, default and type is the declaration's, the operator's caps applied.
            assert tool.input_schema == served[name].input_schema(), name
    # The caps reached the schemas (not the engine's own maxima of 10 and 100).
    assert tools["paths"].input_schema["properties"]["max_length"]["maximum"] == CAPS["max_path_length"]
    assert tools["paths"].input_schema["properties"]["limit"]["maximum"] == CAPS["max_answers"]
    assert tools["explain"].input_schema["properties"]["limit"]["maximum"] == CAPS["max_answers"]
    assert set(tools["sparql"].input_schema["required"]) == {"query"}


async def test_each_question_tool_answers_like_the_json_api(connect, mcp_http_server) -> None:
    async with connect() as client:  # one connection for every tool: a stdio server takes seconds to start
        results = {name: await client.call_tool(name, arguments) for name, (arguments, _, _) in VALID.items()}
    for name, (_, route, params) in VALID.items():
        result = results[name]  # the client has checked it against the tool's output schema
        assert not result.is_error, (name, result.content)
        api = httpx.get(mcp_http_server.base_url + route, params=params, timeout=30)
        assert api.status_code == 200, api.text
        assert result.structured_content == api.json(), name
        # The model the API documents for the route is the tool's output schema.
        assert answer_models()[name].model_validate(result.structured_content)
        assert result.content[0].text.rstrip().endswith("it does not diagnose."), name


async def test_evidence_is_listed_with_its_source_kinds_and_addresses(connect) -> None:
    async with connect() as client:
        result = await client.call_tool("claim", {"id": "orthotic-shoes--relieves--back-pain"})
    assert not result.is_error, result.content
    evidence = result.structured_content["evidence"]
    stances = {item["stance"] for item in evidence}
    assert "contradicts" in stances and "supports" in stances  # a disputed claim keeps both sides
    text = result.content[0].text
    head, _, listed = text.partition("Evidence (")
    assert "DISPUTED" in head
    for item in evidence:
        address = item["source"]["url"] or item["source"]["local_copy"]
        line = next(line for line in listed.splitlines() if address in line and item["stance"] in line)
        assert f"[{item['kind']}]" in line


async def test_saddle_numbness_and_bladder_trouble_open_with_the_emergency(connect) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "explain", {"symptom": ["numb between my legs", "difficulty starting to pass urine"]}
        )
    assert not result.is_error, result.content
    first = result.structured_content["red_flags"][0]
    assert (first["level"], first["flag"]["urgency"]) == ("warning", "emergency")
    assert first["flag"]["condition"]["id"] == "cauda-equina-syndrome"
    text = result.content[0].text
    assert text.startswith("RED FLAG (EMERGENCY): Possible cauda equina syndrome")
    assert text.index("RED FLAG") < text.index("Candidate causes")


#: Invalid input for each tool, and what its error must say (the declaration's or the API's words).
INVALID = [
    ("search", {"q": "numb", "limit": 8}, "from 1 to 7"),  # past the operator's max_answers
    ("search", {}, "q: is required"),
    ("entity", {"id": "sciatc"}, "id: no entity named 'sciatc'; did you mean: sciatic nerve, sciatica"),
    ("paths", {"from": "foot pain", "to": "back pain", "max_length": 6}, "setting max_path_length"),
    ("paths", {"from": "flat fet", "to": "back pain"}, "from: no entity named 'flat fet'; did you mean: flat feet"),
    ("explain", {"symptom": []}, "symptom: is required"),
    ("explain", {"symptom": ["foot numbness"], "colour": "red"}, "colour: is not a parameter of explain"),
    ("interventions", {"for": "knee pain"}, "did you mean: knee joint"),
    ("claim", {"id": "foot-pain--causes--back-pian"}, "did you mean: foot-pain--"),
]


async def test_invalid_input_is_a_tool_error_in_the_apis_words(connect) -> None:
    async with connect() as client:
        results = [await client.call_tool(name, arguments) for name, arguments, _ in INVALID]
    for (name, arguments, says), result in zip(INVALID, results, strict=True):
        assert result.is_error, (name, arguments)
        assert says in result.content[0].text, (name, result.content[0].text)
    assert {name for name, _, _ in INVALID} == REQUIRED - {"sparql"}  # sparql's own errors: below


async def test_sparql_runs_a_query_under_the_endpoints_rules(connect) -> None:
    prefixes = " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in NAMESPACES.items())
    select = prefixes + " SELECT ?claim WHERE { ?claim rdf:subject pli:foot-pain ; rdf:predicate pl:causes }"
    async with connect() as client:
        rows = await client.call_tool("sparql", {"query": select})
        graph = await client.call_tool("sparql", {"query": prefixes + " CONSTRUCT WHERE { pli:foot-pain rdfs:label ?l }"})
        outbound = await client.call_tool(
            "sparql", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
        broken = await client.call_tool("sparql", {"query": "SELECT ?s WHERE { ?s"})
        update = await client.call_tool("sparql", {"query": prefixes + " INSERT DATA { pli:a pli:b pli:c }"})
        after = await client.call_tool("sparql", {"query": prefixes + " ASK { pli:a pli:b pli:c }"})
    assert not rows.is_error, rows.content
    claims = [row["claim"]["value"] for row in rows.structured_content["results"]["results"]["bindings"]]
    assert "https://w3id.org/painlink/claim/foot-pain--causes--altered-gait" in claims
    assert graph.structured_content["form"] == "graph" and '"foot pain"' in graph.structured_content["turtle"]
    assert outbound.is_error and "federated queries (SERVICE <http://127.0.0.1:9/sparql>) are disabled" in outbound.content[0].text
    assert broken.is_error and "does not parse" in broken.content[0].text
    assert update.is_error and "runs queries only" in update.content[0].text
    assert after.structured_content["results"]["boolean"] is False  # nothing was written
