"""The networkx projection of the RDF: built once per store version with a handful of SPARQL SELECTs
(so it works the same on an embedded and a remote store), never by reading files.

* Nodes are entities, keyed by id (``foot-pain``; the full IRI for an entity outside ``pli:``), with
  ``label``, ``kind``, ``definition`` and ``synonyms``.
* Edges of the :class:`networkx.MultiDiGraph` run subject -> object and are keyed by claim id; each
  carries ``predicate`` (local name), ``group`` (``causal`` / ``sign`` / ``anatomy`` / ``intervention``
  from the schema's ``pl:propertyGroup``, or ``hierarchy`` for ``skos:broader``), ``strength`` (the
  predicate's ``pl:causalStrength``, 0 when it has none), ``claim`` (the :class:`~painlink.graph.model.Claim`
  with its evidence, None for a plain fact such as standard anatomy) and ``summary`` (items per
  stance and independent sources).

Property groups and causal strengths are read from the graph, so a schema change needs no code change.

>>> from painlink.graph.stores import OxigraphStore
>>> import pyoxigraph as ox
>>> store = OxigraphStore()
>>> store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> projection = build_projection(store)
>>> sorted(projection.graph.nodes)
['a', 'b']
>>> [(u, v, key, data["group"], data["strength"]) for u, v, key, data in projection.graph.edges(keys=True, data=True)]
[('a', 'b', 'a--causes--b', 'causal', 1.0)]
>>> projection.claims["a--causes--b"].summary
EvidenceSummary(supporting=1, qualifying=0, contradicting=0, sources=1, by_kind={'supports': {'guideline': 1}}, weak_sources_only=False)
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

import networkx as nx

from painlink.ontology import NAMESPACES

from .model import Claim, Entity, EntityRef, Evidence, EvidenceSummary, Mapping, Quote, RedFlag, Source
from .stores import Store

__all__ = ["TINY", "WEAK_KINDS", "Projection", "ProjectionCache", "PropertyInfo", "build_projection", "entity_id"]

PL = NAMESPACES["pl"]
PLI = NAMESPACES["pli"]
RDFS_LABEL = NAMESPACES["rdfs"] + "label"

#: rdf:type of each kind -> the kind's name (docs/design.md, "Schema").
KIND_CLASSES = {
    PL + "Symptom": "symptom",
    PL + "AnatomicalStructure": "anatomy",
    PL + "Cause": "cause",
    PL + "Intervention": "intervention",
}
#: Property group individuals -> short names used on edges and in JSON.
GROUPS = {
    PL + "CausalRelation": "causal",
    PL + "SignRelation": "sign",
    PL + "AnatomicalRelation": "anatomy",
    PL + "InterventionRelation": "intervention",
}
STANCES = {PL + "Supports": "supports", PL + "Qualifies": "qualifies", PL + "Contradicts": "contradicts"}
HIERARCHY = "hierarchy"
#: Kinds of source that are weak grounds on their own: a claim resting only on these says so.
WEAK_KINDS = frozenset({"commercial", "practice-page"})

_PREFIXES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in NAMESPACES.items()) + "\n"

#: A two-entity graph for examples and doctests.
TINY = """
@prefix pl: <https://w3id.org/painlink/vocab#> . @prefix pli: <https://w3id.org/painlink/id/> .
@prefix plc: <https://w3id.org/painlink/claim/> . @prefix plv: <https://w3id.org/painlink/evidence/> .
@prefix pls: <https://w3id.org/painlink/source/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pl:causes pl:propertyGroup pl:CausalRelation ; pl:causalStrength 1.0 ; rdfs:label "causes"@en .
pli:a a pl:Cause ; rdfs:label "a"@en .  pli:b a pl:Symptom ; rdfs:label "b"@en .
pli:a pl:causes pli:b .
plc:a--causes--b a pl:Claim ; rdf:subject pli:a ; rdf:predicate pl:causes ; rdf:object pli:b ;
    pl:hasEvidence plv:e1 .
