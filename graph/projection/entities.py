"""Reading the entities: each one's kind, label, definition, synonyms, mappings, categories and the
terms it is a kind of (``skos:broader``) or that are kinds of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ..model import Entity, EntityRef, Mapping
from .names import KIND_CLASSES, curie, entity_id, label_rank, local_name, text, values

__all__ = ["read_entities"]


def read_entities(
    rows, only: Iterable[str] | None = None, outside: Callable[[str], EntityRef | None] | None = None
) -> dict[str, Entity]:
    """Entity id -> :class:`Entity`: every entity, or (``only``) those of the given IRIs that are
    entities, with ``outside`` giving the refs of the entities not read (the previous snapshot's)."""
    only = None if only is None else sorted(only)
    kinds: dict[str, str] = {}
    kind_order = list(KIND_CLASSES.values())
    classes = " ".join(f"<{iri}>" for iri in KIND_CLASSES)
    for row in rows(
        f"""SELECT DISTINCT ?e ?kind WHERE {{ {values("e", only)}
            VALUES ?kind {{ {classes} }}
            ?e a ?type . ?type rdfs:subClassOf* ?kind . FILTER(isIRI(?e)) }}"""
    ):
        iri, kind = text(row["e"]), KIND_CLASSES[text(row["kind"])]
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
    # Every entity: one index scan per predicate; a few: their own triples, filtered by predicate.
    wanted = "rdfs:label skos:definition skos:altLabel biolink:category skos:broader skos:exactMatch skos:closeMatch"
    pattern = (f"VALUES ?p {{ {wanted} }} ?e ?p ?o ." if only is None
               else f"{values('e', only)} ?e ?p ?o . FILTER(?p IN ({', '.join(wanted.split())}))")
    for row in rows(
        "SELECT ?e ?p ?o ?olabel WHERE { " + pattern
        + " OPTIONAL { ?o rdfs:label ?olabel . FILTER(?p IN (skos:exactMatch, skos:closeMatch)) } }"
    ):
        iri = text(row["e"])
        if iri not in kinds:
            continue
        p, o = text(row["p"]), row["o"]
        name = local_name(p)
        if name == "label":
            labels[iri].append(o)
        elif name == "definition":
            definitions[iri].append(o)
        elif name == "altLabel":
            synonyms[iri].append(text(o))
        elif name == "category":
            categories[iri].append(curie(text(o)))
        elif name == "broader":
            broader[iri].append(text(o))
        else:
            relation = "exact" if name == "exactMatch" else "close"
            mappings[iri].append(
                Mapping(relation, curie(text(o)), text(o), text(row["olabel"]) if "olabel" in row else None)
            )
    refs = {}
    for iri, kind in kinds.items():
        best = sorted(labels[iri], key=label_rank)
        label = text(best[0]) if best else local_name(iri)
        refs[iri] = EntityRef(entity_id(iri), iri, label, kind)
    read = set(only or ())

    def ref(iri: str) -> EntityRef | None:
        if iri in refs or outside is None or iri in read:
            return refs.get(iri)
        return outside(iri)

    narrower: dict[str, list[str]] = defaultdict(list)
    if only is None:
        for iri, parents in broader.items():
            for parent in parents:
                narrower[parent].append(iri)
    else:  # the kinds of a term read here may be entities not read: ask for them
        for row in rows(f"""SELECT ?c ?e WHERE {{ {values("e", refs)} ?c skos:broader ?e }}"""):
            narrower[text(row["e"])].append(text(row["c"]))
    entities = {}
    for iri, own in refs.items():
        best_def = sorted(definitions[iri], key=label_rank)
        entities[own.id] = Entity(
            id=own.id,
            iri=iri,
            label=own.label,
            kind=own.kind,
            definition=text(best_def[0]) if best_def else None,
            synonyms=tuple(sorted(set(synonyms[iri]), key=str.lower)),
            mappings=tuple(sorted(set(mappings[iri]), key=lambda m: (m.relation != "exact", m.curie))),
            categories=tuple(sorted(set(categories[iri]))),
            broader=_refs(ref, broader[iri]),
            narrower=_refs(ref, narrower[iri]),
        )
    return entities


def _refs(ref: Callable[[str], EntityRef | None], iris: Iterable[str]) -> tuple[EntityRef, ...]:
    found = (ref(iri) for iri in set(iris))
    return tuple(sorted((r for r in found if r is not None), key=lambda r: r.id))
