"""The questions painlink answers (:data:`QUESTIONS`), each declared once, and how each is answered
with the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..chains import DEFAULT_LIMIT, DEFAULT_MAX_LENGTH
from ..explain import DEFAULT_EXPLAIN_LENGTH, DEFAULT_EXPLAIN_LIMIT, MAX_SYMPTOMS
from ..knowledge import DEFAULT_DEPTH, Knowledge, MAX_DEPTH
from ..lookup import DEFAULT_SEARCH_LIMIT, MAX_SEARCH_CHARACTERS
from ..model import (
    Claim,
    ClaimList,
    EntityReport,
    ExplainResult,
    InterventionResult,
    Neighbourhood,
    PathResult,
    RedFlagReport,
    SearchResult,
)
from ..limits import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT
from .parameter import Parameter
from .question import Question

__all__ = ["QUESTIONS"]


_NAME_HELP = "an id (foot-pain), IRI, CURIE (pli:foot-pain), label or synonym; case does not matter"


def _method(name: str) -> Callable[..., Any]:
    # By name, not the function object: a Knowledge subclass (or a test's spy) answers in its own way.
    return lambda knowledge, **arguments: getattr(knowledge, name)(**arguments)


def _search(knowledge: Knowledge, *, text: str, limit: int) -> SearchResult:
    return SearchResult(text, limit, tuple(knowledge.search(text, limit=limit)))


def _entity(knowledge: Knowledge, *, name: str, depth: int) -> EntityReport:
    entity = knowledge.resolve(name)
    return EntityReport(
        entity=entity,
        neighbourhood=knowledge.neighbourhood(entity.id, depth=depth),
        claims=tuple(knowledge.claims_about(entity.id)),
        red_flags=knowledge.red_flags([entity.id]),
    )


def _claims(knowledge: Knowledge, *, about: str) -> ClaimList:
    entity = knowledge.resolve(about)
    return ClaimList(entity.ref, tuple(knowledge.claims_about(entity.id)))


def _red_flags(knowledge: Knowledge, *, names: list[str]) -> RedFlagReport:
    entities = [knowledge.resolve(name) for name in names]
    return RedFlagReport(tuple(e.ref for e in entities), knowledge.red_flags([e.id for e in entities]))


def _limit(default: int, what: str) -> Parameter:
    return Parameter("limit", "integer", f"The most {what} to answer.", default=default, minimum=1,
                     maximum=MAX_COUNT_LIMIT, setting="max_answers")


def _max_length(default: int, what: str) -> Parameter:
    return Parameter("max_length", "integer", f"The most causal steps {what}.", default=default, minimum=1,
                     maximum=MAX_LENGTH_LIMIT, setting="max_path_length")


def _depth() -> Parameter:
    return Parameter("depth", "integer", "How many relations away the neighbours may be.", default=DEFAULT_DEPTH,
                     minimum=1, maximum=MAX_DEPTH)


def _entity_name(name: str, what: str, argument: str | None = None) -> Parameter:
    return Parameter(name, "string", f"{what}: {_NAME_HELP}.", required=True, entity=True, argument=argument)


QUESTIONS: dict[str, Question] = {
    question.name: question
    for question in (
        Question(
            "search", "Search entities by label or synonym",
            "Entities whose label or a lay synonym contains the text, best first (\"sciatica\", \"flat feet\").",
            (Parameter("q", "string", "Text to find in labels and synonyms.", required=True,
                       max_chars=MAX_SEARCH_CHARACTERS, argument="text"),
             _limit(DEFAULT_SEARCH_LIMIT, "hits")),
            SearchResult, _search,
        ),
        Question(
            "entity", "One entity with neighbours, mappings and claims",
            "The entity's names, definition, mappings to public ontologies, its neighbourhood and every "
            "claim about it, after the red flags it raises.",
            (_entity_name("id", "The entity", "name"), _depth()),
            EntityReport, _entity,
        ),
        Question(
            "neighbourhood", "What is around an entity",
            "The entities within a few relations of one entity (any direction), and the relations among them.",
            (_entity_name("focus", "The entity in the middle", "name"), _depth()),
            Neighbourhood, _method("neighbourhood"),
        ),
        Question(
            "paths", "The best causal chains between two entities",
            "Ranked causal chains from one entity to another, each step with its claim and evidence, its "
            "score with the breakdown and a plain-language explanation; red flags first.",
            (_entity_name("from", "Where the chains start", "source"),
             _entity_name("to", "Where they end", "target"),
             _max_length(DEFAULT_MAX_LENGTH, "in a chain"),
             _limit(DEFAULT_LIMIT, "chains")),
            PathResult, _method("paths"), path_question=True,
        ),
        Question(
            "explain", "Candidate causes of observed symptoms",
            "Causes that would explain the observed symptoms together, best first: what each explains and "
            "how, what it leaves unexplained, and the signs that tell candidate origins apart; red flags first.",
            (Parameter("symptom", "strings", f"An observed symptom or sign (repeat for each): {_NAME_HELP}.",
                       required=True, max_items=MAX_SYMPTOMS, entity=True, argument="symptoms"),
             _limit(DEFAULT_EXPLAIN_LIMIT, "candidate causes"),
             _max_length(DEFAULT_EXPLAIN_LENGTH, "from a cause to a symptom")),
            ExplainResult, _method("explain"), path_question=True,
        ),
        Question(
            "interventions", "What acts on the causal chains into a symptom",
            "Interventions on the causal chains into a symptom or condition: which chains each cuts and the "
            "evidence for, against and qualifying it, helpful ones first; red flags first.",
            (_entity_name("for", "The symptom or condition", "target"),
             _max_length(DEFAULT_MAX_LENGTH, "of the chains considered")),
            InterventionResult, _method("interventions"), path_question=True,
        ),
        Question(
            "claim", "One claim with all its evidence",
            "A claim, its statement and every item of evidence (quotes and summaries of cited pages), each "
            "with its stance (supports, qualifies, contradicts) and source.",
            (Parameter("id", "string", "The claim's id (foot-pain--causes--altered-gait), plc: CURIE or IRI.",
                       required=True, argument="claim_id"),),
            Claim, _method("claim"),
        ),
        Question(
            "claims", "Every claim about an entity",
            "Every claim with the entity as subject (first) or object, each with all its evidence.",
            (_entity_name("about", "The entity"),),
            ClaimList, _claims,
        ),
        Question(
            "red_flags", "Red flags for some entities",
            "The red-flag warnings (a serious condition to rule out first, with what to do) and reminders "
            "of what to ask, for a question about these entities; most urgent first.",
            (Parameter("about", "strings", f"An entity the question is about (repeat for each): {_NAME_HELP}.",
                       required=True, max_items=MAX_SYMPTOMS, entity=True, argument="names"),),
            RedFlagReport, _red_flags,
        ),
    )
}
