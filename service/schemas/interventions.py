"""Interventions with the evidence for and against."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import EntitySummary, Model
from .claims import Claim, Evidence
from .paths import Path
from .redflags import RED_FLAGS_FIELD, RedFlagAlert

__all__ = ["Action", "Intervention", "InterventionsResponse"]


class Action(Model):
    """What an intervention acts on, and the claim that says so."""

    node: EntitySummary = Field(description="The entity it acts on (a cause on the chains, or the target).")
    claim: Claim = Field(description="The relieves / prevents / worsens claim, with its evidence.")
    via: EntitySummary | None = Field(None, description="The target, when the node is a kind of it or covers it.")
    relation: Literal["target", "narrower", "broader", "upstream"] = Field(
        "target",
        description="target (the target itself), narrower (a kind of it), broader (a term covering it), or "
        "upstream (a cause on a chain into it: its evidence is about that cause, not counted for the target).",
    )


class Intervention(Model):
    """One intervention on the causal chains into a target, with the evidence for and against it."""

    intervention: EntitySummary = Field(description="The intervention.")
    effect: Literal["helps", "harms", "mixed"] = Field(
        description="helps (relieves or prevents), harms (worsens) or mixed."
    )
    score: float = Field(description="Its rank score: evidence weight x share of the chains it cuts.")
    acts_on: list[Action] = Field(description="What it acts on.")
    paths_cut: list[int] = Field(
        description="The chains it cuts, as 0-based indexes into the response's paths."
    )
    cuts_all: bool = Field(
        description="True when it cuts every chain into the target (or acts on the target itself)."
    )
    acts_on_target: bool = Field(description="True when it acts on the target itself.")
    evidence_for: list[Evidence] = Field(description="Evidence that supports its claims about the target.")
    evidence_against: list[Evidence] = Field(
        description="Evidence that contradicts its claims about the target (kept and shown)."
    )
    evidence_qualifying: list[Evidence] = Field(
        default_factory=list, description="Evidence that qualifies its claims about the target."
    )
    evidence_upstream: list[Evidence] = Field(
        default_factory=list,
        description="Evidence on what it does to causes upstream of the target (not counted for the target).",
    )
    weighed: str = Field(
        "", description="The sides about the target by kind of source, e.g. 'for: 1 commercial page; against: "
        "1 guideline, 2 systematic reviews'."
    )
    disputed: bool = Field(False, description="True when sources both support and contradict it for the target.")


class InterventionsResponse(Model):
    """What acts on the causal chains into a target, helpful interventions first."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
    target: EntitySummary = Field(description="The symptom or condition asked about.")
    paths: list[Path] = Field(description="The causal chains into the target that were considered.")
    interventions: list[Intervention] = Field(
        description="Interventions: helpful first, then harmful, then mixed."
    )
    truncated: bool = Field(False, description="True when a limit cut the chains considered.")
