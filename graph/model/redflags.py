"""Red flags: a presentation to rule out first, and the alerts an answer opens with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answer import Answer, red_flags_first
from .claims import Evidence
from .entities import EntityRef

__all__ = ["URGENCIES", "RedFlag", "RedFlagAlert", "RedFlagReport"]


#: Urgencies, most urgent first (the schema's ``pl:Urgency`` individuals carry the same labels and ranks).
URGENCIES = ("emergency", "urgent", "soon", "routine")


@dataclass(frozen=True)
class RedFlag(Answer):
    """A presentation that must be ruled out before anything else (``pl:RedFlag``): the serious
    ``condition`` it warns of, the ``signs`` that raise it, how urgently to act (``urgency``: one of
    :data:`URGENCIES`, ``urgency_rank`` 1 = most urgent), what to do (``action``, our words), the
    evidence that says so (with its sources and their kinds), what to ask directly because patients
    rarely volunteer it (``ask_about``, ``questions``) and the presentations in which to ask
    (``screens_for``)."""

    id: str
    iri: str
    label: str
    condition: EntityRef
    signs: tuple[EntityRef, ...]
    urgency: str
    urgency_label: str
    urgency_rank: int
    action: str
    evidence: tuple[Evidence, ...]
    ask_about: tuple[EntityRef, ...] = ()
    questions: tuple[str, ...] = ()
    screens_for: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class RedFlagAlert(Answer):
    """A red flag raised by a question. ``level`` is ``warning`` (the question names a sign of it, the
    serious condition, or something the graph says can lead to it) or ``reminder`` (a presentation in
    which its questions should be asked although no sign was named). ``trigger`` is the entity of the
    question that raised it and ``reason`` says how, in words."""

    flag: RedFlag
    level: str
    trigger: EntityRef
    reason: str


@dataclass(frozen=True)
class RedFlagReport(Answer):
    """The answer to the ``red_flags`` question: the warnings and reminders for the entities named."""

    about: tuple[EntityRef, ...]
    red_flags: tuple[RedFlagAlert, ...]

    def to_dict(self) -> dict[str, Any]:
        return red_flags_first(super().to_dict())
