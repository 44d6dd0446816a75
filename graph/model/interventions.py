"""Interventions on the causal chains into a target, with the evidence for and against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answer import Answer, red_flags_first
from .claims import Claim, Evidence
from .entities import EntityRef
from .paths import Path
from .redflags import RedFlagAlert

__all__ = ["Action", "InterventionAnswer", "InterventionResult"]


@dataclass(frozen=True)
class Action(Answer):
    """An intervention acting on one node: the claim (``relieves`` / ``prevents`` / ``worsens``) and
    the node it acts on; ``via`` names the target when the node is a kind of it (low back pain for
    back pain)."""

    node: EntityRef
    claim: Claim
    via: EntityRef | None = None
    #: How the node stands to the target: ``target`` (it is the target), ``narrower`` (a kind of the
    #: target), ``broader`` (a term that covers the target) or ``upstream`` (a cause on a chain into it).
    #: Only the first three speak about the target itself; upstream evidence is about that cause.
    relation: str = "target"

    @property
    def on_target(self) -> bool:
        return self.relation != "upstream"


@dataclass(frozen=True)
class InterventionAnswer(Answer):
    """One intervention for a target: what it acts on, which causal paths into the target it cuts
    (indexes into :attr:`InterventionResult.paths`), whether it cuts them all (a node cut between the
    upstream causes and the target, or acting on the target itself), and every item of evidence on its
    claims: for (supports), against (contradicts) and qualifying. ``effect`` is ``helps`` (relieves or
    prevents), ``harms`` (worsens) or ``mixed``."""

    intervention: EntityRef
    acts_on: tuple[Action, ...]
    paths_cut: tuple[int, ...]
    cuts_all: bool
    acts_on_target: bool
    evidence_for: tuple[Evidence, ...]
    evidence_against: tuple[Evidence, ...]
    evidence_qualifying: tuple[Evidence, ...] = ()
    effect: str = "helps"
    score: float = 0.0
    #: Evidence on what it does to causes upstream of the target (not counted for the target).
    evidence_upstream: tuple[Evidence, ...] = ()
    #: The sides of the evidence about the target, weighed by kind of source, in words
    #: ("for: 1 commercial page; against: 1 guideline, 2 systematic reviews").
    weighed: str = ""

    @property
    def disputed(self) -> bool:
        """True when sources both support and contradict what it is said to do to the target."""
        return bool(self.evidence_for and self.evidence_against)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "disputed": self.disputed}


@dataclass(frozen=True)
class InterventionResult(Answer):
    """What acts on the causal chains into ``target``: the paths considered and the interventions,
    helpful ones first."""

    target: EntityRef
    paths: tuple[Path, ...]
    interventions: tuple[InterventionAnswer, ...]
    truncated: bool = False
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return red_flags_first(super().to_dict())
