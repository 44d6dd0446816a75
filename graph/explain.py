"""Which causes would explain a set of observed symptoms, and how to tell candidate origins apart.

How a candidate cause ``C`` accounts for an observed symptom ``S`` (its *strength*, in [0, 1]):

* by a causal path ``C -> ... -> S``: the path's score (see :mod:`painlink.graph.paths`);
* by a causal path into a term ``S`` is a kind of (``skos:broader``; sciatica causes numbness, foot
  numbness is a kind of numbness): the path score times ``BROADER_FACTOR`` (0.5) -- the general claim
  covers the specific symptom only in part;
* by a causal path into a kind of ``S`` (``S`` = "foot problem", ``C`` causes foot drop): the path
  score times ``NARROWER_FACTOR`` (0.8);
* by a sign: ``S pl:indicates C`` counts with the claim's evidence weight; ``S`` indicating a term ``C``
  is a kind of counts with ``BROADER_FACTOR`` times that.

The best of these is kept per symptom. A candidate's score is the mean strength over all observed
symptoms (an unexplained symptom counts 0), so it grows both with how many symptoms the candidate
explains and with how strongly; candidates are ranked by score, then by how many symptoms they explain,
then by name. A cause that explains numbness and weakness as firmly as another explains numbness alone
scores twice as high.

Differentials: for each observed symptom, the candidates that account for it *directly* (a path into
the symptom itself or a sign of it, not through a broader or narrower term) with at least
``DIFFERENTIAL_SHARE`` (half) of the best such strength, and that have a place in the body
(``pl:locatedIn``), are grouped by that place. When two or more places remain (foot drop from the
lower back vs from the peroneal nerve at the knee), each place's best candidate is listed with the
signs that point to it -- findings that ``pl:indicates`` it (or a term it is a kind of), and findings
it causes that the candidates elsewhere do not.

>>> from painlink.graph.store import OxigraphStore
>>> from painlink.graph.projection import build_projection, TINY
>>> import pyoxigraph as ox
>>> store = OxigraphStore(); store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> result = explain_symptoms(build_projection(store), ["b"])
>>> [(e.cause.id, e.score, [s.symptom.id for s in e.explained]) for e in result.explanations]
[('a', 0.5, ['b'])]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

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
from .paths import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT, PathSearch, check_int, evidence_weight
from .projection import Projection

__all__ = ["BROADER_FACTOR", "DEFAULT_EXPLAIN_LENGTH", "MAX_SYMPTOMS", "NARROWER_FACTOR", "explain_symptoms"]

BROADER_FACTOR = 0.5
NARROWER_FACTOR = 0.8
DIFFERENTIAL_SHARE = 0.5
DEFAULT_EXPLAIN_LENGTH = 4
MAX_SYMPTOMS = 20


def _sign_edges(projection: Projection, symptom: str):
    for _, cause, _, data in projection.graph.out_edges(symptom, keys=True, data=True):
        if data["group"] == "sign" and data["predicate"] == "indicates" and data["claim"] is not None:
            yield cause, data["claim"]


def _evidence_of(claim) -> float:
    return evidence_weight([(e.source.iri, e.stance) for e in claim.evidence])


def _accounts(projection: Projection, symptom: str, max_length: int) -> dict[str, ExplainedSymptom]:
    """Candidate id -> how it best accounts for ``symptom``."""
    graph, degree = weighted_causal_graph(projection)
    observed = projection.ref(symptom)
    targets = {symptom: (1.0, None)}
    for broader in projection.broader.get(symptom, ()):
        targets.setdefault(broader, (BROADER_FACTOR, projection.ref(broader)))
    for narrower in projection.narrower.get(symptom, ()):
        targets.setdefault(narrower, (NARROWER_FACTOR, projection.ref(narrower)))
    best: dict[str, ExplainedSymptom] = {}

    def offer(candidate: str, item: ExplainedSymptom) -> None:
        current = best.get(candidate)
        if current is None or item.strength > current.strength:
            best[candidate] = item

    for target, (factor, via) in targets.items():
        if target not in graph:
            continue
        for candidate in upstream_of(graph, target, max_length):
            budget.candidate()
            search = PathSearch(graph, candidate, target, max_length=max_length, limit=1, degree=degree)
            found = next(iter(search), None)
            if found is not None:
                path = to_path(projection, found)
                offer(candidate, ExplainedSymptom(observed, round(factor * found.score, 6), (path,), None, via))
    for cause, claim in _sign_edges(projection, symptom):
        weight = _evidence_of(claim)
        offer(cause, ExplainedSymptom(observed, weight, (), claim, None))
        for narrower in projection.narrower.get(cause, ()):
            offer(narrower, ExplainedSymptom(observed, round(BROADER_FACTOR * weight, 6), (), claim, projection.ref(cause)))
    return best


def explain_symptoms(
    projection: Projection,
    symptoms: Sequence[str],
    *,
    limit: int = 10,
    max_length: int = DEFAULT_EXPLAIN_LENGTH,
) -> ExplainResult:
    """Rank the causes that would explain the observed ``symptoms`` (node ids), best first."""
    if not symptoms:
        raise InvalidParameterError("symptoms", "name at least one observed symptom or sign")
    if len(symptoms) > MAX_SYMPTOMS:
        raise InvalidParameterError("symptoms", f"at most {MAX_SYMPTOMS} symptoms at once, not {len(symptoms)}")
    check_int("limit", limit, 1, MAX_COUNT_LIMIT)
    check_int("max_length", max_length, 1, MAX_LENGTH_LIMIT)
    observed = list(dict.fromkeys(symptoms))  # keep order, drop repeats
    accounts = {s: _accounts(projection, s, max_length) for s in observed}
    candidates = {c for found in accounts.values() for c in found} - set(observed)
    explanations = []
    for candidate in candidates:
        explained = tuple(accounts[s][candidate] for s in observed if candidate in accounts[s])
        unexplained = tuple(projection.ref(s) for s in observed if candidate not in accounts[s])
        score = round(sum(item.strength for item in explained) / len(observed), 6)
        explanations.append(Explanation(projection.ref(candidate), explained, unexplained, score))
    explanations.sort(key=lambda e: (-e.score, -len(e.explained), e.cause.label.casefold()))
    differentials = tuple(
        d for s in observed if (d := _differential(projection, s, accounts[s], set(observed))) is not None
    )
    return ExplainResult(
        symptoms=tuple(projection.ref(s) for s in observed),
        explanations=tuple(explanations[:limit]),
        differentials=differentials,
        truncated=len(explanations) > limit,
    )


def _differential(projection: Projection, symptom: str, found: dict[str, ExplainedSymptom], observed: set[str]):
    """Candidate origins of ``symptom`` in different places of the body, with the signs for each."""
    direct = {c: item for c, item in found.items() if item.via is None and c not in observed}
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
    options = []
    direct_effects = {c: _effects(projection, c) for group in by_place.values() for c in group}
    for group in by_place.values():
        group.sort(key=lambda c: (-found[c].strength, projection.ref(c).label.casefold()))
        best = group[0]
        others = {c for g in by_place.values() if g is not group for c in g}
        other_effects = set().union(*(direct_effects[c].keys() for c in others)) if others else set()
        signs = _signs_for(projection, group, symptom, observed)
        for effect, claim in sorted(direct_effects[best].items()):
            if effect != symptom and effect not in other_effects and _is_sign(projection, effect):
                signs.append(DistinguishingSign(projection.ref(effect), claim, effect in observed))
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
    return Differential(projection.ref(symptom), tuple(options), _note(projection.ref(symptom), options))


def _effects(projection: Projection, cause: str) -> dict:
    """What ``cause`` directly causes: effect id -> claim."""
    return {
        v: data["claim"]
        for _, v, _, data in projection.graph.out_edges(cause, keys=True, data=True)
        if data["group"] == "causal" and data["claim"] is not None
    }


def _is_sign(projection: Projection, node: str) -> bool:
    # A finding someone can check (a symptom or sign), not another hidden cause.
    return projection.ref(node).kind == "symptom"


def _signs_for(projection: Projection, group: list[str], symptom: str, observed: set[str]) -> list[DistinguishingSign]:
    """Findings that ``pl:indicates`` a candidate of ``group`` or a term one of them is a kind of."""
    pointed = set(group) | {b for c in group for b in projection.broader.get(c, ())}
    signs = []
    for u, v, _, data in projection.edges_of_group("sign"):
        if data["predicate"] == "indicates" and v in pointed and u != symptom and data["claim"] is not None:
            signs.append(DistinguishingSign(projection.ref(u), data["claim"], u in observed))
    return sorted(signs, key=lambda s: s.sign.label.casefold())


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
