"""What is around an entity: its neighbourhood, the entity report, its claims, subgraphs to draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answer import Answer, plain
from .claims import Claim, EvidenceSummary
from .entities import Entity, EntityRef
from .redflags import RedFlagAlert

__all__ = ["ClaimList", "EntityReport", "NeighbourEdge", "Neighbourhood", "Subgraph", "SubgraphEdge"]


@dataclass(frozen=True)
class NeighbourEdge(Answer):
    """One relation around an entity. ``claim`` is the claim id (None for plain anatomical facts and
    for the ``broader`` hierarchy)."""

    subject: str
    predicate: str
    predicate_label: str
    group: str | None
    object: str
    claim: str | None = None
    summary: EvidenceSummary | None = None


@dataclass(frozen=True)
class Neighbourhood(Answer):
    """The entities within ``depth`` relations of ``center`` and the relations among them."""

    center: Entity
    depth: int
    nodes: tuple[EntityRef, ...]
    edges: tuple[NeighbourEdge, ...]


@dataclass(frozen=True)
class EntityReport(Answer):
    """The answer to the ``entity`` question: the entity, its neighbourhood and every claim about it
    (as subject first), after the red flags it raises. ``to_dict()`` flattens the entity's own fields
    into the top level (the JSON API's shape)."""

    entity: Entity
    neighbourhood: Neighbourhood
    claims: tuple[Claim, ...]
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "red_flags": plain(self.red_flags),
            **self.entity.to_dict(),
            "neighbourhood": self.neighbourhood.to_dict(),
            "claims": plain(self.claims),
        }


@dataclass(frozen=True)
class ClaimList(Answer):
    """The answer to the ``claims`` question: every claim about one entity, as subject first."""

    about: EntityRef
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class SubgraphEdge(Answer):
    """One relation of a :class:`Subgraph`: ``subject`` -> ``object`` (ids) by ``predicate`` (its local
    name, and its label), in property ``group`` (``causal``, ``sign``, ``anatomy``, ``intervention`` or
    ``hierarchy``). ``key`` tells apart two relations between the same ends (the claim id when there
    is one); ``claim`` is the claim behind it (None for a plain fact such as standard anatomy);
    ``strength`` the causal strength of a causal property."""

    key: str
    subject: str
    object: str
    predicate: str
    predicate_label: str
    group: str | None
    claim: Claim | None = None
    strength: float | None = None

    @property
    def disputed(self) -> bool:
        """True when the claim's evidence disagrees (more than one stance)."""
        return self.claim is not None and self.claim.disputed


@dataclass(frozen=True)
class Subgraph(Answer):
    """Some entities (by label) and every relation among them: what a drawing of the map shows."""

    nodes: tuple[Entity, ...]
    edges: tuple[SubgraphEdge, ...]
