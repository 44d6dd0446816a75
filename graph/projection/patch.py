"""Moving a projection forward to the store's current version: by the difference of the writes since
(:meth:`painlink.graph.stores.Store.difference`) when it is known and small, else by a full build.

A patch re-reads, with the same queries a full build runs restricted by ``VALUES``, only what the
difference touched and what shows it: the touched resources as sources, entities and claims; the
entities whose ``broader``/``narrower`` show a touched entity's label or kind; the claims whose
evidence, its selector or source, subject, object or qualifier was touched; the plain facts at the touched nodes; all
red flags (few). It never changes the previous snapshot: the new graph shares every node's adjacency
the write did not touch with the old one (:class:`~painlink.graph.projection.graph.GraphDraft`), so
readers holding the old snapshot keep a whole, consistent one. A schema change (a property, a kind
of source or an urgency, a class hierarchy) is followed by a full build, as is a difference touching
more than :data:`MAX_RESOURCES` resources.
"""

from __future__ import annotations

from painlink.ontology import NAMESPACES

from ..difference import Difference
from ..model import EntityRef
from ..stores import Store
from .build import build_projection, node_attributes, read_examinable, reader, relation_data
from .claims import read_claims, read_facts
from .entities import read_entities
from .evidence import CLAIM_EVIDENCE, read_evidence
from .flags import read_red_flags
from .graph import GraphDraft
from .names import BROADER, PL, entity_id, local, local_name, text, values
from .schema import read_sources
from .snapshot import Change, Projection

__all__ = ["MAX_RESOURCES", "advance", "patch"]

#: A write touching more resources than this is followed by a full build: re-reading that much in
#: pieces costs about as much as reading everything once.
MAX_RESOURCES = 2_000
#: Predicates whose triples change the schema the whole projection is read with.
SCHEMA_PREDICATES = frozenset({
    NAMESPACES["rdfs"] + "subClassOf", PL + "propertyGroup", PL + "causalStrength", PL + "evidenceWeight",
    PL + "kindRank", PL + "urgencyRank",
})
_SCHEMA_TYPES = frozenset({PL + "SourceKind", PL + "Urgency"})
_RDF_TYPE = NAMESPACES["rdf"] + "type"


def advance(previous: Projection | None, store: Store) -> Projection:
    """The projection of ``store`` as it is now: ``previous`` patched, or a full build."""
    if previous is not None:
        with store.write_lock:  # no write between reading the difference and reading the store
            version = store.version
            difference = store.difference(previous.version, version)
            if difference is not None and _small(previous, store, difference):
                return patch(previous, store, difference, version)
    return build_projection(store)


def _small(previous: Projection, store: Store, difference: Difference) -> bool:
    """Whether ``difference`` can be followed by a patch: not too large, no schema change."""
    if len(difference.resources) > MAX_RESOURCES:
        return False
    subjects = set()
    for s, p, o in difference.triples:
        if p in SCHEMA_PREDICATES or s in previous.properties or (p == _RDF_TYPE and o in _SCHEMA_TYPES):
            return False
        if s is not None:
            subjects.add(s)
    if not subjects:
        return True
    found = store.query(
        f"ASK {{ {values('s', subjects)} ?s a ?type . VALUES ?type {{ <{PL}SourceKind> <{PL}Urgency> }} }}"
    )
    return not bool(found)


