"""Causal chains over a :class:`~painlink.graph.projection.Projection`: the weighted causal graph the
path search walks, and the conversion of found paths into :class:`~painlink.graph.model.Path` answers
with their claims, evidence, score breakdown and narration.

>>> from painlink.graph.stores import OxigraphStore
>>> from painlink.graph.projection import build_projection, TINY
>>> import pyoxigraph as ox
>>> store = OxigraphStore(); store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> result = causal_paths(build_projection(store), "a", "b")
>>> [(p.node_ids, p.score) for p in result.paths]
[(('a', 'b'), 0.5)]
>>> print(result.paths[0].explanation)
A leads to b — because: s supports it (summary: a does b).
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import networkx as nx

from .model import Path, PathResult, PathStep, ScoreBreakdown
from .narrate import narrate_steps, rank_comparison, rank_rationale
from .paths import PathSearch, ScoredPath
from .scoring import claim_evidence_weight
from .projection import Change, Projection
from .projection.graph import GraphDraft

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_LENGTH",
    "causal_paths",
    "to_path",
    "upstream_of",
    "weighted_causal_graph",
    "with_kinds",
]

DEFAULT_MAX_LENGTH = 6
DEFAULT_LIMIT = 5


def _build_weighted(projection: Projection) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(projection.graph.nodes)
    for u, v, key, data in projection.causal.edges(keys=True, data=True):
        weighted = _weighted_edge(data)
        if weighted is not None:
            graph.add_edge(u, v, key=key, **weighted)
    degree = {n: len(set(graph.predecessors(n)) | set(graph.successors(n))) for n in graph}
    nx.freeze(graph)
    return graph, degree


def _weighted_edge(data: dict) -> dict | None:
    claim = data["claim"]
    if claim is None:
        return None  # a causal triple without a claim has no evidence to weigh (the shapes forbid it)
    evidence = claim_evidence_weight(claim.evidence)
    return {"weight": round(data["strength"] * evidence, 6), "strength": data["strength"], "evidence": evidence}


def _update_weighted(value, previous: Projection, projection: Projection, change: Change):
    """``value`` (the previous projection's weighted graph and degrees) following ``change``: the
    edges at the changed nodes are weighed again, the rest shared (equal to a build)."""
    graph, degree = value
    nodes = change.nodes
    draft = GraphDraft(graph)
    around = set(nodes)
    for node in nodes:
        if node in graph:
            for u, v, key in [*graph.out_edges(node, keys=True), *graph.in_edges(node, keys=True)]:
                draft.remove_edge(u, v, key)
                around.update((u, v))
    for node in nodes:
        if node not in projection.graph:
            draft.remove_node(node)
            continue
        draft.set_node(node, {})
        causal = projection.causal
        for u, v, key, data in [*causal.out_edges(node, keys=True, data=True), *causal.in_edges(node, keys=True, data=True)]:
            weighted = _weighted_edge(data)
            if weighted is not None:
                draft.add_edge(u, v, key, weighted)
                around.update((u, v))
    graph = draft.finish()
    degree = dict(degree)
    for node in around:
        if node in graph:
            degree[node] = len(set(graph.predecessors(node)) | set(graph.successors(node)))
        else:
            degree.pop(node, None)
    return graph, degree


def upstream_of(graph: nx.MultiDiGraph, node: str, depth: int) -> set[str]:
    """Nodes with a causal path of at most ``depth`` edges into ``node`` (``node`` itself excluded)."""
    return set(nx.single_source_shortest_path_length(graph.reverse(copy=False), node, cutoff=depth)) - {node}


def weighted_causal_graph(projection: Projection) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The causal edges with ``weight = strength x evidence`` (see :mod:`painlink.graph.paths`) and
    each node's number of distinct causal neighbours; built once per projection."""
    return projection.derived("weighted-causal", _build_weighted, _update_weighted)


def to_path(projection: Projection, found: ScoredPath, *, via_source: str | None = None,
            via_target: str | None = None) -> Path:
    """A :class:`Path` answer for a search result: claims with evidence, breakdown, explanation and
    why it ranks where it does; ``via_source``/``via_target`` name the broader terms the question
    asked for when the chain starts or ends at a kind of them."""
    graph, _ = weighted_causal_graph(projection)
    steps = []
    for (u, v), key in zip(pairwise(found.nodes), found.keys, strict=True):
        data = graph[u][v][key]
        claim = projection.claims[key]
        steps.append(PathStep(claim, data["strength"], data["evidence"], data["weight"]))
    breakdown = ScoreBreakdown(
        edge_weights=found.edge_weights,
        edge_mean=found.edge_mean,
        length_factor=found.length_factor,
        hub_factor=found.hub_factor,
        hub_damping=dict(found.hub_damping),
    )
    return Path(
        nodes=tuple(projection.ref(n) for n in found.nodes),
        steps=tuple(steps),
        score=found.score,
        breakdown=breakdown,
        explanation=narrate_steps([step.claim for step in steps]),
        rationale=rank_rationale(steps, breakdown, found.score,
                                 {n: projection.ref(n).label for n in found.hub_damping}),
        via_source=projection.ref(via_source) if via_source else None,
        via_target=projection.ref(via_target) if via_target else None,
    )


def compare_ranks(paths: list[Path]) -> tuple[Path, ...]:
    """The paths, each after the first saying in words why it ranks below the one before it."""
    result = []
    for rank, path in enumerate(paths, start=1):
        if rank > 1:
            path = dataclasses.replace(path, rationale=f"{path.rationale} {rank_comparison(paths[rank - 2], path, rank - 1)}")
        result.append(path)
    return tuple(result)


def with_kinds(projection: Projection, node: str) -> list[str]:
    """``node`` and every term that is a kind of it (``skos:broader``, transitively): low back pain
    and chronic low back pain for back pain. Chains into (or from) a broad term include chains into
    (or from) its narrower ones."""
    return [node, *projection.narrower.get(node, ())]


def causal_paths(
    projection: Projection,
    source: str,
    target: str,
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    limit: int = DEFAULT_LIMIT,
) -> PathResult:
    """The ``limit`` best causal paths from node ``source`` to node ``target`` (ids), best first.

    Chains from a kind of ``source`` or into a kind of ``target`` count too (flat feet are linked with
    *low* back pain, a kind of back pain): each such path names the term asked for in ``via_source``
    / ``via_target``. A chain that passes through the other end, or through another kind of it, is a
    longer form of a chain already found and is left out.
    """
    graph, degree = weighted_causal_graph(projection)
    starts, ends = with_kinds(projection, source), with_kinds(projection, target)
    found: list[tuple[ScoredPath, str, str]] = []
    reasons: set[str] = set()
    for start in starts:
        for end in ends:
            if start == end or start not in graph or end not in graph:
                continue
            search = PathSearch(graph, start, end, max_length=max_length, limit=limit, degree=degree)
            for item in search:
                inner = set(item.nodes[1:-1])
                if inner & set(starts) or inner & set(ends):
                    continue
                found.append((item, start, end))
            reasons.update(search.truncated_reasons)
    found.sort(key=lambda f: (-f[0].score, len(f[0].nodes), tuple(map(str, f[0].nodes))))
    if len(found) > limit:
        reasons.add("limit")
    paths = compare_ranks([
        to_path(projection, item, via_source=source if start != source else None,
                via_target=target if end != target else None)
        for item, start, end in found[:limit]
    ])
    return PathResult(
        source=projection.ref(source),
        target=projection.ref(target),
        paths=paths,
        max_length=max_length,
        limit=limit,
        truncated=bool(reasons),
        truncated_reasons=tuple(sorted(reasons)),
    )
