"""Entities and claims as MCP resources, so an assistant can cite what it was told.

The URI scheme, one for each kind (``{id}`` is the same id the JSON API and the pages use):

=====================================  =======================================================
``painlink://entity/{id}``              an entity, e.g. ``painlink://entity/foot-pain``
``painlink://claim/{id}``               a claim with all its evidence, e.g.
                                        ``painlink://claim/foot-pain--causes--altered-gait``
=====================================  =======================================================

Reading one answers the ``entity`` or ``claim`` question (the same answer as the tool of that name
and as ``/api/entities/{id}`` / ``/api/claims/{id}``) in two parts: ``application/json`` (the API's
model) and ``text/plain`` (red flags first, then the claims, then the evidence). Each listed resource
carries its painlink IRI (``https://w3id.org/painlink/...``) in ``_meta`` for a citation that outlives
this server.

>>> parse("painlink://claim/foot-pain--causes--altered-gait")
('claim', 'foot-pain--causes--altered-gait')
>>> uri("entity", "foot-pain")
'painlink://entity/foot-pain'
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import mcp_types as types
from fastapi import FastAPI
from mcp.shared.exceptions import MCPError

from painlink.service.mcp.text import answer_text
from painlink.service.meanings import meaning_of
from painlink.service.mcp.tools import answer_models, ask, refusal
from painlink.service.questions import declarations

__all__ = ["KINDS", "SCHEME", "list_resources", "parse", "read", "templates", "uri"]

SCHEME = "painlink"
#: Resource kind -> the question reading one answers.
KINDS = {"entity": "entity", "claim": "claim"}
_JSON, _TEXT = "application/json", "text/plain"


def uri(kind: str, identifier: str) -> str:
    """The resource URI of an entity or claim."""
    return f"{SCHEME}://{kind}/{quote(identifier, safe='')}"


def parse(address: str) -> tuple[str, str]:
    """``(kind, id)`` of a resource URI; :class:`ValueError` naming the scheme when it is not one."""
    prefix = f"{SCHEME}://"
    kind, _, identifier = address.removeprefix(prefix).partition("/")
    if not address.startswith(prefix) or kind not in KINDS or not identifier:
        raise ValueError(
            f"not a painlink resource: {address!r}; painlink's resources are painlink://entity/{{id}} and "
            "painlink://claim/{id}"
        )
    return kind, unquote(identifier)


def templates() -> list[types.ResourceTemplate]:
    """The two URI templates, for clients that fill them in themselves."""
    return [
        types.ResourceTemplate(
            name="entity", title="A painlink entity", uri_template=f"{SCHEME}://entity/{{id}}", mime_type=_JSON,
            description="A symptom, anatomical structure, cause or intervention: names, definition, mappings, "
            "neighbours, every claim about it, and the red flags it raises. {id} is its id (foot-pain).",
        ),
        types.ResourceTemplate(
            name="claim", title="A painlink claim", uri_template=f"{SCHEME}://claim/{{id}}", mime_type=_JSON,
            description="One subject-predicate-object claim with every item of evidence (supporting, "
            "qualifying, contradicting), each with its source, kind of source and address. {id} is "
            "SUBJECT--PREDICATE--OBJECT (foot-pain--causes--altered-gait).",
        ),
    ]


def list_resources(app: FastAPI) -> list[types.Resource]:
    """Every entity, then every claim (the graph as it is now)."""
    knowledge = app.state.knowledge
    listed = [
        types.Resource(
            uri=uri("entity", entity.id), name=entity.id, title=entity.label, mime_type=_JSON,
            description=entity.definition or f"the {entity.kind or 'entity'} {entity.label}",
            _meta={"iri": entity.iri},
        )
        for entity in knowledge.entities()
    ]
    listed += [
        types.Resource(
            uri=uri("claim", claim.id), name=claim.id, title=claim.statement or claim.id, mime_type=_JSON,
            description=f"{claim.subject.label} {claim.predicate_label} {claim.object.label}, with its evidence",
            _meta={"iri": claim.iri},
        )
        for claim in map(knowledge.claim, sorted(knowledge.claim_ids()))
    ]
    return listed


async def read(app: FastAPI, address: str) -> types.ReadResourceResult:
    """The resource at ``address``; an unknown one is the protocol's invalid-params error with the API's
    message ("did you mean ...")."""
    try:
        kind, identifier = parse(address)
    except ValueError as error:
        raise MCPError(types.INVALID_PARAMS, str(error)) from None
    question = declarations(app.state.settings)[KINDS[kind]]
    arguments = {question.parameters[0].name: identifier}
    try:
        answer = await ask(app, question, answer_models()[question.name], arguments)
    except Exception as error:
        refused = refusal(app, question, arguments, error)
        if refused is None:
            raise
        code = types.INVALID_PARAMS if meaning_of(error).client_fault(error) else types.INTERNAL_ERROR
        raise MCPError(code, refused.content[0].text) from None
    structured = answer.model_dump(mode="json")
    return types.ReadResourceResult(
        contents=[
            types.TextResourceContents(uri=address, mime_type=_JSON, text=json.dumps(structured, ensure_ascii=False)),
            types.TextResourceContents(uri=address, mime_type=_TEXT, text=answer_text(structured)),
        ]
    )
