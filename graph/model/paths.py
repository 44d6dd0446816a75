"""Causal paths: steps, the score breakdown, the ranked answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .answer import Answer, red_flags_first
from .claims import Claim
from .entities import EntityRef
from .redflags import RedFlagAlert

__all__ = ["Path", "PathResult", "PathStep", "ScoreBreakdown"]


@dataclass(frozen=True)
class ScoreBreakdown(Answer):
    """How a path's score was made (see :mod:`painlink.graph.paths` for the formula):
    ``score = edge_mean * length_factor * hub_factor``."""

    edge_weights: tuple[float, ...]
    edge_mean: float
    length_factor: float
    hub_factor: float
    hub_damping: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PathStep(Answer):
    """One causal step of a path: the claim, the causal strength of its predicate, the weight its
    evidence earns, and their product ``weight``."""

    claim: Claim
    strength: float
    evidence_weight: float
    weight: float


@dataclass(frozen=True)
class Path(Answer):
    """A causal chain from ``nodes[0]`` to ``nodes[-1]``: one step per edge, a score, its breakdown
    and a plain-language explanation with the evidence for each step."""

    nodes: tuple[EntityRef, ...]
    steps: tuple[PathStep, ...]
    score: float
    breakdown: ScoreBreakdown
    explanation: str = ""
    #: Why it ranks where it does, in words: the grounds of its weakest step and what the score weighs.
    rationale: str = ""
    #: When the question named a broader term than where the chain starts or ends (back pain, and the
    #: chain ends at low back pain): the term asked for. None when the chain starts/ends at it.
    via_source: EntityRef | None = None
    via_target: EntityRef | None = None

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(step.claim.id for step in self.steps)

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.nodes)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "claims": list(self.claims)}


@dataclass(frozen=True)
class PathResult(Answer):
    """The best paths between two entities, best first. ``truncated`` says a limit cut the search
    short; ``truncated_reasons`` says which (max length, max count, search budget)."""

    source: EntityRef
    target: EntityRef
    paths: tuple[Path, ...]
    max_length: int
    limit: int
    truncated: bool = False
    truncated_reasons: tuple[str, ...] = ()
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return red_flags_first(super().to_dict())
