"""``/api/paths``, ``/api/explain``, ``/api/interventions``: the path questions, run in the path engine's
threads under its budget (:mod:`painlink.service.questions`) after their parameters are checked."""

from __future__ import annotations

from fastapi import Request

from painlink.service import schemas
from painlink.service.dependencies import KnowledgeDep
from painlink.service.questions import ask

from .reading import answer, values_of
from .routing import JSON, representation, route

__all__ = ["get_explain", "get_interventions", "get_paths"]


@route("/paths", "paths", schemas.PathsResponse)
async def get_paths(request: Request, knowledge: KnowledgeDep) -> schemas.PathsResponse:
    representation(request, [JSON])
    values_of(request, "paths")  # checked here, before the question waits for a thread
    return await ask(request, lambda: schemas.PathsResponse.of(answer(request, knowledge, "paths")))


@route("/explain", "explain", schemas.ExplainResponse)
async def get_explain(request: Request, knowledge: KnowledgeDep) -> schemas.ExplainResponse:
    representation(request, [JSON])
    values_of(request, "explain")
    return await ask(request, lambda: schemas.ExplainResponse.of(answer(request, knowledge, "explain")))


@route("/interventions", "interventions", schemas.InterventionsResponse)
async def get_interventions(request: Request, knowledge: KnowledgeDep) -> schemas.InterventionsResponse:
    representation(request, [JSON])
    values_of(request, "interventions")
    return await ask(
        request, lambda: schemas.InterventionsResponse.of(answer(request, knowledge, "interventions"))
    )