def patch(previous: Projection, store: Store, difference: Difference, version: int) -> Projection:
    """The projection at ``version``: ``previous`` with what ``difference`` touched read again."""
    rows = reader(store)
    touched = difference.resources
    properties = previous.properties

    sources = dict(previous.sources)
    fresh_sources = read_sources(rows, touched)
    changed_sources = {iri for iri in touched if sources.get(iri) != fresh_sources.get(iri)}
    for iri in touched:
        sources.pop(iri, None)
    sources.update(fresh_sources)

    entities = dict(previous.entities)

    def old_entity(iri: str):
        entity = previous.entities.get(entity_id(iri))
        return entity if entity is not None and entity.iri == iri else None

    def new_ref(iri: str) -> EntityRef | None:
        entity = entities.get(entity_id(iri))
        return entity.ref if entity is not None and entity.iri == iri else None

    def reread(iris: set[str]) -> None:
        fresh = read_entities(rows, iris, outside=new_ref)
        for iri in iris:
            if old_entity(iri) is not None:
                del entities[entity_id(iri)]
        entities.update(fresh)

    reread(set(touched))
    changed_refs = {iri for iri in touched if (old_entity(iri) and old_entity(iri).ref) != new_ref(iri)}
    # Entities that show a changed entity's label or kind in their broader/narrower: read them again too.
    shown_in = set()
    for iri in changed_refs:
        for entity in (old_entity(iri), entities.get(entity_id(iri))):
            if entity is not None:
                shown_in.update(ref.iri for ref in entity.broader + entity.narrower)
    shown_in -= touched
    if shown_in:
        reread(shown_in)

    holders = set(touched)
    for pattern, among in (
        ("?c pl:hasEvidence ?x .", touched),
        ("?ev oa:hasSelector ?x . ?c pl:hasEvidence ?ev .", touched),
        ("?ev pl:source ?x . ?c pl:hasEvidence ?ev .", changed_sources),
        ("{ ?c rdf:subject ?x } UNION { ?c rdf:object ?x } UNION { ?c pl:ratherThan ?x } UNION { ?c pl:between ?x }",
         changed_refs),
    ):
        if among:
            holders.update(text(row["c"]) for row in rows(f"SELECT DISTINCT ?c WHERE {{ {values('x', among)} {pattern} }}"))
    evidence = read_evidence(rows, CLAIM_EVIDENCE, sources, holders)
    fresh_claims = read_claims(rows, properties, new_ref, evidence, holders)
    claims = dict(previous.claims)
    draft = GraphDraft(previous.graph)
    # Plain facts change where a relation's triple came or went, where an end became or stopped being
    # an entity, and where a claim came or went (its direct triple turns into a fact or back).
    relations = {*properties, BROADER.iri}
    ends = {t for s, p, o in difference.triples if p in relations for t in (s, o) if t is not None} | changed_refs
    for iri in holders:
        old = claims.get(local(iri, NAMESPACES["plc"]))
        if old is not None and old.iri == iri:
            del claims[old.id]
            draft.remove_edge(old.subject.id, old.object.id, old.id)
            ends.update((old.subject.iri, old.object.iri))
    claims.update(fresh_claims)
    for claim in fresh_claims.values():
        draft.add_edge(claim.subject.id, claim.object.id, claim.id,
                       relation_data(properties[claim.predicate_iri], claim))
        ends.update((claim.subject.iri, claim.object.iri))

    for u, v, key in previous_facts(previous, {entity_id(iri) for iri in ends}):
        draft.remove_edge(u, v, key)
    for subject, predicate, obj in read_facts(rows, properties, lambda iri: new_ref(iri) is not None, ends):
        info = properties.get(predicate, BROADER)
        draft.add_edge(subject, obj, f"{subject}--{info.name}--{obj}", relation_data(info, None))

    changed_entities = {entity_id(iri) for iri in touched | shown_in}
    for node in changed_entities | draft.touched_nodes:
        if node in entities:
            draft.set_node(node, node_attributes(entities[node]))
        elif draft.has_edges(node):
            draft.set_node(node, {"label": local_name(node), "kind": None})
        else:
            draft.remove_node(node)
    examinable = (previous.examinable - {entity_id(iri) for iri in touched}) | read_examinable(rows, touched)
    red_flags = read_red_flags(rows, new_ref, sources)
    projection = Projection(version, draft.finish(), entities, claims, properties, red_flags, examinable, sources)
    changed_entities = {i for i in changed_entities if previous.entities.get(i) != entities.get(i)}
    projection.follow(previous, Change(frozenset(changed_entities), frozenset(draft.touched_nodes | changed_entities),
                                       frozenset(draft.groups)))
    return projection


def previous_facts(previous: Projection, nodes: set[str]) -> set[tuple[str, str, str]]:
    """``(u, v, key)`` of the plain facts (edges without a claim) at ``nodes`` in ``previous``."""
    graph = previous.graph
    found = set()
    for node in nodes:
        if node in graph:
            found.update((u, v, k) for u, v, k, d in graph.out_edges(node, keys=True, data=True) if d["claim"] is None)
            found.update((u, v, k) for u, v, k, d in graph.in_edges(node, keys=True, data=True) if d["claim"] is None)
    return found
