"""The questions painlink answers, each declared once: its parameters (public name, type, default,
bounds, description, the operator setting that caps it), its answer type and how to ask it.

Every face renders these declarations and repeats none of them: the JSON API (its routes and OpenAPI),
the pages, the ``painlink`` command line, the SPARQL path extension and the MCP tools all read
:data:`QUESTIONS`. A parameter has ONE public name on every face (``max_length``, ``limit``,
``symptom``, ``from`` ...); a face may only respell it mechanically (the CLI's ``--max-length``,
SPARQL's ``pl:maxLength``: see :attr:`Parameter.flag` and :attr:`Parameter.property_name`).

The API
-------
``Parameter`` (frozen): ``name``, ``type`` (``"string"``, ``"integer"``, ``"strings"`` -- a repeatable
value, a list -- or ``"boolean"``), ``description`` (one line a person or an AI assistant can act on),
``default``, ``required``, ``minimum`` / ``maximum`` (integers), ``max_items`` (strings), ``max_chars``
(string and strings), ``setting`` (the :class:`~painlink.service.settings.Settings` field that caps
``maximum`` on a server, e.g. ``max_path_length``), ``entity`` (the value names an entity: an id, IRI,
CURIE, label or synonym), ``capped_by`` (set by :meth:`Parameter.bounded` when a setting lowered the
maximum; error messages then name it). :meth:`Parameter.coerce` turns one raw value (a string from an
address or a command line, or a JSON value) into the checked value or raises
:class:`~painlink.graph.exceptions.InvalidParameterError`; :meth:`Parameter.schema` is its JSON Schema.

``Question`` (frozen): ``name``, ``title``, ``description``, ``parameters``, ``answer`` (the answer
dataclass of :mod:`painlink.graph.model`), ``path_question`` (True when it runs the path engine, which
a server runs in its path pool under a budget). Methods:

* ``question.parameter(name)`` -- one declaration;
* ``question.validate(raw)`` -- ``raw`` (a mapping of public names to raw values) coerced, checked and
  completed with the defaults: a dict of every parameter. Unknown names, missing required values, a
  value out of range: :class:`~painlink.graph.exceptions.InvalidParameterError` whose ``field`` is the
  public name and whose message gives the value and the allowed range;
* ``question.ask(knowledge, **values)`` -- validate, then answer with the engine (a
  :class:`~painlink.graph.knowledge.Knowledge`); errors name public parameters;
* ``question.input_schema()`` -- a JSON Schema object of the parameters with bounds and defaults;
* ``question.bounded(caps)`` -- the declaration with each maximum lowered to ``caps[setting]`` (and
  each default to the new maximum).

:data:`QUESTIONS` maps name -> :class:`Question`, in the order the faces list them; ``bounded(QUESTIONS,
caps)`` applies an operator's settings to all of them at once (``caps`` is any mapping holding the
setting names, e.g. ``Settings().model_dump()``).

>>> paths = QUESTIONS["paths"]
>>> [p.name for p in paths.parameters]
['from', 'to', 'max_length', 'limit']
>>> paths.validate({"from": "foot pain", "to": "back pain", "limit": "3"})
{'from': 'foot pain', 'to': 'back pain', 'max_length': 6, 'limit': 3}
>>> served = bounded(QUESTIONS, {"max_path_length": 3, "max_answers": 2})
>>> served["paths"].parameter("max_length").maximum, served["paths"].parameter("max_length").default
(3, 3)
>>> try:
...     served["paths"].validate({"from": "a", "to": "b", "max_length": "8"})
... except InvalidParameterError as error:
...     print(error)
max_length: must be a whole number from 1 to 3, not “8” (at most 3 on this server: setting max_path_length)
>>> paths.input_schema()["properties"]["max_length"]["maximum"]
10
>>> answer = paths.ask(Knowledge.shipped(), **{"from": "foot pain", "to": "back pain", "limit": 1})
>>> [node.id for node in answer.paths[0].nodes]
['foot-pain', 'altered-gait', 'spinal-misalignment', 'back-pain']
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .chains import DEFAULT_LIMIT, DEFAULT_MAX_LENGTH
from .exceptions import InvalidParameterError
from .explain import DEFAULT_EXPLAIN_LENGTH, DEFAULT_EXPLAIN_LIMIT, MAX_SYMPTOMS
from .knowledge import DEFAULT_DEPTH, MAX_DEPTH, Knowledge
from .lookup import DEFAULT_SEARCH_LIMIT, MAX_SEARCH_CHARACTERS
from .model import (
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
from .paths import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT

__all__ = ["QUESTIONS", "TYPES", "Parameter", "Question", "bounded"]

#: The parameter types and their JSON Schema.
TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "strings": {"type": "array", "items": {"type": "string"}},
    "boolean": {"type": "boolean"},
}
_WHOLE = re.compile(r"[+-]?\d+")
_TRUE, _FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off"})
_NAME_HELP = "an id (foot-pain), IRI, CURIE (pli:foot-pain), label or synonym; case does not matter"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a question (see the module doc)."""

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None
    max_chars: int | None = None
    setting: str | None = None
    entity: bool = False
    #: The engine's keyword for it, when that differs from the public name (``from`` -> ``source``).
    argument: str | None = None
    #: The setting that lowered ``maximum`` (set by :meth:`bounded`), named by error messages.
    capped_by: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown parameter type {self.type!r}")

    @property
    def keyword(self) -> str:
        """The engine function's keyword for this parameter."""
        return self.argument or self.name

    @property
    def flag(self) -> str:
        """The command line's option for it: ``max_length`` -> ``--max-length``."""
        return "--" + self.name.replace("_", "-")

    @property
    def property_name(self) -> str:
        """Its RDF property's local name (SPARQL's ``pl:maxLength``): ``max_length`` -> ``maxLength``."""
        head, *rest = self.name.split("_")
        return head + "".join(part.title() for part in rest)

    def bounded(self, caps: Mapping[str, Any]) -> Parameter:
        """This parameter with its maximum lowered to ``caps[setting]`` (the default too, if above)."""
        if self.setting is None or caps.get(self.setting) is None:
            return self
        cap = int(caps[self.setting])
        highest = cap if self.maximum is None else min(self.maximum, cap)
        default = self.default if self.default is None else min(self.default, highest)
        return dataclasses.replace(self, maximum=highest, default=default, capped_by=self.setting)

    def coerce(self, raw: Any) -> Any:
        """The checked value for one raw value (None: the default), or :class:`InvalidParameterError`."""
        if raw is None or (isinstance(raw, (list, tuple)) and not raw and self.type != "strings"):
            return self._absent()
        if self.type == "strings":
            return self._strings(raw)
        if isinstance(raw, (list, tuple)):
            if len(raw) != 1:
                raise InvalidParameterError(self.name, f"given {len(raw)} times; give it once")
            raw = raw[0]
        if self.type == "integer":
            return self._integer(raw)
        if self.type == "boolean":
            return self._boolean(raw)
        return self._string(raw)

    def _absent(self) -> Any:
        if self.required:
            raise InvalidParameterError(self.name, f"is required: {self.description}")
        return self.default

    def _integer(self, raw: Any) -> int:
        low = 1 if self.minimum is None else self.minimum
        high = self.maximum
        if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
            value = int(raw.strip())
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            value = None
        if value is None or value < low or (high is not None and value > high):
            if isinstance(raw, str) and not raw.strip() and not self.required:
                return self.default
            raise InvalidParameterError.out_of_range(self.name, raw, low, high, self.capped_by)
        return value

    def _boolean(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise InvalidParameterError(self.name, f"must be true or false, not “{raw}”")

    def _string(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise InvalidParameterError(self.name, f"must be text, not {raw!r}")
        value = raw.strip()
        if not value:
            if not self.required:
                return self.default
            raise InvalidParameterError(self.name, f"is blank; it is required: {self.description}")
        if self.max_chars is not None and len(value) > self.max_chars:
            raise InvalidParameterError(
                self.name, f"must be at most {self.max_chars} characters long, not {len(value)}"
            )
        return value

    def _strings(self, raw: Any) -> list[str]:
        items = [raw] if isinstance(raw, str) else list(raw)
        values = []
        for item in items:
            if not isinstance(item, str):
                raise InvalidParameterError(self.name, f"each value must be text, not {item!r}")
            if item.strip():
                values.append(item.strip())
        if not values:
            if self.required:
                raise InvalidParameterError(self.name, f"is required (one or more): {self.description}")
            return list(self.default or ())
        if self.max_items is not None and len(values) > self.max_items:
            raise InvalidParameterError(
                self.name, f"at most {self.max_items} values at once, not {len(values)}"
            )
        for value in values:
            if self.max_chars is not None and len(value) > self.max_chars:
                raise InvalidParameterError(
                    self.name, f"each value must be at most {self.max_chars} characters long, not {len(value)}"
                )
        return values

    def schema(self) -> dict[str, Any]:
        """This parameter's JSON Schema (type, bounds, default, description)."""
        schema: dict[str, Any] = {**TYPES[self.type], "description": self.description}
        if self.type == "strings":
            schema["items"] = dict(schema["items"])
        if self.type == "integer":
            schema["minimum"] = 1 if self.minimum is None else self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        if self.type == "strings" and self.required:
            schema["minItems"] = 1
        if self.max_chars is not None:
            target = schema["items"] if self.type == "strings" else schema
            target["maxLength"] = self.max_chars
            target["minLength"] = 1
        elif self.type == "string" and self.required:
            schema["minLength"] = 1
        if self.default is not None:
            schema["default"] = self.default
        return schema


@dataclass(frozen=True)
class Question:
    """One question (see the module doc)."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    answer: type
    #: ``function(knowledge, **engine_keywords)`` -> the answer.
    function: Callable[..., Any]
    path_question: bool = False

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (KeyError if there is none)."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters' public names, in order."""
        return tuple(parameter.name for parameter in self.parameters)

    def bounded(self, caps: Mapping[str, Any]) -> Question:
        """This question with an operator's caps applied (see :meth:`Parameter.bounded`)."""
        return dataclasses.replace(self, parameters=tuple(p.bounded(caps) for p in self.parameters))

    def validate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's checked value (defaults filled in) from ``raw`` (public names)."""
        unknown = [name for name in raw if name not in self.names]
        if unknown:
            raise InvalidParameterError(
                unknown[0], f"is not a parameter of {self.name}; it takes {', '.join(self.names)}"
            )
        return {p.name: p.coerce(raw.get(p.name)) for p in self.parameters}

    def ask(self, knowledge: Knowledge, **values: Any) -> Any:
        """The answer to this question for ``values`` (public names, raw or checked)."""
        checked = self.validate(values)
        arguments = {p.keyword: checked[p.name] for p in self.parameters}
        try:
            return self.function(knowledge, **arguments)
        except InvalidParameterError as error:
            public = next((p.name for p in self.parameters if p.keyword == error.field), None)
            if public is None or public == error.field:
                raise
            raise InvalidParameterError(public, error.reason) from None

    def input_schema(self) -> dict[str, Any]:
        """A JSON Schema object of the parameters (an MCP tool's input schema)."""
        return {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.parameters},
            "required": [p.name for p in self.parameters if p.required],
            "additionalProperties": False,
        }


def bounded(questions: Mapping[str, Question], caps: Mapping[str, Any]) -> dict[str, Question]:
    """Every question of ``questions`` with an operator's caps applied, in the same order."""
    return {name: question.bounded(caps) for name, question in questions.items()}


# --- how each question is answered ---------------------------------------------------------------------
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


# --- the declarations ----------------------------------------------------------------------------------
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
