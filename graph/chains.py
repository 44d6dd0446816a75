"""Causal chains over a :class:`~painlink.graph.projection.Projection`: the weighted causal graph the
path search walks, and the conversion of found paths into :class:`~painlink.graph.model.Path` answers
with their claims, evidence, score breakdown and narration.

>>> from painlink.graph.store import OxigraphStore
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

from itertools import pairwise

import networkx as nx

from .model import Path, PathResult, PathStep, ScoreBreakdown
from .narrate import narrate_steps
from .paths import PathSearch, ScoredPath, evidence_weight
from .projection import Projection

__all__ = ["DEFAULT_LIMIT", "DEFAULT_MAX_LENGTH", "causal_paths", "to_path", "upstream_of", "weighted_causal_graph"]

DEFAULT_MAX_LENGTH = 6
DEFAULT_LIMIT = 5


def _build_weighted(projection: Projection) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(projection.graph.nodes)
    for u, v, key, data in projection.causal.edges(keys=True, data=True):
        claim = data["claim"]
        if claim is None:
            continue  # a causal triple without a claim has no evidence to weigh (the shapes forbid it)
        evidence = evidence_weight([(e.source.iri, e.stance) for e in claim.evidence])
        graph.add_edge(u, v, key=key, weight=round(data["strength"] * evidence, 6),
                       strength=data["strength"], evidence=evidence)
    degree = {n: len(set(graph.predecessors(n)) | set(graph.successors(n))) for n in graph}
    nx.freeze(graph)
    return graph, degree


def upstream_of(graph: nx.MultiDiGraph, node: str, depth: int) -> set[str]:
    """Nodes with a causal path of at most ``depth`` edges into ``node`` (``node`` itself excluded)."""
    return set(nx.single_source_shortest_path_length(graph.reverse(copy=False), node, cutoff=depth)) - {node}


def weighted_causal_graph(projection: Projection) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The causal edges with ``weight = strength x evidence`` (see :mod:`painlink.graph.paths`) and
    each node's number of distinct causal neighbours; built once per projection."""
    return projection.derived("weighted-causal", _build_weighted)


def to_path(projection: Projection, found: ScoredPath) -> Path:
    """A :class:`Path` answer for a search result: claims with evidence, breakdown, explanation."""
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
    )


def causal_paths(
    projection: Projection,
    source: str,
    target: str,
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    limit: int = DEFAULT_LIMIT,
) -> PathResult:
    """The ``limit`` best causal paths from node ``source`` to node ``target`` (ids), best first."""
    graph, degree = weighted_causal_graph(projection)
    search = PathSearch(graph, source, target, max_length=max_length, limit=limit, degree=degree)
    paths = tuple(to_path(projection, found) for found in search)
    return PathResult(
        source=projection.ref(source),
        target=projection.ref(target),
        paths=paths,
        max_length=max_length,
        limit=limit,
        truncated=bool(search.truncated_reasons),
        truncated_reasons=search.truncated_reasons,
    )
