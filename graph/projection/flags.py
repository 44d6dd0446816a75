"""Reading the red flags: presentations that need a serious condition ruled out first (never ranked)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from painlink.ontology import NAMESPACES

from ..model import EntityRef, RedFlag, Source
from .evidence import FLAG_EVIDENCE, read_evidence
from .names import label_rank, local, local_name, text, values

__all__ = ["read_red_flags"]


def read_red_flags(
    rows, ref_of: Callable[[str], EntityRef | None], sources: Mapping[str, Source]
) -> dict[str, RedFlag]:
    """Red flag id -> :class:`RedFlag`, from ``pl:RedFlag`` resources (schema: docs/design.md);
    ``ref_of`` gives an entity's ref by IRI (None for what is not an entity)."""
    urgencies: dict[str, tuple[str, int]] = {}
    for row in rows(
        """SELECT ?u (SAMPLE(?l) AS ?label) (SAMPLE(?r) AS ?rank) WHERE {
            ?u a pl:Urgency ; rdfs:label ?l . OPTIONAL { ?u pl:urgencyRank ?r } } GROUP BY ?u"""
    ):
        urgencies[text(row["u"])] = (text(row["label"]), int(text(row["rank"])) if "rank" in row else 99)
    fields: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    # The flags first, then their own triples: a pattern led by the predicates would read every label.
    flags = [text(row["f"]) for row in rows("SELECT ?f WHERE { ?f a pl:RedFlag . FILTER(isIRI(?f)) }")]
    for row in rows(
        "SELECT ?f ?p ?o WHERE { " + values("f", flags) + """ ?f ?p ?o .
            FILTER(?p IN (rdfs:label, pl:warnsOf, pl:redFlagSign, pl:urgency, pl:action, pl:askAbout, pl:question,
                          pl:screensFor)) }"""
    ):
        fields[text(row["f"])][local_name(text(row["p"]))].append(row["o"])
    # Evidence items of red flags are read like claims' (same query shape, keyed by the flag).
    items = read_evidence(rows, FLAG_EVIDENCE, sources)
    result: dict[str, RedFlag] = {}
    for iri, given in fields.items():
        conditions = [r for r in (ref_of(text(o)) for o in given["warnsOf"]) if r is not None]
        urgency = next((urgencies[text(o)] for o in given["urgency"] if text(o) in urgencies), None)
        if not conditions or urgency is None:
            continue  # the shapes require both; skip a malformed flag rather than show half a warning
        label = sorted(given["label"], key=label_rank)
        flag_id = local(iri, NAMESPACES["plr"]) if "plr" in NAMESPACES else local_name(iri)

        def entity_refs(name: str) -> tuple[EntityRef, ...]:
            found = {ref_of(text(o)) for o in given[name]} - {None}
            return tuple(sorted(found, key=lambda r: r.id))

        result[flag_id] = RedFlag(
            id=flag_id,
            iri=iri,
            label=text(label[0]) if label else flag_id,
            condition=conditions[0],
            signs=entity_refs("redFlagSign"),
            urgency=urgency[0],
            urgency_label=urgency[0],
            urgency_rank=urgency[1],
            action=text(sorted(given["action"], key=label_rank)[0]) if given["action"] else "",
            evidence=tuple(items.get(iri, ())),
            ask_about=entity_refs("askAbout"),
            questions=tuple(sorted(text(o) for o in given["question"])),
            screens_for=entity_refs("screensFor"),
        )
    return result

