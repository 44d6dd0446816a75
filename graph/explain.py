"""Which causes would explain a set of observed symptoms, and how to tell candidate origins apart.

How a candidate cause ``C`` accounts for an observed symptom ``S`` (its *strength*, in [0, 1]):

* by a causal path ``C -> ... -> S``: the path's score (see :mod:`painlink.graph.paths`);
* by a causal path into a kind of ``S`` (``S`` = "foot problem", ``C`` causes foot drop): the path
  score times ``NARROWER_FACTOR`` (0.8) -- it explains one form of ``S``;
* by a sign: ``S pl:indicates C`` counts with the claim's evidence weight -- and so does a sign ``S``
  is a kind of (``via``): difficulty starting to pass urine is a bladder change, a sign of cauda equina.

Those are *specific*. A cause that reaches ``S`` only through a term ``S`` is a kind of (back pain
"may cause a foot problem", foot numbness is a kind of foot problem), or only because ``S`` is a sign
of a broader term ``C`` is a kind of, does **not** explain ``S``: a cause of the broad term is not a
cause of the specific one. Such reaches are kept as *unspecific* (``match == "broader"``), never
counted in the score or in "explains N of M", and a candidate with nothing but unspecific reaches is
listed apart, after every specific candidate (:attr:`ExplainResult.unspecific`).

The best specific reach is kept per symptom. A candidate's score is the mean strength over all observed
symptoms (an unexplained symptom counts 0), so it grows both with how many symptoms the candidate
explains and with how strongly; candidates are ranked by score, then by how many symptoms they explain,
then by name. A cause that explains numbness and weakness as firmly as another explains numbness alone
scores twice as high.

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

>>> from painlink.graph.stores import OxigraphStore
>>> from painlink.graph.projection import build_projection, TINY
>>> import pyoxigraph as ox
>>> store = OxigraphStore(); store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> result = explain_symptoms(build_projection(store), ["b"])
>>> [(e.cause.id, e.score, [s.symptom.id for s in e.explained]) for e in result.explanations]
[('a', 0.5, ['b'])]
>>> result.unspecific
()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from . import budget
from .chains import to_path, upstream_of, weighted_causal_graph
from .exceptions import InvalidParameterError
from .model import (
    Differential,
    DifferentialOption,
    DistinguishingSign,
    EntityRef,
    ExplainedSymptom,
    ExplainResult,
    Explanation,
)
from .paths import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT, PathSearch, check_int, claim_evidence_weight
from .projection import Projection

__all__ = [
    "BROADER_FACTOR",
    "DEFAULT_EXPLAIN_LENGTH",
    "DEFAULT_EXPLAIN_LIMIT",
    "MAX_SYMPTOMS",
    "NARROWER_FACTOR",
    "explain_symptoms",
]

#: The strength an unspecific reach is shown with (through a broader term): for ordering the unspecific
#: list only; it never counts towards explaining a symptom.
BROADER_FACTOR = 0.5
NARROWER_FACTOR = 0.8
#: A broader term with this many kinds or more is an umbrella ("lower back problem"): its effects do
#: not tell one of its kinds from a candidate elsewhere.
UMBRELLA_KINDS = 3
#: How many causal steps away a finding may be and still count as one the other origin can lead to.
DOWNSTREAM_STEPS = 2
DIFFERENTIAL_SHARE = 0.5
#: How many steps a cause may be from a symptom, and how many candidates are shown, unless asked.
DEFAULT_EXPLAIN_LENGTH = 4
DEFAULT_EXPLAIN_LIMIT = 10
MAX_SYMPTOMS = 20


def _sign_edges(projection: Projection, symptom: str):
    for _, cause, _, data in projection.graph.out_edges(symptom, keys=True, data=True):
        if data["group"] == "sign" and data["predicate"] == "indicates" and data["claim"] is not None:
            yield cause, data["claim"]


def _evidence_of(claim) -> float:
    return claim_evidence_weight(claim.evidence)


def _accounts(projection: Projection, symptom: str, max_length: int) -> dict[str, ExplainedSymptom]:
    """Candidate id -> how it best accounts for ``symptom``: its best specific reach if it has one,
    else its best unspecific one (``match == "broader"``)."""
    graph, degree = weighted_causal_graph(projection)
    observed = projection.ref(symptom)
    targets = {symptom: (1.0, None, "exact")}
    for narrower in projection.narrower.get(symptom, ()):
        targets.setdefault(narrower, (NARROWER_FACTOR, projection.ref(narrower), "narrower"))
    for broader in projection.broader.get(symptom, ()):
        targets.setdefault(broader, (BROADER_FACTOR, projection.ref(broader), "broader"))
    best: dict[str, ExplainedSymptom] = {}

    def offer(candidate: str, item: ExplainedSymptom) -> None:
        current = best.get(candidate)
        if current is None or (item.specific, item.strength) > (current.specific, current.strength):
            best[candidate] = item

    for target, (factor, via, match) in targets.items():
        if target not in graph:
            continue
        for candidate in upstream_of(graph, target, max_length):
            budget.candidate()
            search = PathSearch(graph, candidate, target, max_length=max_length, limit=1, degree=degree)
            found = next(iter(search), None)
            if found is not None:
                path = to_path(projection, found)
                offer(candidate, ExplainedSymptom(observed, round(factor * found.score, 6), (path,), None, via, match))
    for cause, claim in _sign_edges(projection, symptom):
        weight = _evidence_of(claim)
        offer(cause, ExplainedSymptom(observed, weight, (), claim, None))
        for narrower in projection.narrower.get(cause, ()):
            # A sign of a broad class ("a lower back problem") says nothing of which kind it is.
            offer(narrower, ExplainedSymptom(observed, round(BROADER_FACTOR * weight, 6), (), claim,
                                             projection.ref(cause), "broader"))
    for broader in projection.broader.get(symptom, ()):
        # A kind of a sign is that sign: difficulty starting to pass urine is a new bladder change,
        # which points to cauda equina syndrome.
        for cause, claim in _sign_edges(projection, broader):
            offer(cause, ExplainedSymptom(observed, _evidence_of(claim), (), claim, projection.ref(broader)))
    return best


def explain_symptoms(
    projection: Projection,
    symptoms: Sequence[str],
    *,
    limit: int = DEFAULT_EXPLAIN_LIMIT,
    max_length: int = DEFAULT_EXPLAIN_LENGTH,
) -> ExplainResult:
    """Rank the causes that would explain the observed ``symptoms`` (node ids), best first; causes
    that reach them only through broader terms come apart, in :attr:`ExplainResult.unspecific`."""
    if not symptoms:
        raise InvalidParameterError("symptoms", "name at least one observed symptom or sign")
    if len(symptoms) > MAX_SYMPTOMS:
        raise InvalidParameterError("symptoms", f"at most {MAX_SYMPTOMS} symptoms at once, not {len(symptoms)}")
    check_int("limit", limit, 1, MAX_COUNT_LIMIT)
    check_int("max_length", max_length, 1, MAX_LENGTH_LIMIT)
    observed = list(dict.fromkeys(symptoms))  # keep order, drop repeats
    accounts = {s: _accounts(projection, s, max_length) for s in observed}
    candidates = {c for found in accounts.values() for c in found} - set(observed)
    specific, unspecific = [], []
    for candidate in candidates:
        reaches = [accounts[s][candidate] for s in observed if candidate in accounts[s]]
        explained = tuple(item for item in reaches if item.specific)
        vague = tuple(item for item in reaches if not item.specific)
        explained_ids = {item.symptom.id for item in explained}
        unexplained = tuple(projection.ref(s) for s in observed if s not in explained_ids)
        score = round(sum(item.strength for item in explained) / len(observed), 6)
        explanation = Explanation(projection.ref(candidate), explained, unexplained, score, vague)
        (specific if explained else unspecific).append(explanation)
    specific.sort(key=lambda e: (-e.score, -len(e.explained), e.cause.label.casefold()))
    unspecific.sort(key=lambda e: (-len(e.unspecific), -max(i.strength for i in e.unspecific),
                                   e.cause.label.casefold()))
    differentials = tuple(
        d for s in observed if (d := _differential(projection, s, accounts[s], set(observed))) is not None
    )
    shown = specific[:limit]
    return ExplainResult(
        symptoms=tuple(projection.ref(s) for s in observed),
        explanations=tuple(shown),
        differentials=differentials,
        truncated=len(specific) > limit or len(unspecific) > max(0, limit - len(shown)),
        unspecific=tuple(unspecific[: max(0, limit - len(shown))]),
    )


def _differential(projection: Projection, symptom: str, found: dict[str, ExplainedSymptom], observed: set[str]):
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
