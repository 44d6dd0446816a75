"""Answering the blocks: the search (the ``paths`` question, as ``/api/paths`` asks it) and the
``VALUES`` table that replaces each block."""

from __future__ import annotations

import time

import pyoxigraph as ox
from fastapi import Request

from painlink.graph import Knowledge
from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.graph.model import PathResult
from painlink.service.questions import ask, declarations
from painlink.service.settings import Settings

from .block import (
    BY_PROPERTY, FLAG_OUTPUTS, NAME_INPUTS, OUTPUTS, PathCall, PathServiceError, SERVICE_IRI, XSD,
)
from .calls import find_calls

__all__ = ["expand_paths", "search", "values_block"]


def _number(value: float, datatype: str) -> str:
    return str(ox.Literal(repr(value), datatype=ox.NamedNode(XSD + datatype)))


def values_block(result: PathResult | None, outputs: dict[str, str]) -> str:
    """The ``VALUES`` table binding ``outputs`` (property -> variable) for every step of every chain of
    ``result``, best chain first. ``None`` (a SILENT search that failed) is one row with nothing bound,
    which joins with the rest of the query as if the block were not there.

    >>> values_block(None, {"path": "n", "score": "s"})
    'VALUES (?n ?s) { (UNDEF UNDEF) }'
    """
    columns = [name for name in OUTPUTS if name in outputs]
    rows = []
    flags = _flag_terms(result)
    for rank, path in enumerate(result.paths if result is not None else (), start=1):
        for number, step in enumerate(path.steps, start=1):
            claim = step.claim
            terms = {
                "path": _number(rank, "integer"),
                "step": _number(number, "integer"),
                "subject": str(ox.NamedNode(claim.subject.iri)),
                "predicate": str(ox.NamedNode(claim.predicate_iri)),
                "object": str(ox.NamedNode(claim.object.iri)),
                "claim": str(ox.NamedNode(claim.iri)),
                "score": _number(path.score, "double"),
                "weight": _number(step.weight, "double"),
                "length": _number(len(path.steps), "integer"),
                "explanation": str(ox.Literal(path.explanation)),
                **flags,
            }
            rows.append("(" + " ".join(terms[name] for name in columns) + ")")
    if result is not None and not result.paths and result.red_flags and any(n in FLAG_OUTPUTS for n in columns):
        rows.append("(" + " ".join(flags[name] if name in FLAG_OUTPUTS else "UNDEF" for name in columns) + ")")
    if result is None:
        rows.append("(" + " ".join("UNDEF" for _ in columns) + ")")
    head = " ".join("?" + outputs[name] for name in columns)
    return f"VALUES ({head}) {{ {' '.join(rows)} }}".replace("{  }", "{ }")


def _flag_terms(result: PathResult | None) -> dict[str, str]:
    """The red-flag outputs of a result, as SPARQL terms (UNDEF when it raises none)."""
    alerts = result.red_flags if result is not None else ()
    if not alerts:
        return dict.fromkeys(FLAG_OUTPUTS, "UNDEF")
    first = alerts[0].flag
    words = " ".join(
        f"{a.flag.urgency.upper()} ({a.level}): {a.flag.label}: {a.reason}. {a.flag.action}" for a in alerts
    )
    return {
        "redFlag": str(ox.NamedNode(first.iri)),
        "urgency": str(ox.Literal(first.urgency)),
        "warning": str(ox.Literal(words)),
    }


def search(knowledge: Knowledge, settings: Settings, call: PathCall) -> PathResult | None:
    """Run the search ``call`` asks for: the same as ``GET /api/paths`` with those parameters. A search
    that cannot run raises :class:`PathServiceError` saying why -- or gives None if the call is SILENT."""
    question = declarations(settings)["paths"]
    try:
        try:
            values = question.validate({BY_PROPERTY[name].name: value for name, value in call.inputs.items()})
            for name in NAME_INPUTS:
                public = BY_PROPERTY[name].name
                try:
                    values[public] = knowledge.resolve(values[public]).id
                except UnknownEntityError as error:
                    raise PathServiceError(f"SERVICE <{SERVICE_IRI}>: pl:{name}: {error}") from None
            return question.ask(knowledge, **values)
        except InvalidParameterError as error:
            name = question.parameter(error.field).property_name if error.field in question.names else error.field
            raise PathServiceError(f"SERVICE <{SERVICE_IRI}>: pl:{name}: {error.reason}") from None
    except PathServiceError:
        if call.silent:
            return None
        raise


async def expand_paths(text: str, request: Request) -> str:
    """The query with every ``SERVICE <urn:painlink:paths>`` block replaced by the ``VALUES`` table of
    its search (the endpoint's :data:`~painlink.service.sparql.SparqlExtension` hook). Line breaks of
    the block are kept, so the parser's line numbers for the rest of the query stay right."""
    knowledge: Knowledge = request.app.state.knowledge
    settings: Settings = request.app.state.settings
    # Every block of the query in one path question: one budget (the query timeout) for all of them,
    # and the query itself gets what is left of that time (the endpoint reads the deadline).
    request.state.query_deadline = time.monotonic() + settings.query_timeout
    return await ask(request, _expand, text, knowledge, settings)


def _expand(text: str, knowledge: Knowledge, settings: Settings) -> str:
    for call in sorted(find_calls(text), key=lambda c: c.start, reverse=True):
        result = search(knowledge, settings, call)
        block = values_block(result, call.outputs) + "\n" * text.count("\n", call.start, call.end)
        text = text[: call.start] + block + text[call.end :]
    return text
