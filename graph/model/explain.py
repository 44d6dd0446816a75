"""Explanations of observed symptoms, and the differentials between candidate origins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answer import Answer, plain, red_flags_first
from .claims import Claim
from .entities import EntityRef
from .paths import Path
from .redflags import RedFlagAlert

__all__ = ["Differential", "DifferentialOption", "DistinguishingSign", "ExplainedSymptom", "ExplainResult", "Explanation"]


@dataclass(frozen=True)
class ExplainedSymptom(Answer):
    """How a candidate cause accounts for one observed symptom: by causal ``paths`` into it or into a
    term it is a kind of (``via`` names that term when so), or by a sign ``claim`` (``pl:indicates``)
    pointing to the cause. ``strength`` is the best path score (or the sign's weight)."""

    symptom: EntityRef
    strength: float
    paths: tuple[Path, ...] = ()
    sign: Claim | None = None
    via: EntityRef | None = None
    #: How the candidate reaches the symptom: ``exact`` (the symptom itself, or -- with ``via`` -- a
    #: sign the symptom is a kind of), ``narrower`` (a kind of
    #: it, named by ``via``: foot drop for "foot problem") or ``broader`` (only a term it is a kind of,
    #: named by ``via``: "foot problem" for foot numbness). A ``broader`` reach does not explain the
    #: symptom: a cause of the broad term is not a cause of the specific one.
    match: str = "exact"

    @property
    def specific(self) -> bool:
        """True when it explains the symptom itself or a kind of it."""
        return self.match != "broader"


@dataclass(frozen=True)
class DistinguishingSign(Answer):
    """A finding that tells one candidate origin from another: the ``sign`` (a symptom or finding)
    and the claim that ties it to the candidate (``indicates`` it, or caused by it)."""

    sign: EntityRef
    claim: Claim
    observed: bool = False
    #: The candidate it points to, and the alternatives it speaks against (``pl:ratherThan``).
    points_to: EntityRef | None = None
    rather_than: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class DifferentialOption(Answer):
    """One candidate origin of a symptom in a differential, where it sits in the body and the signs
    that point to it."""

    cause: EntityRef
    locations: tuple[EntityRef, ...]
    path: Path | None
    signs: tuple[DistinguishingSign, ...]


@dataclass(frozen=True)
class Differential(Answer):
    """Different origins for the same observed symptom (e.g. foot drop from the lower back vs from the
    peroneal nerve at the knee), each with the signs that tell them apart, and a note in words."""

    symptom: EntityRef
    options: tuple[DifferentialOption, ...]
    note: str
    #: Findings a source says do *not* tell these origins apart (a contradicted ``pl:distinguishes``).
    not_distinguishing: tuple[DistinguishingSign, ...] = ()


@dataclass(frozen=True)
class Explanation(Answer):
    """A candidate cause of the observed symptoms: what it explains, what it leaves unexplained, its
    score (see :mod:`painlink.graph.explain`) and the paths that support it."""

    cause: EntityRef
    explained: tuple[ExplainedSymptom, ...]
    unexplained: tuple[EntityRef, ...]
    score: float
    #: Symptoms it reaches only through a broader term (not explained, not counted in the score).
    unspecific: tuple[ExplainedSymptom, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(path for item in self.explained for path in item.paths)

    @property
    def broader_only(self) -> tuple[EntityRef, ...]:
        """The broader terms it reaches when it explains *no* symptom specifically (the graph says it
        leads to "foot problem", not to foot numbness in particular); empty otherwise. Such candidates
        are listed apart, after every specific one, as unspecific."""
        if self.explained:
            return ()
        return tuple({item.via.id: item.via for item in self.unspecific if item.via is not None}.values())

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "broader_only": plain(self.broader_only)}


@dataclass(frozen=True)
class ExplainResult(Answer):
    """Candidate causes for the observed symptoms, best first, and the differentials among them."""

    symptoms: tuple[EntityRef, ...]
    explanations: tuple[Explanation, ...]
    differentials: tuple[Differential, ...] = ()
    truncated: bool = False
    #: Candidates that reach the symptoms only through broader terms: shown after every specific one,
    #: never counted as explaining a symptom.
    unspecific: tuple[Explanation, ...] = ()
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return red_flags_first(super().to_dict())
