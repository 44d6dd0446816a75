"""Reading a question's values from a request: the declared parameters (with the server's caps), and
every entity name resolved -- an unknown one is a 404 naming the parameter, with the closest names."""

from __future__ import annotations

import difflib
from typing import Any

from fastapi import Request

from painlink.graph import QUESTIONS, Knowledge
from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.graph.model import Entity as EntityAnswer
from painlink.service import schemas
from painlink.service.questions import served

from .routing import UnknownName, invalid

__all__ = ["answer", "claim_suggestions", "resolve", "resolved", "values_of"]


def values_of(request: Request, name: str, **path: str) -> dict[str, Any]:
    """The checked values of question ``name``'s parameters from the request (the query string, and
    ``path`` for those in the address), with this server's caps; a bad one raises the engine's
    :class:`~painlink.graph.exceptions.InvalidParameterError`, which the route class answers 422."""
    question = served(request, name)
    raw: dict[str, Any] = dict(path)
    for parameter in question.parameters:
        given = request.query_params.getlist(parameter.name)
        if given and parameter.name not in path:
            raw[parameter.name] = given
    return question.validate(raw)


def resolve(knowledge: Knowledge, name: str, parameter: str) -> EntityAnswer:
    """The entity ``name`` names, or :class:`UnknownName` with the closest entities as suggestions."""
    if not name.strip():
        raise invalid(parameter, "name an entity (an id, label or synonym); this is blank", name)
    try:
        return knowledge.resolve(name)
    except UnknownEntityError as error:
        suggestions = []
        for label in error.suggestions:
            try:
                entity = knowledge.resolve(label)
            except UnknownEntityError:
                continue  # a label shared by two entities cannot be followed; the others still help
            suggestions.append(
                schemas.Suggestion(id=entity.id, label=entity.label, href=schemas.entity_href(entity.id))
            )
        raise UnknownName(
            schemas.NotFoundError(detail=str(error), parameter=parameter, suggestions=suggestions)
        ) from None


def resolved(knowledge: Knowledge, name: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every entity name replaced by its entity's id (a 404 with suggestions when one
    names nothing), so the answer is computed for what was meant."""
    resolved = dict(values)
    for parameter in QUESTIONS[name].parameters:
        if parameter.entity and values.get(parameter.name) is not None:
            given = values[parameter.name]
            if isinstance(given, list):
                resolved[parameter.name] = [resolve(knowledge, item, parameter.name).id for item in given]
            else:
                resolved[parameter.name] = resolve(knowledge, given, parameter.name).id
    return resolved


def answer(request: Request, knowledge: Knowledge, name: str, **path: str) -> Any:
    """The engine's answer to question ``name`` for this request."""
    values = resolved(knowledge, name, values_of(request, name, **path))
    return served(request, name).ask(knowledge, **values)


def claim_suggestions(knowledge: Knowledge, claim_id: str) -> list[schemas.Suggestion]:
    """Claims about the entities a mistyped claim id names (``SUBJECT--PREDICATE--OBJECT``), closest first."""
    key = claim_id.rsplit("/", 1)[-1].removeprefix("plc:")
    candidates = {}
    parts = key.split("--")
    for part in {parts[0], parts[-1]}:
        try:
            candidates.update({claim.id: claim for claim in knowledge.claims_about(part)})
        except (UnknownEntityError, InvalidParameterError):
            continue  # that part names no entity (or nothing at all); the other may
    if not candidates:
        # Nothing in the id names an entity: the claims whose ids are spelt most like it.
        candidates = {
            cid: knowledge.claim(cid)
            for cid in difflib.get_close_matches(key, knowledge.claim_ids(), n=5, cutoff=0.6)
        }
    ranked = sorted(
        candidates.values(), key=lambda c: (-difflib.SequenceMatcher(None, key, c.id).ratio(), c.id)
    )
    return [
        schemas.Suggestion(id=c.id, label=c.statement or c.id, href=schemas.claim_href(c.id))
        for c in ranked[:5]
    ]
