"""Building a whole :class:`~painlink.graph.projection.snapshot.Projection` from a store, and the
graph's nodes and edges from what was read (shared with the patch, so both make the same graph)."""

from __future__ import annotations

import networkx as nx

from ..model import Claim, Entity
from ..stores import Store
from .claims import read_claims, read_facts
from .entities import read_entities
from .evidence import CLAIM_EVIDENCE, read_evidence
from .flags import read_red_flags
from .names import BROADER, PREFIXES, PropertyInfo, entity_id, local_name, text, values
from .schema import read_properties, read_sources
from .snapshot import Projection

__all__ = ["add_fact", "add_relation", "build_projection", "node_attributes", "read_examinable", "reader",
           "relation_data"]


def reader(store: Store):
    """``rows(body)``: the rows of a SELECT over ``store`` with the shared prefixes."""

    def rows(body: str) -> list[dict]:
        return store.select(PREFIXES + body)

    return rows


def read_examinable(rows, only=None) -> frozenset[str]:
    """Ids of the entities typed ``pl:Sign`` (of the IRIs in ``only``, when given)."""
    return frozenset(
        entity_id(text(row["e"]))
        for row in rows("SELECT DISTINCT ?e WHERE { " + values("e", only) + " ?e a/rdfs:subClassOf* pl:Sign }")
    )


def build_projection(store: Store) -> Projection:
    """Read the store with SPARQL and build the :class:`Projection` for its current version."""
    version = store.version
    rows = reader(store)
    properties = read_properties(rows)
    sources = read_sources(rows)
    entities = read_entities(rows)
    by_iri = {entity.iri: entity.ref for entity in entities.values()}
    evidence = read_evidence(rows, CLAIM_EVIDENCE, sources)
    claims = read_claims(rows, properties, by_iri.get, evidence)
    facts = read_facts(rows, properties, by_iri.__contains__)
    red_flags = read_red_flags(rows, by_iri.get, sources)
    examinable = read_examinable(rows)
    graph = nx.MultiDiGraph()
    for entity in entities.values():
        graph.add_node(entity.id, **node_attributes(entity))
    for claim in claims.values():
        add_relation(graph, claim.subject.id, claim.object.id, claim.id, properties[claim.predicate_iri], claim)
    for fact in facts:
        add_fact(graph, properties, fact)
    for node in graph.nodes:
        # A node met only as the end of a relation (an untyped node in user data) still gets a label.
        graph.nodes[node].setdefault("label", local_name(node))
        graph.nodes[node].setdefault("kind", None)
    return Projection(version, graph, entities, claims, properties, red_flags, examinable, sources)


def node_attributes(entity: Entity) -> dict:
    """The attributes of an entity's node."""
    return {"label": entity.label, "kind": entity.kind, "definition": entity.definition, "synonyms": entity.synonyms}


def add_fact(graph: nx.MultiDiGraph, properties: dict[str, PropertyInfo], fact: tuple[str, str, str]) -> None:
    """Add the edge of a plain fact ``(subject id, predicate IRI, object id)``, keyed ``s--name--o``."""
    subject, predicate, obj = fact
    info = properties.get(predicate, BROADER)
    add_relation(graph, subject, obj, f"{subject}--{info.name}--{obj}", info, None)


def add_relation(graph: nx.MultiDiGraph, subject: str, obj: str, key: str, info: PropertyInfo,
                 claim: Claim | None) -> None:
    """Add one relation edge ``subject -> obj`` keyed ``key`` (a claim's id, or a fact's)."""
    graph.add_edge(subject, obj, key=key, **relation_data(info, claim))


def relation_data(info: PropertyInfo, claim: Claim | None) -> dict:
    """The attributes of a relation edge of the property ``info`` (for ``claim``, None for a plain fact)."""
    return {
        "predicate": info.name,
        "predicate_label": info.label,
        "group": info.group,
        "strength": info.strength,
        "claim": claim,
        "summary": claim.summary if claim is not None else None,
    }
