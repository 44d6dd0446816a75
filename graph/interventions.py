"""What can be done about a target symptom or condition: interventions acting on the causal chains into
it, which of those chains they cut, and the evidence for and against each.

1. The *targets* are the target itself and every kind of it (``skos:broader``; low back pain is a
   kind of back pain), so what relieves low back pain is found for back pain, marked ``via``; the
   *covering* terms are those the target is a kind of (back pain for low back pain), so advice about
   "back pain" shows under low back pain, said so (``relation == "broader"``).
2. The *upstream* nodes are those with a causal path of at most ``max_length`` edges into a target; the
   chains considered are the best paths (up to ``PATHS_PER_PAIR`` per pair) from each upstream node that
   has no upstream cause of its own (a root) to each target.
3. An intervention is any subject of a ``pl:relieves`` / ``pl:prevents`` / ``pl:worsens`` claim whose
   object is a target, a covering term or an upstream node. It *cuts* a chain when it acts on one of the
   chain's nodes -- in networkx terms the nodes it acts on are a node cut for that chain -- and
   ``cuts_all`` says whether they separate every root from the target (checked on the causal graph with
   those nodes removed), or it acts on the target itself.
4. **Evidence is weighed per target.** Only claims about the target, a kind of it or a term covering it
   give ``evidence_for`` / ``evidence_against`` / ``evidence_qualifying`` and the ``weighed`` sides (by
   kind of source); evidence that it relieves an upstream cause (foot pain, on a chain into back pain)
   is about that cause and is kept apart in ``evidence_upstream``.
5. Helpful interventions come first, then harmful, then mixed; within each, by score: the best over
   its claims of the claim's evidence weight (see :func:`painlink.graph.paths.evidence_weight`, sources
   weighed by kind) times the share of chains the node it acts on cuts (1 for the target, a kind of it
   or a covering term). A contradicted claim thus ranks low but is still shown, with the contradiction.

>>> from painlink.graph.stores import OxigraphStore
>>> from painlink.graph.projection import build_projection, TINY
>>> import pyoxigraph as ox
>>> store = OxigraphStore(); store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> result = interventions_for(build_projection(store), "b")
>>> [p.node_ids for p in result.paths], result.interventions
([('a', 'b')], ())
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from . import budget
from .chains import DEFAULT_MAX_LENGTH, to_path, upstream_of, weighted_causal_graph
from .limits import MAX_LENGTH_LIMIT, check_int
from .model import Action, Evidence, InterventionAnswer, InterventionResult, Path
from .narrate import weigh_sides
from .paths import PathSearch
from .projection import Projection
from .scoring import claim_evidence_weight

__all__ = ["EFFECTS", "PATHS_PER_PAIR", "interventions_for"]

PATHS_PER_PAIR = 3
#: Intervention predicate -> what it does to the node it acts on.
EFFECTS = {"relieves": "helps", "prevents": "helps", "worsens": "harms"}
_EFFECT_ORDER = {"helps": 0, "harms": 1, "mixed": 2}


def interventions_for(projection: Projection, target: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> InterventionResult:
    """Interventions acting on the causal chains into ``target`` (a node id)."""
    check_int("max_length", max_length, 1, MAX_LENGTH_LIMIT)
    graph, degree = weighted_causal_graph(projection)
    targets = [target, *projection.narrower.get(target, ())]
    upstream: set[str] = set()
    for node in targets:
        if node in graph:
            upstream |= upstream_of(graph, node, max_length)
    upstream -= set(targets)
    roots = sorted(u for u in upstream if not any(p in upstream for p in graph.predecessors(u)))
    if not roots:  # every upstream node sits on a cycle: start from all of them
        roots = sorted(upstream)
    paths: list[Path] = []
    truncated = False
    for root in roots:
        for node in targets:
            if node not in graph or root == node:
                continue
            budget.candidate()
            search = PathSearch(graph, root, node, max_length=max_length, limit=PATHS_PER_PAIR, degree=degree)
            paths.extend(to_path(projection, found) for found in search)
            truncated = truncated or bool(search.truncated_reasons)
    paths.sort(key=lambda p: (-p.score, len(p.nodes), p.node_ids))
    covering = set(projection.broader.get(target, ()))
    answers = _answers(projection, graph, target, set(targets), covering, upstream, roots, paths)
    return InterventionResult(projection.ref(target), tuple(paths), tuple(answers), truncated)


def _relation(node: str, target: str, targets: set[str], covering: set[str]) -> str:
    if node == target:
        return "target"
    if node in targets:
        return "narrower"
    if node in covering:
        return "broader"
    return "upstream"


def _answers(projection, graph, target, targets, covering, upstream, roots, paths):
    acting: dict[str, list[Action]] = defaultdict(list)
    for u, v, _, data in projection.edges_of_group("intervention"):
        claim = data["claim"]
        if claim is None or (v not in targets and v not in covering and v not in upstream):
            continue
        relation = _relation(v, target, targets, covering)
        via = projection.ref(target) if relation in ("narrower", "broader") else None
        acting[u].append(Action(projection.ref(v), claim, via, relation))
    answers = []
    for intervention, actions in acting.items():
        budget.candidate()
        nodes = {a.node.id for a in actions}
        # Acting on the target itself, or on a term that covers it, acts on every chain into it.
        on_target = any(a.relation in ("target", "broader") for a in actions)
        cut = tuple(range(len(paths))) if on_target else tuple(i for i, p in enumerate(paths) if nodes & set(p.node_ids))
        effects = {EFFECTS.get(a.claim.predicate, "mixed") for a in actions}
        effect = effects.pop() if len(effects) == 1 else "mixed"
        about_target = _unique(e for a in actions if a.on_target for e in a.claim.evidence)
        upstream_items = _unique(e for a in actions if not a.on_target for e in a.claim.evidence)
        score = max(
            claim_evidence_weight(a.claim.evidence) * (1.0 if a.on_target else _share(a.node.id, target, paths))
            for a in actions
        )
        answers.append(
            InterventionAnswer(
                intervention=projection.ref(intervention),
                acts_on=tuple(sorted(actions, key=lambda a: (_ORDER[a.relation], a.node.label))),
                paths_cut=cut,
                cuts_all=on_target or _separates(graph, nodes, roots, target),
                acts_on_target=on_target,
                evidence_for=tuple(e for e in about_target if e.stance == "supports"),
                evidence_against=tuple(e for e in about_target if e.stance == "contradicts"),
                evidence_qualifying=tuple(e for e in about_target if e.stance == "qualifies"),
                effect=effect,
                score=round(score, 6),
                evidence_upstream=tuple(upstream_items),
                weighed=weigh_sides(about_target) if about_target else "",
            )
        )
    answers.sort(key=lambda a: (_EFFECT_ORDER[a.effect], -a.score, a.intervention.label.casefold()))
    return answers


_ORDER = {"target": 0, "narrower": 1, "broader": 2, "upstream": 3}


def _share(node: str, target: str, paths: list[Path]) -> float:
    """The share of chains acting on ``node`` cuts."""
    if node == target:
        return 1.0
    return sum(1 for p in paths if node in p.node_ids) / len(paths) if paths else 0.0


def _separates(graph: nx.MultiDiGraph, nodes: set[str], roots: list[str], target: str) -> bool:
    """Whether removing ``nodes`` leaves no causal path from any root to ``target``."""
    if target not in graph or not roots:
        return False
    rest = nx.restricted_view(graph, nodes, [])
    return not any(root in rest and nx.has_path(rest, root, target) for root in roots if root not in nodes)


def _unique(items) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for item in items:
        seen.setdefault(item.iri, item)
    return list(seen.values())
