"""Entities: one entity with its neighbourhood and claims, search hits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import EntitySummary, Model
from .claims import ClaimSummary, EvidenceCounts
from .redflags import RED_FLAGS_FIELD, RedFlagAlert

__all__ = ["Entity", "Mapping", "Neighbourhood", "Relation", "SearchHit", "SearchResponse"]


class Mapping(Model):
    """A mapping of an entity to a public ontology term (HPO, UBERON, MONDO, MAxO, MeSH)."""

    relation: Literal["exact", "close"] = Field(
        description="exact (skos:exactMatch: the terms mean the same) "
        "or close (skos:closeMatch: approximate)."
    )
    curie: str = Field(description="The term's compact id, e.g. HP:0025238.")
    iri: str = Field(description="The term's IRI.")
    label: str | None = Field(None, description="The term's label in its ontology.")


class Relation(Model):
    """One relation between two entities of a neighbourhood."""

    subject: str = Field(description="The subject's id.")
    predicate: str = Field(
        description="The relation's local name under pl: (or 'broader' for the kind-of hierarchy)."
    )
    predicate_label: str = Field(description="The relation in words.")
    group: str | None = Field(
        None, description="causal, sign, anatomy, intervention (null for the hierarchy)."
    )
    object: str = Field(description="The object's id.")
    claim: str | None = Field(None, description="The claim's id, when the relation is a claim with evidence.")
    summary: EvidenceCounts | None = Field(None, description="The claim's evidence, counted by stance.")


class Neighbourhood(Model):
    """The entities within ``depth`` relations of an entity (any direction) and the relations among them."""

    depth: int = Field(description="How many relations away the neighbourhood reaches.")
    nodes: list[EntitySummary] = Field(
        description="The entity itself first, then its neighbours, nearest first."
    )
    edges: list[Relation] = Field(description="Every relation among those nodes.")


class Entity(Model):
    """Everything the graph says about one entity: names, definition, mappings, neighbours and claims."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD

    id: str = Field(description="The entity's id (local name under pli:).")
    iri: str = Field(description="The entity's IRI.")
    label: str = Field(description="Its English label.")
    kind: str | None = Field(None, description="symptom, anatomy, cause or intervention.")
    definition: str | None = Field(None, description="What it is, in plain words.")
    synonyms: list[str] = Field(
        default_factory=list, description="Other names people use for it (skos:altLabel)."
    )
    mappings: list[Mapping] = Field(default_factory=list, description="The public ontology terms it maps to.")
    categories: list[str] = Field(
        default_factory=list, description="Its Biolink categories, e.g. biolink:PhenotypicFeature."
    )
    broader: list[EntitySummary] = Field(default_factory=list, description="What it is a kind of.")
    narrower: list[EntitySummary] = Field(default_factory=list, description="The kinds of it.")
    neighbourhood: Neighbourhood = Field(description="Its neighbours and the relations among them.")
    claims: list[ClaimSummary] = Field(
        description="Every claim with the entity as subject (first) or object, with its evidence counted."
    )


class SearchHit(Model):
    """One entity a search found."""

    entity: EntitySummary = Field(description="The entity.")
    matched: str = Field(description="The label or synonym that matched.")
    score: float = Field(
        description="How well it matched, higher is better: about 1 for the whole name, less for part of it."
    )


class SearchResponse(Model):
    """Entities whose label or a synonym matches the search text, best first."""

    query: str = Field(description="The search text, as given.")
    limit: int = Field(description="The most hits asked for.")
    hits: list[SearchHit] = Field(description="The entities found, best first.")
