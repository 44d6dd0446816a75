"""Reading what the schema and the sources say: relation properties (group, causal strength, label),
the kinds of source with their evidence weights, and the sources themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from painlink.ontology import NAMESPACES

from ..model import Source
from .names import GROUPS, PL, PropertyInfo, label_rank, local, local_name, text, values

__all__ = ["read_properties", "read_sources"]


def read_properties(rows) -> dict[str, PropertyInfo]:
    """Property IRI -> :class:`PropertyInfo`, for every property with a ``pl:propertyGroup``."""
    result: dict[str, PropertyInfo] = {}
    labels: dict[str, list] = defaultdict(list)
    for row in rows(
        """SELECT ?p ?group ?strength ?label WHERE {
            ?p pl:propertyGroup ?group .
            OPTIONAL { ?p pl:causalStrength ?strength }
            OPTIONAL { ?p rdfs:label ?label } }"""
    ):
        iri = text(row["p"])
        if "label" in row:
            labels[iri].append(row["label"])
        group_iri = text(row["group"])
        strength = float(text(row["strength"])) if "strength" in row else 0.0
        result[iri] = PropertyInfo(
            iri, local(iri, PL) if iri.startswith(PL) else local_name(iri), "",
            GROUPS.get(group_iri, local_name(group_iri).lower()), strength,
        )
    for iri, info in result.items():
        best = sorted(labels[iri], key=label_rank)
        label = text(best[0]) if best else info.name
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
        weight = float(text(row["weight"])) if "weight" in row else None
        rank = int(text(row["rank"])) if "rank" in row else 99
        kinds[text(row["k"])] = (text(row["label"]), weight, rank)
    return kinds


def read_sources(rows, only: Iterable[str] | None = None) -> dict[str, Source]:
    """Source IRI -> :class:`Source` (of the IRIs in ``only``, when given, that are sources)."""
    kinds = _source_kinds(rows)
    result = {}
    for row in rows(
        """SELECT ?s (SAMPLE(?t) AS ?title) (SAMPLE(?u) AS ?url) (SAMPLE(?c) AS ?copy)
                  (GROUP_CONCAT(STR(?k); separator=" ") AS ?kinds) WHERE {
            """ + values("s", only) + """
            ?s a pl:Source .
            OPTIONAL { ?s dcterms:title ?t } OPTIONAL { ?s schema:url ?u } OPTIONAL { ?s pl:localCopy ?c }
            OPTIONAL { ?s pl:sourceKind ?k }
        } GROUP BY ?s"""
    ):
        iri = text(row["s"])
        # The shapes allow one kind; if user data gives two, the stronger (lower rank) is not assumed:
        # the weaker one is kept, so doubt never raises a source's weight.
        known = [kinds[k] for k in text(row["kinds"]).split() if k in kinds] if "kinds" in row else []
        name, weight, _ = max(known, key=lambda k: k[2]) if known else (None, None, 0)
        result[iri] = Source(
            local(iri, NAMESPACES["pls"]), iri,
            text(row["title"]) if "title" in row else None,
            text(row["url"]) if "url" in row else None,
            text(row["copy"]) if "copy" in row else None,
            name,
            weight,
        )
    return result
