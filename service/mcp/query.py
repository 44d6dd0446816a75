"""The ``sparql`` tool: a read-only SPARQL query over painlink's graph, through the service's own
``/sparql`` endpoint.

The query is handed to the app's ``/sparql`` route in-process (an ASGI call, no socket), so it meets
exactly what a query from the network meets: the length and nesting bounds, the SERVICE and LOAD
refusal with its two readers, the query timeout, the row cap, the evaluator's worker processes and
their sandbox -- and the same error messages. Only queries are sent (as ``query=``); an update is
not a query and is refused by the endpoint like any other text it cannot read as one (the tool's
error then adds that it runs queries only).

SELECT and ASK answer with the SPARQL 1.1 Query Results JSON document, CONSTRUCT and DESCRIBE with
Turtle; the structured answer is :class:`SparqlAnswer`.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx
import mcp_types as types
from fastapi import FastAPI
from pydantic import BaseModel, Field

from painlink.ontology import NAMESPACES
from painlink.service.settings import Settings

__all__ = ["NAME", "SparqlAnswer", "run", "tool"]

NAME = "sparql"
#: What the tool accepts back from /sparql: the results document for SELECT/ASK, Turtle otherwise.
_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
#: The prefixes the description spells out (painlink's own and those its data uses most).
_PREFIXES = ("pl", "pli", "plc", "plv", "pls", "plr", "rdf", "rdfs", "skos", "dcterms")
_QUERIES_ONLY = (
    "this tool runs queries only -- SELECT, ASK, CONSTRUCT or DESCRIBE, with the PREFIX declarations they "
    "use; updates are not accepted: painlink's MCP face changes nothing"
)


class SparqlAnswer(BaseModel):
    """A query's answer: results for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE."""

    form: Literal["results", "graph"] = Field(
        description="results (SELECT or ASK: see results) or graph (CONSTRUCT or DESCRIBE: see turtle)."
    )
    results: dict[str, Any] | None = Field(
        None, description="The SPARQL 1.1 Query Results JSON document (head, results.bindings or boolean)."
    )
    turtle: str | None = Field(None, description="The graph the query built, as Turtle.")


def tool(settings: Settings) -> types.Tool:
    """The tool's definition, with this server's bounds in its description and schema."""
    prefixes = " ".join(f"PREFIX {prefix}: <{NAMESPACES[prefix]}>" for prefix in _PREFIXES if prefix in NAMESPACES)
    return types.Tool(
        name=NAME,
        title="SPARQL query over the painlink graph",
        description=(
            "Run a read-only SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE) over painlink's knowledge "
            "graph of how foot pain and back pain are linked: entities (pli:), claims (plc:, one per "
            "subject-predicate-object, with rdf:subject/rdf:predicate/rdf:object and pl:hasEvidence), evidence "
            "(plv:, with pl:stance and pl:source), sources (pls:, with pl:sourceKind) and red flags (plr:). "
            f"Declare the prefixes you use; painlink's are: {prefixes}. Prefer the other tools for questions they answer "
            "(paths, explain, interventions, claim): they rank, weigh evidence and put red flags first. "
            f"Limits: the query stops after {settings.query_timeout:g} s, answers at most "
            f"{settings.max_result_rows:,} rows or triples, and may be {settings.max_query_length:,} characters "
            "long; updates are not accepted, and SERVICE (calls to other servers) "
            + ("is allowed." if settings.allow_service else "is refused.")
        ),
        input_schema={
            "type": "object",
            "properties": {
                "query": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": settings.max_query_length,
                    "description": "The SPARQL query, e.g. PREFIX pli: <https://w3id.org/painlink/id/> PREFIX rdf: "
                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT ?claim WHERE { ?claim rdf:subject pli:foot-pain }",
                }
            },
            "required": ["query"],
            "additionalProperties": False,
        },
        output_schema=SparqlAnswer.model_json_schema(),
        annotations=types.ToolAnnotations(
            title="SPARQL query", read_only_hint=True, idempotent_hint=True, open_world_hint=False
        ),
    )


async def run(app: FastAPI, arguments: dict[str, Any]) -> types.CallToolResult:
    """Send the query to ``app``'s ``/sparql``; its answer, or its error message as the tool's error."""
    query = arguments.get("query")
    if not isinstance(query, str) or not query.strip():
        return _error("query: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); this is empty")
    settings: Settings = app.state.settings
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=settings.base_url, timeout=None) as client:
        response = await client.post("/sparql", data={"query": query}, headers={"Accept": _ACCEPT})
    if response.status_code != 200:
        message = response.text.strip() or f"the query failed ({response.status_code})"
        if message.startswith("the query does not parse"):
            message += f"\n({_QUERIES_ONLY})"
        return _error(message)
    if response.headers.get("content-type", "").startswith("text/turtle"):
        answer = SparqlAnswer(form="graph", turtle=response.text)
    else:
        answer = SparqlAnswer(form="results", results=json.loads(response.text))
    return types.CallToolResult(
        content=[types.TextContent(text=response.text)],
        structured_content=answer.model_dump(mode="json", exclude_none=True),
    )


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=message)], is_error=True)
