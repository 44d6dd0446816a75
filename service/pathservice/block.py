"""What a ``SERVICE <urn:painlink:paths>`` block takes and gives: its IRI, its input properties (the
``paths`` question's parameters, by :attr:`~painlink.graph.Parameter.property_name`), its outputs,
one block read (:class:`PathCall`) and the error a malformed one raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from painlink.graph import QUESTIONS
from painlink.ontology import NAMESPACES
from painlink.service.errors import BadRequest

__all__ = ["BY_PROPERTY", "FLAG_OUTPUTS", "INPUTS", "NAME_INPUTS", "OUTPUTS", "PL", "QUESTION", "SERVICE_IRI", "XSD", "PathCall", "PathServiceError"]


#: The SERVICE IRI painlink answers itself.
SERVICE_IRI = "urn:painlink:paths"


PL = NAMESPACES["pl"]


XSD = NAMESPACES["xsd"]


#: The question the block asks, and its parameters by input property (local names under ``pl:``:
#: ``from``, ``to``, ``maxLength``, ``limit``), straight from its declaration.
QUESTION = QUESTIONS["paths"]


BY_PROPERTY = {parameter.property_name: parameter for parameter in QUESTION.parameters}


INPUTS = tuple(BY_PROPERTY)


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


FLAG_OUTPUTS = ("redFlag", "urgency", "warning")


NAME_INPUTS = tuple(name for name, parameter in BY_PROPERTY.items() if parameter.entity)


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
