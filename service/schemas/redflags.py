"""Red flags and the alerts every answer opens with."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import EntitySummary, Model
from .claims import Evidence

__all__ = ["RED_FLAGS_FIELD", "RedFlag", "RedFlagAlert"]


class RedFlag(Model):
    """A presentation to rule out before anything else: the serious condition, its signs, the urgency,
    what to do, and who says so."""

    id: str = Field(description="The red flag's id (local name under plr:).")
    iri: str = Field(description="Its IRI.")
    label: str = Field(description="Its name, e.g. 'Possible cauda equina syndrome'.")
    condition: EntitySummary = Field(description="The serious condition it warns of.")
    signs: list[EntitySummary] = Field(description="The signs that raise it.")
    urgency: str = Field(
        description="How urgently to act: emergency (now: A&E / 999), urgent (same day), soon, routine."
    )
    urgency_rank: int = Field(description="1 for the most urgent.")
    action: str = Field(description="What to do, in plain words.")
    evidence: list[Evidence] = Field(description="The sources that say so, each with its kind.")
    ask_about: list[EntitySummary] = Field(
        default_factory=list, description="What to ask about directly: patients rarely mention it unless asked."
    )
    questions: list[str] = Field(default_factory=list, description="Questions to ask, in plain words.")
    screens_for: list[EntitySummary] = Field(
        default_factory=list, description="Presentations in which to ask its questions even when no sign is named."
    )


class RedFlagAlert(Model):
    """A red flag raised by this question: a warning, or a reminder of what to ask."""

    level: Literal["warning", "reminder"] = Field(
        description="warning: the question names a sign, the condition, or something that can lead to it; "
        "reminder: a presentation in which to ask about its signs."
    )
    flag: RedFlag = Field(description="The red flag.")
    trigger: EntitySummary = Field(description="The entity of the question (or the answer) that raised it.")
    reason: str = Field(description="How it was raised, in words.")


RED_FLAGS_FIELD = Field(
    default_factory=list,
    description="Red-flag warnings (most urgent first) and reminders, before any ranking: never ranked away.",
)
