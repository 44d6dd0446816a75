"""Causal paths inside SPARQL: ``SERVICE <urn:painlink:paths> { ... }`` runs the path engine and joins
its ranked chains with the rest of the query.

A SPARQL user asks for the chains between two entities with one pattern; each row is one step of one
chain, so the chains come back as a table that joins with anything else in the store (labels,
evidence, mappings)::

    PREFIX pl:   <https://w3id.org/painlink/vocab#>
    PREFIX pli:  <https://w3id.org/painlink/id/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?path ?step ?subjectLabel ?p ?objectLabel ?score WHERE {
      SERVICE <urn:painlink:paths> {
        [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:maxLength 4 ; pl:limit 3 ;
           pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:predicate ?p ; pl:object ?o ; pl:score ?score .
      }
      ?s rdfs:label ?subjectLabel . ?o rdfs:label ?objectLabel .
    } ORDER BY ?path ?step

Inside the block, one subject (``[]``, ``[ ... ]``, a blank node or a variable) carries

* inputs -- ``pl:from`` and ``pl:to`` (required): an entity IRI, CURIE or a name in quotes (label or
  synonym, as everywhere in painlink); ``pl:maxLength`` and ``pl:limit`` (optional integers, the
  defaults and bounds of ``/api/paths``: settings ``max_path_length`` and ``max_answers``);
* outputs -- each takes its own variable: ``pl:path`` (1 for the best chain, 2 for the next ...),
  ``pl:step`` (1, 2 ... along the chain), ``pl:subject``, ``pl:predicate``, ``pl:object`` (the step's
  relation, as IRIs), ``pl:claim`` (the claim's IRI, for its evidence), ``pl:score`` (the chain's score,
  ``xsd:double``), ``pl:weight`` (the step's weight), ``pl:length`` (the chain's number of steps),
  ``pl:explanation`` (the chain in plain words) and, for the red flags the question raises (see
  :mod:`painlink.graph.redflags`), ``pl:redFlag`` (the most urgent one's IRI), ``pl:urgency`` (its
  urgency: emergency, urgent, soon, routine) and ``pl:warning`` (every alert in words, most urgent
  first). These are bound on every row; when there is no chain but a red flag, one row binds them
  alone, so a warning is never lost because no chain was found.

The chains, their order and their scores are exactly those of ``GET /api/paths`` (both call
:meth:`painlink.graph.Knowledge.paths`). When the search cannot run (an unknown name, a limit out of
range) ``SERVICE SILENT`` is, as SPARQL 1.1 Federated Query says of a failed ``SERVICE SILENT``, one
solution with no bindings -- the rest of the query still answers, with the outputs unbound -- instead
of a 400; a malformed block is always a 400.

How it works: the endpoint (:mod:`painlink.service.sparql`) hands the query text to
:func:`expand_paths` before evaluation; the block is found with the endpoint's own SPARQL tokenizer,
the search runs, and the block is replaced by a ``VALUES`` table of the outputs -- which joins with the
rest of the pattern exactly as the SERVICE result would. The rewritten query then runs like any other,
with the endpoint's result formats, timeout and result-size cap. Only this IRI is answered locally;
``SERVICE`` to any other address stays refused unless the operator allows federation.

>>> calls = find_calls('''PREFIX pl: <https://w3id.org/painlink/vocab#>
... SELECT * { SERVICE <urn:painlink:paths> { [] pl:from "foot pain" ; pl:to "back pain" ; pl:path ?n } }''')
>>> calls[0].inputs, calls[0].outputs
({'from': 'foot pain', 'to': 'back pain'}, {'path': 'n'})
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pyoxigraph as ox
from fastapi import Request

from painlink.graph import QUESTIONS, Knowledge
from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.graph.model import PathResult
from painlink.ontology import NAMESPACES
from painlink.service.errors import BadRequest
from painlink.service.questions import ask, declarations
from painlink.service.settings import Settings
from painlink.service.sparql_lexer import Token, tokenize

__all__ = [
    "INPUTS",
    "OUTPUTS",
    "SERVICE_IRI",
    "PathCall",
    "PathServiceError",
    "expand_paths",
    "find_calls",
    "search",
    "values_block",
]

#: The SERVICE IRI painlink answers itself.
SERVICE_IRI = "urn:painlink:paths"
_PL = NAMESPACES["pl"]
_XSD = NAMESPACES["xsd"]
#: The question the block asks, and its parameters by input property (local names under ``pl:``:
#: ``from``, ``to``, ``maxLength``, ``limit``), straight from its declaration.
_QUESTION = QUESTIONS["paths"]
_BY_PROPERTY = {parameter.property_name: parameter for parameter in _QUESTION.parameters}
INPUTS = tuple(_BY_PROPERTY)
#: Output properties (local names under ``pl:``), in the column order of the VALUES table.
OUTPUTS = (
    "path",
    "step",
    "subject",
    "predicate",
    "object",
    "claim",
    "score",
    "weight",
    "length",
    "explanation",
    "redFlag",
    "urgency",
    "warning",
)
_FLAG_OUTPUTS = ("redFlag", "urgency", "warning")
_NAME_INPUTS = tuple(name for name, parameter in _BY_PROPERTY.items() if parameter.entity)
_STRING = re.compile(r"""^(?:'''|\"\"\"|'|")(.*?)(?:'''|\"\"\"|'|")$""", re.DOTALL)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class PathServiceError(BadRequest):
    """Raised when a ``SERVICE <urn:painlink:paths>`` block is malformed (an unknown property, a missing
    ``pl:from``/``pl:to``, an output without a variable, two searches in one block) or its search
    cannot run (an unknown entity, a limit out of range; with ``SILENT`` these give one solution with
    no bindings instead).
    Answered 400 with the message."""


@dataclass(frozen=True)
class PathCall:
    """One ``SERVICE <urn:painlink:paths> { ... }`` block: where it is in the text (``start``/``end``
    offsets), whether it is ``SILENT``, its inputs (property -> name or integer) and its outputs
    (property -> variable name, without ``?``)."""

    start: int
    end: int
    silent: bool
    inputs: dict[str, str | int] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)


# --- reading the blocks --------------------------------------------------------------------------------
def _prologue(tokens: Sequence[Token]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    for index, token in enumerate(tokens):
        if token.keyword == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2].kind == "iri":
            prefixes[tokens[index + 1].text.rstrip(":")] = tokens[index + 2].text[1:-1]
        elif token.keyword == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "iri":
            base = tokens[index + 1].text[1:-1]
    return prefixes, base


def _unescape(literal: str) -> str:
    body = _STRING.match(literal)
    text = body.group(1) if body else literal
    text = re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), text
    )
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


class _BlockReader:
    """Reads the triples of one block: ``subject predicate object (, object)* (; predicate ...)* .``"""

    def __init__(self, tokens: Sequence[Token], prefixes: dict[str, str], base: str | None) -> None:
        self.tokens = list(tokens)
        self.at = 0
        self.prefixes = prefixes
        self.base = base
        self.pairs: list[tuple[str, Token]] = []

    def fail(self, message: str) -> PathServiceError:
        return PathServiceError(f"SERVICE <{SERVICE_IRI}>: {message}")

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def next(self, what: str) -> Token:
        token = self.peek()
        if token is None:
            raise self.fail(f"the block ends where {what} should be")
        self.at += 1
        return token

    def is_punct(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "punct" and token.text == text

    def iri(self, token: Token) -> str:
        if token.kind == "iri":
            value = token.text[1:-1]
            return urljoin(self.base, value) if self.base else value
        prefix, _, local = token.text.partition(":")
        if prefix not in self.prefixes:
            raise self.fail(
                f"the prefix {prefix}: in {token.text} is not declared; add PREFIX {prefix}: <...>"
            )
        return self.prefixes[prefix] + local

    def read(self) -> list[tuple[str, Token]]:
        subject = self.subject()
        self.properties(closing=None)
        while self.peek() is not None:
            if self.is_punct("."):
                self.at += 1
                continue
            other = self.subject()
            if other != subject or subject in ("[]", "[...]"):
                raise self.fail("one search per block; write a second SERVICE block for a second search")
            self.properties(closing=None)
        return self.pairs

    def subject(self) -> str:
        token = self.next("the subject ([], a blank node or a variable)")
        if token.kind == "punct" and token.text == "[":
            if self.is_punct("]"):
                self.at += 1
                return "[]"
            self.properties(closing="]")
            self.at += 1  # the ]
            return "[...]"
        if token.kind in ("bnode", "var"):
            return token.text
        raise self.fail(f"the subject must be [], a blank node or a variable, not {token.text}")

    def properties(self, closing: str | None) -> None:
        while True:
            token = self.peek()
            if token is None or (token.kind == "punct" and token.text in (closing or "", ".")):
                if closing is not None and token is None:
                    raise self.fail("a [ is not closed")
                return
            verb = self.next("a property")
            if verb.kind not in ("iri", "pname"):
                raise self.fail(f"expected a property such as pl:from, not {verb.text}")
            predicate = self.iri(verb)
            while True:
                self.pairs.append((predicate, self.object()))
                if not self.is_punct(","):
                    break
                self.at += 1
            if not self.is_punct(";"):
                following = self.peek()
                if following is None or (
                    following.kind == "punct" and following.text in (closing or "", ".")
                ):
                    return
                raise self.fail(f"expected ; or . after {verb.text} and its value, not {following.text}")
            while self.is_punct(";"):
                self.at += 1

    def object(self) -> Token:
        token = self.next("a value")
        if token.kind == "string":
            following = self.peek()
            if following is not None and following.kind == "langtag":
                self.at += 1
            elif following is not None and following.kind == "punct" and following.text == "^^":
                raise self.fail(
                    f"write numbers bare (pl:limit 3) and names as plain strings, not {token.text}^^..."
                )
        if token.kind not in ("string", "iri", "pname", "var", "number"):
            raise self.fail(f"unexpected {token.text!r} where a value should be")
        return token


def _call(reader: _BlockReader, start: int, end: int, silent: bool) -> PathCall:
    inputs: dict[str, str | int] = {}
    outputs: dict[str, str] = {}
    used: dict[str, str] = {}
    for predicate, token in reader.read():
        name = predicate[len(_PL) :] if predicate.startswith(_PL) else None
        if name not in INPUTS and name not in OUTPUTS:
            known = ", ".join(f"pl:{n}" for n in (*INPUTS, *OUTPUTS))
            raise reader.fail(f"unknown property <{predicate}>; the block takes {known}")
        if name in inputs or name in outputs:
            raise reader.fail(f"pl:{name} is given twice")
        if name in OUTPUTS:
            if token.kind != "var":
                raise reader.fail(
                    f"pl:{name} is an output: give it a variable (pl:{name} ?{name}), not {token.text}"
                )
            variable = token.text[1:]
            if variable in used:
                raise reader.fail(
                    f"?{variable} is bound by both pl:{used[variable]} and pl:{name}; use two variables"
                )
            used[variable] = name
            outputs[name] = variable
        elif name in _NAME_INPUTS:
            if token.kind == "var":
                raise reader.fail(
                    f'pl:{name} needs an entity (pli:foot-pain or "foot pain"), not a variable: the '
                    "search runs before the rest of the query"
                )
            if token.kind == "number":
                raise reader.fail(
                    f'pl:{name} needs an entity (pli:foot-pain or "foot pain"), not {token.text}'
                )
            inputs[name] = _unescape(token.text) if token.kind == "string" else reader.iri(token)
        else:
            if token.kind != "number" or not token.text.isdigit():
                raise reader.fail(f"pl:{name} needs a whole number (pl:{name} 4), not {token.text}")
            inputs[name] = int(token.text)
    for name in _NAME_INPUTS:
        if name not in inputs:
            raise reader.fail(
                f"pl:{name} is missing; name where the chains {'start' if name == 'from' else 'end'}"
            )
    if not outputs:
        raise reader.fail("bind at least one output, e.g. pl:path ?path ; pl:subject ?s ; pl:object ?o")
    return PathCall(start, end, silent, inputs, outputs)


def find_calls(text: str) -> list[PathCall]:
    """Every ``SERVICE <urn:painlink:paths>`` block of a query, read and checked
    (:class:`PathServiceError` when one is malformed).

    >>> try:
    ...     find_calls('SELECT * { SERVICE <urn:painlink:paths> { [] <urn:x> 1 } }')
    ... except PathServiceError as error:
    ...     print(str(error).replace(", ", " "))  # doctest: +ELLIPSIS
    SERVICE <urn:painlink:paths>: unknown property <urn:x>; the block takes pl:from pl:to ... pl:warning
    """
    tokens = tokenize(text)
    prefixes, base = _prologue(tokens)
    calls = []
    for index, token in enumerate(tokens):
        if token.keyword != "SERVICE":
            continue
        at = index + 1
        silent = at < len(tokens) and tokens[at].keyword == "SILENT"
        at += silent
        if at >= len(tokens) or tokens[at].kind != "iri" or tokens[at].text[1:-1] != SERVICE_IRI:
            continue
        opening = at + 1
        if opening >= len(tokens) or tokens[opening].text != "{":
            raise PathServiceError(f"SERVICE <{SERVICE_IRI}> must be followed by a {{ ... }} block")
        closing = next(
            (
                i
                for i in range(opening + 1, len(tokens))
                if tokens[i].text == "}"
                and tokens[i].kind == "punct"
                and tokens[i].depth == tokens[opening].depth
            ),
            None,
        )
        if closing is None:
            raise PathServiceError(f"the SERVICE <{SERVICE_IRI}> block is not closed with }}")
        reader = _BlockReader(tokens[opening + 1 : closing], prefixes, base)
        calls.append(_call(reader, token.start, tokens[closing].end, silent))
    return calls


# --- answering -----------------------------------------------------------------------------------------
def _number(value: float, datatype: str) -> str:
    return str(ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + datatype)))


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
    if result is not None and not result.paths and result.red_flags and any(n in _FLAG_OUTPUTS for n in columns):
        rows.append("(" + " ".join(flags[name] if name in _FLAG_OUTPUTS else "UNDEF" for name in columns) + ")")
    if result is None:
        rows.append("(" + " ".join("UNDEF" for _ in columns) + ")")
    head = " ".join("?" + outputs[name] for name in columns)
    return f"VALUES ({head}) {{ {' '.join(rows)} }}".replace("{  }", "{ }")


def _flag_terms(result: PathResult | None) -> dict[str, str]:
    """The red-flag outputs of a result, as SPARQL terms (UNDEF when it raises none)."""
    alerts = result.red_flags if result is not None else ()
    if not alerts:
        return dict.fromkeys(_FLAG_OUTPUTS, "UNDEF")
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
            values = question.validate({_BY_PROPERTY[name].name: value for name, value in call.inputs.items()})
            for name in _NAME_INPUTS:
                public = _BY_PROPERTY[name].name
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
