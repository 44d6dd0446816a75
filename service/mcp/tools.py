"""The MCP tools: one per question the JSON API answers, generated from the question declarations
(:data:`painlink.graph.QUESTIONS`), plus the read-only ``sparql`` tool (:mod:`.query`).

Nothing about a question is written here. From its declaration, with this server's caps applied
(:func:`painlink.service.questions.declarations`), each tool takes

* its name, title and description (with a few lines every tool shares: red flags come first and must
  be passed on; painlink does not diagnose);
* its input schema (:meth:`~painlink.graph.questions.Question.input_schema`: the declared types,
  bounds and defaults, the operator's caps included);
* its output schema and structured answer: the JSON API's own response model for the question (the
  ``response_model`` of the ``/api`` route that answers it, :data:`painlink.service.api.ROUTES`);
* its checks and error messages: the declaration's own (:meth:`~painlink.graph.questions.Question.validate`),
  and the engine's "did you mean ..." for a name that matches nothing.

A question that runs the path engine (``path_question``) runs in the service's path pool under its
budget, like its ``/api`` route; the others in a worker thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import mcp_types as types
from fastapi import FastAPI
from pydantic import BaseModel

from painlink.graph import Question
from painlink.graph.exceptions import InvalidParameterError, UnknownClaimError, UnknownEntityError
from painlink.service import api, schemas
from painlink.service.api.reading import claim_suggestions
from painlink.service.mcp import query
from painlink.service.meanings import meaning_of
from painlink.service.mcp.text import answer_text
from painlink.service.questions import declarations

__all__ = ["GUIDANCE", "Tool", "answer_models", "ask", "refusal", "tools"]

#: What every question tool's description adds to the declaration's own.
GUIDANCE = (
    " Answers come from painlink's curated knowledge graph, each claim with its evidence graded by the kind "
    "of source (guideline, systematic review ... commercial page) and contradicting evidence kept. "
    "If the answer has red flags, tell the user about them first, with the action they give: they are never "
    "ranked away. painlink explains how things may be linked; it does not diagnose. Name entities by id, "
    "label or everyday words; an unknown name is answered with suggestions."
)
_READ_ONLY = {"read_only_hint": True, "idempotent_hint": True, "open_world_hint": False}

Call = Callable[[FastAPI, dict[str, Any]], Awaitable[types.CallToolResult]]


@dataclass(frozen=True)
class Tool:
    """One tool: its definition as listed, and how a call is answered."""

    definition: types.Tool
    call: Call


def answer_models() -> dict[str, type[BaseModel]]:
    """Question name -> the JSON API's response model for it, read off the ``/api`` routes."""
    models = {}
    for route in api.router.routes:
        name = api.ROUTES.get(route.path.removeprefix(api.router.prefix))
        if name is not None and getattr(route, "response_model", None) is not None:
            models[name] = route.response_model
    return models


def _error(message: str, body: BaseModel | None = None) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=message)],
        structured_content=body.model_dump(mode="json") if body is not None else None,
        is_error=True,
    )


def _named(question: Question, values: dict[str, Any], name: str) -> str | None:
    """The entity parameter whose value was ``name``."""
    for parameter in question.parameters:
        given = values.get(parameter.name)
        names = [given] if isinstance(given, str) else given if isinstance(given, list) else []
        if parameter.entity and name in [item.strip() for item in names if isinstance(item, str)]:
            return parameter.name
    return None


async def ask(app: FastAPI, question: Question, model: type[BaseModel], arguments: dict[str, Any]) -> BaseModel:
    """The JSON API's answer to ``question`` (as ``app`` serves it) for ``arguments``; the engine's
    errors as they come (:func:`refusal` words them)."""
    values = question.validate(arguments)  # refused before any work, in the declaration's words
    knowledge = app.state.knowledge

    def answer() -> BaseModel:
        return model.of(question.ask(knowledge, **values))  # as the API's route builds it

    if question.path_question:  # in the path pool, under the budget, like its /api route
        return await app.state.questions.ask(None, answer)
    return await anyio.to_thread.run_sync(answer)


def refusal(app: FastAPI, question: Question, arguments: dict[str, Any], error: Exception) -> types.CallToolResult | None:
    """The tool error for an error :func:`ask` raised, with the API's message and, for an unknown name,
    the API's 404 body (what was not found, suggestions); any other error as
    :mod:`painlink.service.meanings` words it (None for an unexpected one, which is raised)."""
    if isinstance(error, InvalidParameterError):
        return _error(str(error))
    if isinstance(error, UnknownEntityError):
        where = _named(question, arguments, error.name)
        body = schemas.NotFoundError(detail=str(error), parameter=where)
        return _error(f"{where}: {error}" if where else str(error), body)
    if isinstance(error, UnknownClaimError):
        suggestions = claim_suggestions(app.state.knowledge, error.claim)
        body = schemas.NotFoundError(detail=str(error), parameter=question.parameters[0].name, suggestions=suggestions)
        hint = f"; did you mean: {', '.join(s.id for s in suggestions)}?" if suggestions else ""
        return _error(f"{error}{hint}", body)
    meaning = meaning_of(error)
    if meaning.retryable(error):  # too much work, or the path pool is full
        return _error(f"{meaning.message(error)}; try again shortly, or ask a narrower question")
    if meaning is not meaning_of(Exception):  # a store that is down, read-only ...: as every face says it
        return _error(meaning.message(error))
    return None  # unexpected: the MCP SDK logs it and answers its generic internal error


def _question_tool(question: Question, model: type[BaseModel]) -> Tool:
    definition = types.Tool(
        name=question.name,
        title=question.title,
        description=question.description + GUIDANCE,
        input_schema=question.input_schema(),
        output_schema=model.model_json_schema(),
        annotations=types.ToolAnnotations(title=question.title, **_READ_ONLY),
    )

    async def call(app: FastAPI, arguments: dict[str, Any]) -> types.CallToolResult:
        try:
            result = await ask(app, question, model, arguments)
        except Exception as error:
            refused = refusal(app, question, arguments, error)
            if refused is None:
                raise
            return refused
        structured = result.model_dump(mode="json")
        return types.CallToolResult(
            content=[types.TextContent(text=answer_text(structured))], structured_content=structured
        )

    return Tool(definition, call)


def tools(app: FastAPI) -> dict[str, Tool]:
    """Every tool ``app`` offers, by name: the question tools in the declarations' order, then ``sparql``."""
    models = answer_models()
    offered = {
        name: _question_tool(question, models[name])
        for name, question in declarations(app.state.settings).items()
        if name in models
    }
    offered[query.NAME] = Tool(query.tool(app.state.settings), query.run)
    return offered
