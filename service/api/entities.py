"""``/api/entities``: search by label or synonym, and one entity (JSON, JSON-LD or Turtle)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request, Response

from painlink.graph import QUESTIONS
from painlink.service import schemas
from painlink.service.dependencies import KnowledgeDep, StoreDep
from painlink.service.questions import served

from .reading import answer, resolve, values_of
from .routing import JSON, LINKED_DOC, document, linked, representation, route

__all__ = ["get_entity", "search_entities"]


@route("/entities", "search", schemas.SearchResponse, codes=(406, 502, 503))
def search_entities(request: Request, knowledge: KnowledgeDep) -> schemas.SearchResponse:
    representation(request, [JSON])
    return schemas.SearchResponse.of(answer(request, knowledge, "search"))


@route("/entities/{id}", "entity", schemas.Entity, responses={200: LINKED_DOC})
def get_entity(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[str, Path(description=QUESTIONS["entity"].parameter("id").description)],
) -> Any:
    fmt = linked(request, response)
    values = values_of(request, "entity", id=id)
    entity = resolve(knowledge, values["id"], "id")
    if fmt is not None:
        return document(store, entity.iri, "entity", fmt)
    return schemas.Entity.of(served(request, "entity").ask(knowledge, **{**values, "id": entity.id}))
