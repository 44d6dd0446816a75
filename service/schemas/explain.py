"""Candidate causes of observed symptoms, and the differentials."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import EntitySummary, Model
from .claims import Claim
from .paths import Path
from .redflags import RED_FLAGS_FIELD, RedFlagAlert

__all__ = ["Differential", "DifferentialOption", "DistinguishingSign", "ExplainedSymptom", "ExplainResponse", "Explanation"]


class ExplainedSymptom(Model):
    """How a candidate cause accounts for one observed symptom."""

    symptom: EntitySummary = Field(description="The observed symptom.")
    strength: float = Field(description="How strongly: the best chain's score, or the sign's weight.")
    paths: list[Path] = Field(
        default_factory=list, description="Causal chains from the cause into the symptom."
    )
    sign: Claim | None = Field(
        None, description="A sign claim (pl:indicates) tying the symptom to the cause, if any."
    )
    via: EntitySummary | None = Field(
        None, description="The term the chain reaches when it is not the symptom itself (see match)."
    )
    match: Literal["exact", "narrower", "broader"] = Field(
        "exact",
        description="exact: the symptom itself; narrower: a kind of it (via); broader: only a term it is a "
        "kind of (via), which does not explain the symptom and is never counted.",
    )


class DistinguishingSign(Model):
    """A finding that tells one candidate origin from another."""

    sign: EntitySummary = Field(description="The sign or finding.")
    claim: Claim = Field(description="The claim tying it to the candidate, with its evidence.")
    observed: bool = Field(False, description="True when the sign is among the observed symptoms.")
    points_to: EntitySummary | None = Field(None, description="The candidate it points to.")
    rather_than: list[EntitySummary] = Field(
        default_factory=list, description="The alternatives it speaks against, or (not_distinguishing) between."
    )


class DifferentialOption(Model):
    """One candidate origin of a symptom in a differential."""

    cause: EntitySummary = Field(description="The candidate origin.")
    locations: list[EntitySummary] = Field(description="Where it sits in the body.")
    path: Path | None = Field(None, description="Its best causal chain to the symptom.")
    signs: list[DistinguishingSign] = Field(description="Signs that point to it rather than to the others.")


class Differential(Model):
    """Different origins for the same symptom, and how to tell them apart."""

    symptom: EntitySummary = Field(description="The observed symptom with several possible origins.")
    options: list[DifferentialOption] = Field(description="The candidate origins.")
    note: str = Field(description="The differential in words.")
    not_distinguishing: list[DistinguishingSign] = Field(
        default_factory=list,
        description="Findings a source says do NOT tell these origins apart (e.g. the pattern of sensory loss).",
    )


class Explanation(Model):
    """A candidate cause of the observed symptoms."""

    cause: EntitySummary = Field(description="The candidate cause.")
    explained: list[ExplainedSymptom] = Field(description="The observed symptoms it accounts for, and how.")
    unexplained: list[EntitySummary] = Field(description="The observed symptoms it does not account for.")
    score: float = Field(description="The mean over the observed symptoms of how strongly it explains each.")
    unspecific: list[ExplainedSymptom] = Field(
        default_factory=list,
        description="Symptoms it reaches only through a broader term: not explained, not counted in the score.",
    )
    broader_only: list[EntitySummary] = Field(
        default_factory=list,
        description="When it explains no symptom specifically, the broader terms it reaches (e.g. 'foot "
        "problem'): the graph does not say it leads to these symptoms in particular.",
    )


class ExplainResponse(Model):
    """Candidate causes of a set of observed symptoms, best first, with the differentials among them."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
    symptoms: list[EntitySummary] = Field(description="The observed symptoms, as resolved.")
    explanations: list[Explanation] = Field(description="Candidate causes that explain a symptom specifically, best first.")
    unspecific: list[Explanation] = Field(
        default_factory=list,
        description="Candidates that reach the symptoms only through broader terms, after every specific one.",
    )
    differentials: list[Differential] = Field(
        default_factory=list, description="Symptoms with several possible origins."
    )
    truncated: bool = Field(False, description="True when the limit cut the list of candidates.")