plv:e1 a pl:Evidence ; pl:source pls:s ; pl:stance pl:Supports ; pl:summary "a does b" .
pls:s a pl:Source ; pl:sourceKind pl:Guideline .
pl:Guideline a pl:SourceKind ; rdfs:label "guideline" ; pl:evidenceWeight 1.0 ; pl:kindRank 1 .
"""


def entity_id(iri: str) -> str:
    """The id of an entity: its local name under ``pli:``, else the whole IRI.

    >>> entity_id("https://w3id.org/painlink/id/foot-pain"), entity_id("http://example.org/x")
    ('foot-pain', 'http://example.org/x')
    """
    return iri[len(PLI) :] if iri.startswith(PLI) and len(iri) > len(PLI) else iri


def _local(iri: str, namespace: str) -> str:
    return iri.removeprefix(namespace)


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


_BY_LENGTH = sorted(NAMESPACES.items(), key=lambda kv: -len(kv[1]))


@lru_cache(maxsize=4096)
def curie(iri: str) -> str:
    """A compact name for an external IRI (``HP:0025238``), the IRI itself when no prefix fits.

    >>> curie("http://purl.obolibrary.org/obo/HP_0025238"), curie("http://id.nlm.nih.gov/mesh/D001416")
    ('HP:0025238', 'MESH:D001416')
    """
    # The longest namespace wins: obo's HP_ must beat any shorter prefix of the same IRI.
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass(frozen=True)
class PropertyInfo:
    """A relation between entities as the schema describes it."""

    iri: str
    name: str
    label: str
    group: str | None
    strength: float


#: skos:broader as an edge: "is a kind of", its own group, never a causal step.
BROADER = PropertyInfo(NAMESPACES["skos"] + "broader", "broader", "is a kind of", HIERARCHY, 0.0)


def _text(term) -> str:
    return term.value


def _label_rank(term) -> int:
    # English first, then no language, then anything else, so every entity gets one stable label.
    language = getattr(term, "language", None)
    return 0 if language == "en" else 1 if not language else 2


class Projection:
    """One snapshot of the graph at a store version: the MultiDiGraph plus the entities, claims and
    relation properties it was built from. Immutable once built; share it between threads freely."""

    def __init__(
        self,
        version: int,
        graph: nx.MultiDiGraph,
        entities: dict[str, Entity],
        claims: dict[str, Claim],
        properties: dict[str, PropertyInfo],
        red_flags: dict[str, RedFlag] | None = None,
        examinable: frozenset[str] = frozenset(),
    ) -> None:
        self.version = version
        self.graph = graph
        self.entities = entities
        self.claims = claims
        self.properties = properties
        self.red_flags = red_flags or {}
        #: Ids of the entities typed ``pl:Sign``: findings a clinician can test for (heel walking).
        self.examinable = examinable
        self._derived: dict[str, object] = {}
        nx.freeze(graph)

    def derived(self, name: str, build):
        """A structure computed from this snapshot once (``build(self)``) and kept with it, so the
        engine's indexes are rebuilt exactly when the projection is. Two threads racing may both build
        it; both results are equal, one is kept."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def ref(self, node: str) -> EntityRef:
        """The :class:`EntityRef` of a node id."""
        entity = self.entities.get(node)
        if entity is not None:
            return entity.ref
        return EntityRef(node, PLI + node if "://" not in node else node, _local_name(node), None)

    def edges_of_group(self, *groups: str) -> list[tuple[str, str, str, dict]]:
        """Edges ``(u, v, key, data)`` whose group is one of ``groups``."""
        return [(u, v, k, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if d["group"] in groups]

    @cached_property
    def causal(self) -> nx.MultiDiGraph:
        """The causal edges only (a read-only subgraph view): what the path engine walks."""
        return nx.subgraph_view(self.graph, filter_edge=lambda u, v, k: self.graph[u][v][k]["group"] == "causal")

    @cached_property
    def broader(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of the terms it is a kind of (``skos:broader``), transitively."""
        direct: dict[str, set[str]] = defaultdict(set)
        for u, v, _, _ in self.edges_of_group(HIERARCHY):
            direct[u].add(v)
        closure: dict[str, tuple[str, ...]] = {}
        for node, parents in direct.items():
            seen: list[str] = []
            stack = list(parents)
            while stack:
                item = stack.pop()
                if item not in seen and item != node:
                    seen.append(item)
                    stack.extend(direct.get(item, ()))
            closure[node] = tuple(seen)
        return closure

    @cached_property
    def narrower(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of the terms that are kinds of it, transitively."""
        result: dict[str, list[str]] = defaultdict(list)
        for node, ancestors in self.broader.items():
            for ancestor in ancestors:
                result[ancestor].append(node)
        return {node: tuple(sorted(items)) for node, items in result.items()}

    @cached_property
    def locations(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of where it is in the body (``pl:locatedIn``)."""
        result: dict[str, list[str]] = defaultdict(list)
        for u, v, _, data in self.edges_of_group("anatomy"):
            if data["predicate"] == "locatedIn":
                result[u].append(v)
        return {node: tuple(items) for node, items in result.items()}


def build_projection(store: Store) -> Projection:
    """Read the store with SPARQL and build the :class:`Projection` for its current version."""
    version = store.version

    def rows(body: str) -> list[dict]:
        return store.select(_PREFIXES + body)

    properties = _properties(rows)
    sources = _sources(rows)
    entities = _entities(rows)
    evidence = _evidence(rows, sources)
    claims, facts = _claims(rows, properties, entities, evidence)
    red_flags = _red_flags(rows, entities, sources)
    examinable = frozenset(
        entity_id(_text(row["e"])) for row in rows("SELECT DISTINCT ?e WHERE { ?e a/rdfs:subClassOf* pl:Sign }")
    )
    graph = nx.MultiDiGraph()
    for entity in entities.values():
        graph.add_node(
            entity.id,
            label=entity.label,
            kind=entity.kind,
            definition=entity.definition,
            synonyms=entity.synonyms,
        )
    for claim in claims.values():
        _add_relation(graph, claim.subject.id, claim.object.id, claim.id, properties[claim.predicate_iri], claim)
    for subject, predicate, obj in facts:
        info = properties.get(predicate, BROADER)
        _add_relation(graph, subject, obj, f"{subject}--{info.name}--{obj}", info, None)
    for node in graph.nodes:
        # A node met only as the end of a relation (an untyped node in user data) still gets a label.
        graph.nodes[node].setdefault("label", _local_name(node))
        graph.nodes[node].setdefault("kind", None)
    return Projection(version, graph, entities, claims, properties, red_flags, examinable)


def _add_relation(graph: nx.MultiDiGraph, subject: str, obj: str, key: str, info: PropertyInfo, claim) -> None:
    graph.add_edge(
        subject,
        obj,
        key=key,
        predicate=info.name,
        predicate_label=info.label,
        group=info.group,
        strength=info.strength,
        claim=claim,
        summary=claim.summary if claim is not None else None,
    )


def _properties(rows) -> dict[str, PropertyInfo]:
    result: dict[str, PropertyInfo] = {}
    labels: dict[str, list] = defaultdict(list)
    for row in rows(
        """SELECT ?p ?group ?strength ?label WHERE {
            ?p pl:propertyGroup ?group .
            OPTIONAL { ?p pl:causalStrength ?strength }
            OPTIONAL { ?p rdfs:label ?label } }"""
    ):
        iri = _text(row["p"])
        if "label" in row:
            labels[iri].append(row["label"])
        group_iri = _text(row["group"])
        strength = float(_text(row["strength"])) if "strength" in row else 0.0
        result[iri] = PropertyInfo(
            iri, _local(iri, PL) if iri.startswith(PL) else _local_name(iri), "",
            GROUPS.get(group_iri, _local_name(group_iri).lower()), strength,
        )
    for iri, info in result.items():
        best = sorted(labels[iri], key=_label_rank)
        label = _text(best[0]) if best else info.name
        result[iri] = PropertyInfo(info.iri, info.name, label, info.group, info.strength)
    return result


def _source_kinds(rows) -> dict[str, tuple[str, float | None, int]]:
    """Source kind IRI -> (name, weight, rank), from the schema's ``pl:SourceKind`` individuals."""
    kinds = {}
    for row in rows(
        """SELECT ?k (SAMPLE(?l) AS ?label) (SAMPLE(?w) AS ?weight) (SAMPLE(?r) AS ?rank) WHERE {
            ?k a pl:SourceKind ; rdfs:label ?l .
            OPTIONAL { ?k pl:evidenceWeight ?w } OPTIONAL { ?k pl:kindRank ?r } } GROUP BY ?k"""
    ):
        weight = float(_text(row["weight"])) if "weight" in row else None
        rank = int(_text(row["rank"])) if "rank" in row else 99
        kinds[_text(row["k"])] = (_text(row["label"]), weight, rank)
    return kinds


def _sources(rows) -> dict[str, Source]:
    kinds = _source_kinds(rows)
    result = {}
    for row in rows(
        """SELECT ?s (SAMPLE(?t) AS ?title) (SAMPLE(?u) AS ?url) (SAMPLE(?c) AS ?copy)
                  (GROUP_CONCAT(STR(?k); separator=" ") AS ?kinds) WHERE {
            ?s a pl:Source .
            OPTIONAL { ?s dcterms:title ?t } OPTIONAL { ?s schema:url ?u } OPTIONAL { ?s pl:localCopy ?c }
            OPTIONAL { ?s pl:sourceKind ?k }
        } GROUP BY ?s"""
    ):
        iri = _text(row["s"])
        # The shapes allow one kind; if user data gives two, the stronger (lower rank) is not assumed:
        # the weaker one is kept, so doubt never raises a source's weight.
        known = [kinds[k] for k in _text(row["kinds"]).split() if k in kinds] if "kinds" in row else []
        name, weight, _ = max(known, key=lambda k: k[2]) if known else (None, None, 0)
        result[iri] = Source(
            _local(iri, NAMESPACES["pls"]), iri,
            _text(row["title"]) if "title" in row else None,
            _text(row["url"]) if "url" in row else None,
            _text(row["copy"]) if "copy" in row else None,
            name,
            weight,
        )
    return result


def _entities(rows) -> dict[str, Entity]:
    kinds: dict[str, str] = {}
    kind_order = list(KIND_CLASSES.values())
    values = " ".join(f"<{iri}>" for iri in KIND_CLASSES)
    for row in rows(
        f"""SELECT DISTINCT ?e ?kind WHERE {{
            VALUES ?kind {{ {values} }}
            ?e a ?type . ?type rdfs:subClassOf* ?kind . FILTER(isIRI(?e)) }}"""
    ):
        iri, kind = _text(row["e"]), KIND_CLASSES[_text(row["kind"])]
        # An entity should have one kind (the shapes enforce it); if user data gives two, keep the
        # first in the table's order so the answer does not depend on query order.
        if iri not in kinds or kind_order.index(kind) < kind_order.index(kinds[iri]):
            kinds[iri] = kind
    labels: dict[str, list] = defaultdict(list)
    definitions: dict[str, list] = defaultdict(list)
    synonyms: dict[str, list[str]] = defaultdict(list)
    categories: dict[str, list[str]] = defaultdict(list)
    broader: dict[str, list[str]] = defaultdict(list)
    mappings: dict[str, list[Mapping]] = defaultdict(list)
    for row in rows(
        """SELECT ?e ?p ?o ?olabel WHERE {
            VALUES ?p { rdfs:label skos:definition skos:altLabel biolink:category skos:broader
                        skos:exactMatch skos:closeMatch }
            ?e ?p ?o .
            OPTIONAL { ?o rdfs:label ?olabel . FILTER(?p IN (skos:exactMatch, skos:closeMatch)) } }"""
    ):
        iri = _text(row["e"])
        if iri not in kinds:
            continue
        p, o = _text(row["p"]), row["o"]
        name = _local_name(p)
        if name == "label":
            labels[iri].append(o)
        elif name == "definition":
            definitions[iri].append(o)
        elif name == "altLabel":
            synonyms[iri].append(_text(o))
        elif name == "category":
            categories[iri].append(curie(_text(o)))
        elif name == "broader":
            broader[iri].append(_text(o))
        else:
            relation = "exact" if name == "exactMatch" else "close"
            mappings[iri].append(
                Mapping(relation, curie(_text(o)), _text(o), _text(row["olabel"]) if "olabel" in row else None)
            )
    refs = {}
    for iri, kind in kinds.items():
        best = sorted(labels[iri], key=_label_rank)
        label = _text(best[0]) if best else _local_name(iri)
        refs[iri] = EntityRef(entity_id(iri), iri, label, kind)
    narrower: dict[str, list[str]] = defaultdict(list)
    for iri, parents in broader.items():
        for parent in parents:
            narrower[parent].append(iri)
    entities = {}
    for iri, ref in refs.items():
        best_def = sorted(definitions[iri], key=_label_rank)
        entities[ref.id] = Entity(
            id=ref.id,
            iri=iri,
            label=ref.label,
            kind=ref.kind,
            definition=_text(best_def[0]) if best_def else None,
            synonyms=tuple(sorted(set(synonyms[iri]), key=str.lower)),
            mappings=tuple(sorted(set(mappings[iri]), key=lambda m: (m.relation != "exact", m.curie))),
            categories=tuple(sorted(set(categories[iri]))),
            broader=tuple(sorted((refs[p] for p in set(broader[iri]) if p in refs), key=lambda r: r.id)),
            narrower=tuple(sorted((refs[c] for c in set(narrower[iri]) if c in refs), key=lambda r: r.id)),
        )
    return entities


def _evidence(rows, sources: dict[str, Source]) -> dict[str, list[Evidence]]:
    """Claim IRI -> its evidence items, by stance (supports, qualifies, contradicts), then id."""
    return _evidence_items(rows, "?c a pl:Claim ; pl:hasEvidence ?ev .", sources)


def _evidence_items(rows, pattern: str, sources: dict[str, Source]) -> dict[str, list[Evidence]]:
    """IRI of what ``pattern`` binds to ``?c`` -> its evidence items (``?ev``), by stance, then id."""
    result: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows(
        """SELECT ?c ?ev ?stance ?source ?exact ?prefix ?suffix ?summary ?cited WHERE {
            """ + pattern + """
            ?ev pl:stance ?stance ; pl:source ?source .
            OPTIONAL { ?ev oa:hasSelector ?sel . ?sel oa:exact ?exact .
                       OPTIONAL { ?sel oa:prefix ?prefix } OPTIONAL { ?sel oa:suffix ?suffix } }
            OPTIONAL { ?ev pl:summary ?summary }
            OPTIONAL { ?ev pl:citedClaim ?cited } }"""
    ):
        stance = STANCES.get(_text(row["stance"]))
        if stance is None:  # the shapes forbid it; a store filled by other means may still hold one
            continue
        source_iri = _text(row["source"])
        source = sources.get(source_iri) or Source(_local(source_iri, NAMESPACES["pls"]), source_iri)
        ev_iri = _text(row["ev"])
        quote = None
        if "exact" in row:
            quote = Quote(
                _text(row["exact"]),
                _text(row["prefix"]) if "prefix" in row else None,
                _text(row["suffix"]) if "suffix" in row else None,
            )
        result[_text(row["c"])].append(
            Evidence(
                id=_local(ev_iri, NAMESPACES["plv"]),
                iri=ev_iri,
                stance=stance,
                source=source,
                quote=quote,
                summary=_text(row["summary"]) if "summary" in row else None,
                cited_claim=_text(row["cited"]) if "cited" in row else None,
            )
        )
    for items in result.values():
        # One item per evidence IRI (several selectors or summaries would repeat rows), stable order.
        unique = {item.iri: item for item in sorted(items, key=lambda e: (e.quote is None, e.summary or ""))}
        # Supporting evidence first, then qualifying, then contradicting: the order readers expect.
        order = list(STANCES.values())
        items[:] = sorted(unique.values(), key=lambda e: (order.index(e.stance), _natural(e.id)))
    return result


def _natural(text: str) -> tuple:
    """Sort key that puts C2 before C10."""
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def summarise(evidence: list[Evidence] | tuple[Evidence, ...]) -> EvidenceSummary:
    """Count evidence items per stance, distinct sources, and distinct sources per stance and kind.

    >>> s = Source("s", "https://w3id.org/painlink/source/s", kind="commercial")
    >>> summary = summarise([Evidence("1", "i1", "supports", s), Evidence("2", "i2", "contradicts", s)])
    >>> summary.supporting, summary.contradicting, summary.sources, summary.by_kind, summary.weak_sources_only
    (1, 1, 1, {'supports': {'commercial': 1}, 'contradicts': {'commercial': 1}}, True)
    """
    by_kind: dict[str, dict[str, int]] = {}
    for stance in STANCES.values():
        kinds: dict[str, set[str]] = defaultdict(set)
        for e in evidence:
            if e.stance == stance:
                kinds[e.source.kind or "unknown"].add(e.source.iri)
        if kinds:
            by_kind[stance] = {kind: len(iris) for kind, iris in sorted(kinds.items())}
    source_kinds = {e.source.kind for e in evidence}
    return EvidenceSummary(
        supporting=sum(1 for e in evidence if e.stance == "supports"),
        qualifying=sum(1 for e in evidence if e.stance == "qualifies"),
        contradicting=sum(1 for e in evidence if e.stance == "contradicts"),
        sources=len({e.source.iri for e in evidence}),
        by_kind=by_kind,
        weak_sources_only=bool(evidence) and source_kinds <= WEAK_KINDS,
    )


def _claims(rows, properties, entities, evidence):
    refs_by_iri = {entity.iri: entity.ref for entity in entities.values()}

    def ref(iri: str) -> EntityRef:
        return refs_by_iri.get(iri) or EntityRef(entity_id(iri), iri, _local_name(iri), None)

    annotations: dict[str, dict[str, list[EntityRef]]] = defaultdict(lambda: defaultdict(list))
    for row in rows(
        """SELECT ?c ?p ?o WHERE { VALUES ?p { pl:ratherThan pl:between } ?c a pl:Claim ; ?p ?o . FILTER(isIRI(?o)) }"""
    ):
        annotations[_text(row["c"])][_local_name(_text(row["p"]))].append(ref(_text(row["o"])))
    claims: dict[str, Claim] = {}
    claimed: set[tuple[str, str, str]] = set()
    for row in rows(
        """SELECT ?c ?s ?p ?o (SAMPLE(?st) AS ?statement) WHERE {
            ?c a pl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
            OPTIONAL { ?c pl:statement ?st } } GROUP BY ?c ?s ?p ?o"""
    ):
        c, s, p, o = (_text(row[k]) for k in ("c", "s", "p", "o"))
        info = properties.get(p)
        if info is None or not isinstance(row["o"], type(row["s"])):
            continue  # not a relation between entities (the shapes reject it; skip, don't crash)
        items = tuple(evidence.get(c, ()))
        claim_id = _local(c, NAMESPACES["plc"])
        claims[claim_id] = Claim(
            id=claim_id,
            iri=c,
            subject=ref(s),
            predicate=info.name,
            predicate_iri=p,
            predicate_label=info.label,
            group=info.group,
            object=ref(o),
            statement=_text(row["statement"]) if "statement" in row else None,
            evidence=items,
            summary=summarise(items),
            rather_than=tuple(sorted(annotations[c]["ratherThan"], key=lambda r: r.id)) if c in annotations else (),
            between=tuple(sorted(annotations[c]["between"], key=lambda r: r.id)) if c in annotations else (),
        )
        claimed.add((s, p, o))
    facts = []
    for row in rows(
        """SELECT ?s ?p ?o WHERE {
            { ?p pl:propertyGroup ?g . ?s ?p ?o . FILTER(isIRI(?o) && isIRI(?s)) }
            UNION { ?s skos:broader ?o . BIND(skos:broader AS ?p) } }"""
    ):
        s, p, o = (_text(row[k]) for k in ("s", "p", "o"))
        if (s, p, o) in claimed:
            continue
        if p in properties or (s in refs_by_iri and o in refs_by_iri):
            facts.append((entity_id(s), p, entity_id(o)))
    return claims, facts


def _red_flags(rows, entities: dict[str, Entity], sources: dict[str, Source]) -> dict[str, RedFlag]:
    """Red flag id -> :class:`RedFlag`, from ``pl:RedFlag`` resources (schema: docs/design.md)."""
    refs = {entity.iri: entity.ref for entity in entities.values()}
    urgencies: dict[str, tuple[str, int]] = {}
    for row in rows(
        """SELECT ?u (SAMPLE(?l) AS ?label) (SAMPLE(?r) AS ?rank) WHERE {
            ?u a pl:Urgency ; rdfs:label ?l . OPTIONAL { ?u pl:urgencyRank ?r } } GROUP BY ?u"""
    ):
        urgencies[_text(row["u"])] = (_text(row["label"]), int(_text(row["rank"])) if "rank" in row else 99)
    fields: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows(
        """SELECT ?f ?p ?o WHERE {
            VALUES ?p { rdfs:label pl:warnsOf pl:redFlagSign pl:urgency pl:action pl:askAbout pl:question
                        pl:screensFor }
            ?f a pl:RedFlag ; ?p ?o . FILTER(isIRI(?f)) }"""
    ):
        fields[_text(row["f"])][_local_name(_text(row["p"]))].append(row["o"])
    # Evidence items of red flags are read like claims' (same query shape, keyed by the flag).
    items = _evidence_items(rows, "?c a pl:RedFlag ; pl:hasEvidence ?ev .", sources)
    result: dict[str, RedFlag] = {}
    for iri, values in fields.items():
        conditions = [refs[_text(o)] for o in values["warnsOf"] if _text(o) in refs]
        urgency = next((urgencies[_text(o)] for o in values["urgency"] if _text(o) in urgencies), None)
        if not conditions or urgency is None:
            continue  # the shapes require both; skip a malformed flag rather than show half a warning
        label = sorted(values["label"], key=_label_rank)
        flag_id = _local(iri, NAMESPACES["plr"]) if "plr" in NAMESPACES else _local_name(iri)

        def entity_refs(name: str) -> tuple[EntityRef, ...]:
            return tuple(sorted({refs[_text(o)] for o in values[name] if _text(o) in refs}, key=lambda r: r.id))

        result[flag_id] = RedFlag(
            id=flag_id,
            iri=iri,
            label=_text(label[0]) if label else flag_id,
            condition=conditions[0],
            signs=entity_refs("redFlagSign"),
            urgency=urgency[0],
            urgency_label=urgency[0],
            urgency_rank=urgency[1],
            action=_text(sorted(values["action"], key=_label_rank)[0]) if values["action"] else "",
            evidence=tuple(items.get(iri, ())),
            ask_about=entity_refs("askAbout"),
            questions=tuple(sorted(_text(o) for o in values["question"])),
            screens_for=entity_refs("screensFor"),
        )
    return result


class ProjectionCache:
    """Holds the current :class:`Projection` of a store and rebuilds it when ``store.version`` moves.

    Thread-safe: readers get the snapshot that was current when they asked; one thread rebuilds while
    others wait for it rather than building the same snapshot twice.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._current: Projection | None = None

    def get(self) -> Projection:
        current = self._current
        version = self.store.version
        if current is not None and current.version == version:
            return current
        with self._lock:
            current = self._current
            if current is None or current.version != self.store.version:
                current = build_projection(self.store)
                self._current = current
            return current
