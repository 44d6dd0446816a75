"""Reading the relations between entities: claims (with their evidence, qualifiers and summary) and
plain facts (a direct triple no claim stands for, such as standard anatomy or ``skos:broader``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from painlink.ontology import NAMESPACES

from ..model import Claim, Evidence, EntityRef
from .evidence import summarise
from .names import PropertyInfo, entity_id, local, local_name, text, values

__all__ = ["read_claims", "read_facts"]

_CLAIMS = """SELECT ?c ?s ?p ?o (SAMPLE(?st) AS ?statement) WHERE { %s
    ?c a pl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?c pl:statement ?st } } GROUP BY ?c ?s ?p ?o"""


def _rows_of_claims(rows, properties: Mapping[str, PropertyInfo], restriction: str) -> Iterable[tuple]:
    """(claim, subject, predicate, object, row) of the claims that relate two entities."""
    for row in rows(_CLAIMS % restriction):
        c, s, p, o = (text(row[k]) for k in ("c", "s", "p", "o"))
        if p not in properties or not isinstance(row["o"], type(row["s"])):
            continue  # not a relation between entities (the shapes reject it; skip, don't crash)
        yield c, s, p, o, row


def read_claims(
    rows,
    properties: Mapping[str, PropertyInfo],
    ref_of: Callable[[str], EntityRef | None],
    evidence: Mapping[str, list[Evidence]],
    only: Iterable[str] | None = None,
) -> dict[str, Claim]:
    """Claim id -> :class:`Claim` (of the claim IRIs in ``only``, when given); ``ref_of`` gives an
    entity's ref by IRI, ``evidence`` each claim IRI's items."""

    def ref(iri: str) -> EntityRef:
        return ref_of(iri) or EntityRef(entity_id(iri), iri, local_name(iri), None)

    annotations: dict[str, dict[str, list[EntityRef]]] = defaultdict(lambda: defaultdict(list))
    for row in rows(
        "SELECT ?c ?p ?o WHERE { " + values("c", only)
        + " VALUES ?p { pl:ratherThan pl:between } ?c a pl:Claim ; ?p ?o . FILTER(isIRI(?o)) }"
    ):
        annotations[text(row["c"])][local_name(text(row["p"]))].append(ref(text(row["o"])))
    claims: dict[str, Claim] = {}
    for c, s, p, o, row in _rows_of_claims(rows, properties, values("c", only)):
        info = properties[p]
        items = tuple(evidence.get(c, ()))
        claim_id = local(c, NAMESPACES["plc"])
        claims[claim_id] = Claim(
            id=claim_id,
            iri=c,
            subject=ref(s),
            predicate=info.name,
            predicate_iri=p,
            predicate_label=info.label,
            group=info.group,
            object=ref(o),
            statement=text(row["statement"]) if "statement" in row else None,
            evidence=items,
            summary=summarise(items),
            rather_than=tuple(sorted(annotations[c]["ratherThan"], key=lambda r: r.id)) if c in annotations else (),
            between=tuple(sorted(annotations[c]["between"], key=lambda r: r.id)) if c in annotations else (),
        )
    return claims


_FACTS = """SELECT ?s ?p ?o WHERE {
    { %s ?p pl:propertyGroup ?g . ?s ?p ?o . FILTER(isIRI(?o) && isIRI(?s)) }
    UNION { %s ?s skos:broader ?o . BIND(skos:broader AS ?p) } }"""


def read_facts(
    rows, properties: Mapping[str, PropertyInfo], is_entity: Callable[[str], bool], nodes: Iterable[str] | None = None
) -> list[tuple[str, str, str]]:
    """(subject id, predicate IRI, object id) of the direct triples between entities that no claim
    stands for: all of them, or (``nodes``) those with a subject or an object among the given IRIs."""
    if nodes is None:
        restrictions = [""]
    else:
        nodes = sorted(nodes)
        restrictions = [values("s", nodes), values("o", nodes)]
    claimed: set[tuple[str, str, str]] = set()
    found: list[tuple[str, str, str]] = []
    for restriction in restrictions:
        claimed.update((s, p, o) for _, s, p, o, _ in _rows_of_claims(rows, properties, restriction))
        found.extend((text(row["s"]), text(row["p"]), text(row["o"])) for row in rows(_FACTS % (restriction, restriction)))
    if nodes is not None:
        found = list(dict.fromkeys(found))  # a triple with both ends among the nodes came twice
    return [
        (entity_id(s), p, entity_id(o))
        for s, p, o in found
        if (s, p, o) not in claimed and (p in properties or (is_entity(s) and is_entity(o)))
    ]
