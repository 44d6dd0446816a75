"""Telling the candidate origins of one observed symptom apart: the differential explain answers with.

Differentials: for each observed symptom, the candidates that account for it *directly* (a path into
the symptom itself or a sign of it) with at least ``DIFFERENTIAL_SHARE`` (half) of the best such
strength, and that have a place in the body (``pl:locatedIn``), are grouped by that place. When two or
more places remain (foot drop from the lower back vs from the peroneal nerve at the knee), each place's
best candidate is listed with the findings that tell it from the others, each with its source:

* findings that ``pl:indicates`` a candidate of the group (or a kind of one) -- not a sign of some broad
  class the candidate belongs to, which says nothing about this candidate against the others;
* findings that point to an origin at this place *rather than* one at another place
  (``pl:ratherThan``: painless foot drop points to the peroneal nerve rather than a lumbar root);
* examinable findings (``pl:Sign``) that the group's candidates (or their direct broader terms, unless
  those are umbrella terms with ``UMBRELLA_KINDS`` or more kinds) cause and that the other places'
  candidates do not lead to within ``DOWNSTREAM_STEPS`` steps, nor to a kind of them (an L5 root
  problem makes heel walking hard);
* and, apart, findings a source says do *not* tell the origins apart (a contradicted
  ``pl:distinguishes``: the pattern of sensory loss does not separate an L5 root from the peroneal nerve).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .chains import weighted_causal_graph
from .model import Differential, DifferentialOption, DistinguishingSign, EntityRef, ExplainedSymptom
from .projection import Projection

__all__ = ["DIFFERENTIAL_SHARE", "DOWNSTREAM_STEPS", "UMBRELLA_KINDS", "differential"]

#: A broader term with this many kinds or more is an umbrella ("lower back problem"): its effects do
#: not tell one of its kinds from a candidate elsewhere.
UMBRELLA_KINDS = 3
#: How many causal steps away a finding may be and still count as one the other origin can lead to.
DOWNSTREAM_STEPS = 2
DIFFERENTIAL_SHARE = 0.5


def differential(projection: Projection, symptom: str, found: dict[str, ExplainedSymptom], observed: set[str]):
    """Candidate origins of ``symptom`` in different places of the body, with the findings for each."""
    direct = {c: item for c, item in found.items() if item.match == "exact" and c not in observed}
    if not direct:
        return None
    floor = DIFFERENTIAL_SHARE * max(item.strength for item in direct.values())
    by_place: dict[str, list[str]] = defaultdict(list)
    for candidate, item in direct.items():
        places = projection.locations.get(candidate, ())
        if item.strength >= floor and places:
            by_place[places[0]].append(candidate)
    if len(by_place) < 2:
        return None
    family = {place: _family(projection, group) for place, group in by_place.items()}
    effects = {place: _effects_of(projection, members) for place, members in family.items()}
    downstream = {place: _downstream(projection, members) for place, members in family.items()}
    options = []
    for place, group in by_place.items():
        group.sort(key=lambda c: (-found[c].strength, projection.ref(c).label.casefold()))
        best = group[0]
        others = [p for p in by_place if p != place]
        # A finding the other places' candidates can also lead to, however indirectly, tells nothing
        # apart (pain down the leg comes from a lumbar root as well as from the peroneal nerve).
        other_effects = set().union(*(downstream[p] for p in others))
        signs = _signs_for(projection, family[place], symptom, observed)
        signs += _rather_than(projection, place, others, family, observed)
        for effect, (cause, claim) in sorted(effects[place].items()):
            related = {effect, *projection.narrower.get(effect, ()),
                       *(b for b in projection.broader.get(effect, ()) if not _umbrella(projection, b))}
            if effect != symptom and not related & other_effects and effect in projection.examinable:
                signs.append(DistinguishingSign(projection.ref(effect), claim, effect in observed,
                                                projection.ref(cause)))
        item = found[best]
        options.append(
            DifferentialOption(
                cause=projection.ref(best),
                locations=tuple(projection.ref(p) for p in projection.locations.get(best, ())),
                path=item.paths[0] if item.paths else None,
                signs=tuple(_unique_signs(signs)),
            )
        )
    options.sort(key=lambda o: (-found[o.cause.id].strength, o.cause.label.casefold()))
    unhelpful = _not_distinguishing(projection, symptom, observed)
    return Differential(projection.ref(symptom), tuple(options), _note(projection.ref(symptom), options),
                        tuple(unhelpful))


def _family(projection: Projection, group: list[str]) -> set[str]:
    """The candidates of a place and their direct broader terms that are not umbrella terms (an L5
    root compression and L5 radiculopathy; not "lower back problem", which has many kinds)."""
    members = set(group)
    for candidate in group:
        entity = projection.entities.get(candidate)
        for parent in entity.broader if entity is not None else ():
            if len(projection.narrower.get(parent.id, ())) < UMBRELLA_KINDS:
                members.add(parent.id)
    return members


def _effects_of(projection: Projection, members: set[str]) -> dict:
    """What any of ``members`` directly causes: effect id -> (the member, the claim)."""
    result = {}
    for member in sorted(members):
        for _, v, _, data in projection.graph.out_edges(member, keys=True, data=True):
            if data["group"] == "causal" and data["claim"] is not None:
                result.setdefault(v, (member, data["claim"]))
    return result


def _umbrella(projection: Projection, node: str) -> bool:
    return len(projection.narrower.get(node, ())) >= UMBRELLA_KINDS


def _downstream(projection: Projection, members: set[str]) -> set[str]:
    """What ``members`` lead to within ``DOWNSTREAM_STEPS`` causal steps (further, every chain of the
    article ends in back pain and foot problems, and nothing would tell anything apart)."""
    graph, _ = weighted_causal_graph(projection)
    reached: set[str] = set()
    for member in members:
        if member in graph:
            reached |= set(nx.single_source_shortest_path_length(graph, member, cutoff=DOWNSTREAM_STEPS))
    return reached


def _supported(claim) -> bool:
    # A sign only qualified or disputed by its sources is not offered as pointing anywhere.
    return claim.summary.supporting > 0 and claim.summary.supporting >= claim.summary.contradicting


def _indications(projection: Projection):
    for u, v, _, data in projection.edges_of_group("sign"):
        if data["predicate"] == "indicates" and data["claim"] is not None and _supported(data["claim"]):
            yield u, v, data["claim"]


def _signs_for(projection: Projection, members: set[str], symptom: str, observed: set[str]) -> list[DistinguishingSign]:
    """Findings that ``pl:indicates`` one of ``members`` or a kind of one (never a broad class)."""
    pointed = set(members) | {n for m in members for n in projection.narrower.get(m, ())}
    signs = [
        DistinguishingSign(projection.ref(u), claim, u in observed, projection.ref(v), claim.rather_than)
        for u, v, claim in _indications(projection)
        if v in pointed and u != symptom
    ]
    return sorted(signs, key=lambda s: s.sign.label.casefold())


def _at(projection: Projection, node: str, place: str, family: set[str]) -> bool:
    return node in family or place in projection.locations.get(node, ())


def _rather_than(projection: Projection, place: str, others: list[str], family: dict, observed: set[str]):
    """Findings that point to an origin at ``place`` rather than one at another place."""
    signs = []
    for u, v, claim in _indications(projection):
        if not claim.rather_than or not _at(projection, v, place, family[place]):
            continue
        if any(_at(projection, alt.id, other, family[other]) for alt in claim.rather_than for other in others):
            signs.append(DistinguishingSign(projection.ref(u), claim, u in observed, projection.ref(v),
                                            claim.rather_than))
    return signs


def _not_distinguishing(projection: Projection, symptom: str, observed: set[str]) -> list[DistinguishingSign]:
    """Findings said (``pl:distinguishes``) to tell the origins of ``symptom`` apart, where the weight of
    the evidence is against it: a source says they do not."""
    result = []
    for u, v, _, data in projection.graph.in_edges(symptom, keys=True, data=True):
        claim = data["claim"]
        if data["predicate"] != "distinguishes" or claim is None:
            continue
        if claim.summary.contradicting > claim.summary.supporting:
            result.append(DistinguishingSign(projection.ref(u), claim, u in observed, None, claim.between))
    return sorted(result, key=lambda s: s.sign.label.casefold())


def _unique_signs(signs: list[DistinguishingSign]) -> list[DistinguishingSign]:
    seen, result = set(), []
    for sign in signs:
        if (sign.sign.id, sign.claim.id) not in seen:
            seen.add((sign.sign.id, sign.claim.id))
            result.append(sign)
    return result


def _note(symptom: EntityRef, options: list[DifferentialOption]) -> str:
    parts = []
    for option in options:
        where = f" ({', '.join(loc.label for loc in option.locations)})" if option.locations else ""
        look = "; ".join(sorted({s.sign.label for s in option.signs}))
        parts.append(f"{option.cause.label}{where}" + (f" — points to it: {look}" if look else ""))
    return f"{symptom.label[0].upper()}{symptom.label[1:]} can come from different places: " + "; or ".join(parts) + "."
