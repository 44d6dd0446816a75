"""``/api/claims``: every claim about an entity, and one claim with all its evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request, Response

from painlink.graph import QUESTIONS
from painlink.graph.exceptions import UnknownClaimError
from painlink.service import schemas
from painlink.service.dependencies import KnowledgeDep, StoreDep
from painlink.service.questions import served

from .reading import answer, claim_suggestions, values_of
from .routing import JSON, LINKED_DOC, UnknownName, document, linked, representation, route

__all__ = ["get_claim", "list_claims"]


@route("/claims", "claims", schemas.ClaimsResponse)
def list_claims(request: Request, knowledge: KnowledgeDep) -> schemas.ClaimsResponse:
    representation(request, [JSON])
    return schemas.ClaimsResponse.of(answer(request, knowledge, "claims"))


@route("/claims/{id}", "claim", schemas.Claim, responses={200: LINKED_DOC})
def get_claim(
    request: Request,
    response: Response,
    knowledge: KnowledgeDep,
    store: StoreDep,
    id: Annotated[str, Path(description=QUESTIONS["claim"].parameter("id").description)],
) -> Any:
    fmt = linked(request, response)
    values = values_of(request, "claim", id=id)
    try:
        claim = served(request, "claim").ask(knowledge, **values)
    except UnknownClaimError as error:
        raise UnknownName(
            schemas.NotFoundError(
                detail=str(error), parameter="id", suggestions=claim_suggestions(knowledge, id)
            ), UnknownClaimError,
        ) from None
    if fmt is not None:
        return document(store, claim.iri, "claim", fmt)
    return schemas.Claim.of(claim)
