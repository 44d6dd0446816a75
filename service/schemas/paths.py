"""Causal paths: steps, score breakdown, the ranked answer."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import EntitySummary, Model
from .claims import Claim
from .redflags import RED_FLAGS_FIELD, RedFlagAlert

__all__ = ["TRUNCATION_REASONS", "Path", "PathsResponse", "PathStep", "ScoreBreakdown"]


#: Why a path search stopped early (the engine's codes) and what that means for the reader.
TRUNCATION_REASONS: dict[str, str] = {
    "max_length": "a longer chain may exist beyond max_length",
    "limit": "more chains exist than limit",
    "max_expansions": "the search reached its work cap before it had looked everywhere",
}


class ScoreBreakdown(Model):
    """How a path's score is made: score = edge_mean x length_factor x hub_factor."""

    edge_weights: list[float] = Field(description="Each step's weight (causal strength x evidence weight).")
    edge_mean: float = Field(description="The geometric mean of the step weights.")
    length_factor: float = Field(description="The penalty for length (shorter chains score higher).")
    hub_factor: float = Field(description="The penalty for passing through hubs (very connected nodes).")
    hub_damping: dict[str, float] = Field(
        default_factory=dict, description="Each damped hub's id and the factor it contributed."
    )


class PathStep(Model):
    """One causal step of a chain: the claim, with its evidence, and the weight it carries."""

    claim: Claim = Field(description="The claim the step rests on, with all its evidence.")
    strength: float = Field(
        description="The causal strength of the claim's relation (causes 1.0 ... associatedWith 0.4)."
    )
    evidence_weight: float = Field(
        description="The weight the claim's evidence earns (independent sources, stances)."
    )
    weight: float = Field(description="strength x evidence_weight.")


class Path(Model):
    """A causal chain, its score and breakdown, and a plain-language explanation with the evidence."""

    rank: int | None = Field(
        None,
        description="1 for the best chain, 2 for the next ... "
        "(the ?path index of SERVICE <urn:painlink:paths>).",
    )
    nodes: list[EntitySummary] = Field(
        description="The entities along the chain, from the source to the target."
    )
    steps: list[PathStep] = Field(description="One step per relation along the chain.")
    claims: list[str] = Field(description="The ids of the steps' claims, in order.")
    score: float = Field(description="How well the chain is supported, from 0 to 1 (see breakdown).")
    breakdown: ScoreBreakdown = Field(description="How the score was made.")
    explanation: str = Field("", description="The chain in plain words, with the evidence for each step.")
    rationale: str = Field(
        "", description="Why it ranks where it does: its weakest step, that step's sources by kind, its length."
    )
    via_source: EntitySummary | None = Field(
        None, description="The term asked for, when the chain starts at a kind of it (null otherwise)."
    )
    via_target: EntitySummary | None = Field(
        None, description="The term asked for, when the chain ends at a kind of it (low back pain for back pain)."
    )


class PathsResponse(Model):
    """The best causal chains from one entity to another, best first."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
    source: EntitySummary = Field(description="Where the chains start (the 'from' entity).")
    target: EntitySummary = Field(description="Where they end (the 'to' entity).")
    max_length: int = Field(description="The most steps a chain could have in this search.")
    limit: int = Field(description="The most chains asked for.")
    paths: list[Path] = Field(description="The chains found, best first (empty when there is none).")
    truncated: bool = Field(
        False, description="True when a limit may have hidden chains; see truncated_reasons."
    )
    truncated_reasons: list[str] = Field(
        default_factory=list,
        description="Which limits: max_length, limit and/or max_expansions (the work cap).",
    )
    reason: str | None = Field(None, description="The truncation in words (null when nothing was cut).")

    @model_validator(mode="after")
    def _rank_and_explain(self) -> PathsResponse:
        for rank, path in enumerate(self.paths, start=1):
            path.rank = rank
        if self.truncated_reasons and self.reason is None:
            self.reason = "; ".join(TRUNCATION_REASONS.get(code, code) for code in self.truncated_reasons)
        return self
