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

Differentials (the candidate origins of one symptom, and the findings that tell them apart) are
:mod:`painlink.graph.differentials`'.

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

from collections.abc import Sequence

from . import budget
from .chains import to_path, upstream_of, weighted_causal_graph
from .differentials import differential
from .exceptions import InvalidParameterError
from .limits import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT, check_int
from .model import ExplainedSymptom, ExplainResult, Explanation
from .paths import PathSearch
from .projection import Projection
from .scoring import claim_evidence_weight

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
        d for s in observed if (d := differential(projection, s, accounts[s], set(observed))) is not None
    )
    shown = specific[:limit]
    return ExplainResult(
        symptoms=tuple(projection.ref(s) for s in observed),
        explanations=tuple(shown),
        differentials=differentials,
        truncated=len(specific) > limit or len(unspecific) > max(0, limit - len(shown)),
        unspecific=tuple(unspecific[: max(0, limit - len(shown))]),
    )
