"""Entities and what names them: mappings, references, search hits."""

from __future__ import annotations

from dataclasses import dataclass

from .answer import Answer

__all__ = ["Entity", "EntityRef", "Mapping", "SearchHit", "SearchResult"]


@dataclass(frozen=True)
class Mapping(Answer):
    """One mapping of an entity to a public ontology term: ``relation`` is ``exact`` or ``close``."""

    relation: str
    curie: str
    iri: str
    label: str | None = None


@dataclass(frozen=True)
class EntityRef(Answer):
    """Just enough of an entity to name it: id (``foot-pain``), IRI, label and kind
    (``symptom`` / ``anatomy`` / ``cause`` / ``intervention``; ``None`` for an untyped node)."""

    id: str
    iri: str
    label: str
    kind: str | None = None


@dataclass(frozen=True)
class Entity(Answer):
    """Everything the graph says about one entity, apart from its relations (see :class:`Neighbourhood`)."""

    id: str
    iri: str
    label: str
    kind: str | None
    definition: str | None = None
    synonyms: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    categories: tuple[str, ...] = ()
    broader: tuple[EntityRef, ...] = ()
    narrower: tuple[EntityRef, ...] = ()

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.iri, self.label, self.kind)


@dataclass(frozen=True)
class SearchHit(Answer):
    """One search result: the entity, the text that matched (label or a synonym) and how well
    (``score`` 1.0 for an exact match, lower for partial ones)."""

    entity: EntityRef
    matched: str
    score: float


@dataclass(frozen=True)
class SearchResult(Answer):
    """The answer to the ``search`` question: the text asked for, the limit, the hits best first."""

    query: str
    limit: int
    hits: tuple[SearchHit, ...]
