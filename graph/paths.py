"""The k best simple causal paths between two nodes, ranked by the score of :mod:`painlink.graph.scoring`.

The score is :mod:`painlink.graph.scoring`'s (an edge's weight from its claim's strength and evidence,
the geometric mean along the path, a length factor and hub damping).

The search
----------
:class:`PathSearch` is a depth-first branch-and-bound search over simple paths in the style of
:func:`networkx.all_simple_paths`: ``max_length`` is the depth cutoff, so longer paths are never built;
only nodes from which the target can be reached are entered; once ``limit`` paths are held, a branch is
abandoned as soon as no completion of it could beat the worst path held (the bound assumes every
further edge and node perfect); and ``max_expansions`` caps the work on very large graphs. Whenever a
limit may have hidden a path, :attr:`PathSearch.truncated_reasons` says which.

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_edge("foot", "gait", weight=0.5)
>>> G.add_edge("gait", "spine", weight=0.3)
>>> G.add_edge("spine", "back", weight=0.3)
>>> G.add_edge("foot", "back", weight=0.2)
>>> for path in best_causal_paths(G, "foot", "back", max_length=3, limit=5):
...     print(path.nodes, round(path.score, 3))
('foot', 'gait', 'spine', 'back') 0.288
('foot', 'back') 0.2
>>> search = PathSearch(G, "foot", "back", max_length=2, limit=5)
>>> [p.nodes for p in search], search.truncated_reasons
([('foot', 'back')], ('max_length',))
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import count, pairwise

import networkx as nx

from . import budget
from .exceptions import InvalidParameterError
from .limits import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT, check_int  # noqa: F401 -- also importable from here
from .scoring import (  # noqa: F401 -- the score's names, for those who import them from here
    FLOOR,
    LENGTH_DECAY,
    STANCE_VOTES,
    UNKNOWN_KIND_WEIGHT,
    claim_evidence_weight,
    evidence_weight,
    hub_damping,
)

__all__ = [
    "FLOOR",
    "LENGTH_DECAY",
    "MAX_COUNT_LIMIT",
    "MAX_LENGTH_LIMIT",
    "STANCE_VOTES",
    "UNKNOWN_KIND_WEIGHT",
    "PathSearch",
    "ScoredPath",
    "best_causal_paths",
    "check_int",
    "claim_evidence_weight",
    "evidence_weight",
    "hub_damping",
]

DEFAULT_MAX_EXPANSIONS = 200_000


@dataclass(frozen=True)
class ScoredPath:
    """A path found by :class:`PathSearch`: nodes, the parallel-edge keys used (None in a simple
    graph), the score and its parts."""

    nodes: tuple
    keys: tuple
    score: float
    edge_weights: tuple[float, ...]
    edge_mean: float
    length_factor: float
    hub_factor: float
    hub_damping: dict = field(default_factory=dict)


class PathSearch:
    """Best-first results of a bounded search for simple paths from ``source`` to ``target``.

    Iterate it for :class:`ScoredPath` objects, best first (ties broken by fewer edges, then node
    names, so results are stable). The search runs on the first iteration; after it,
    :attr:`truncated_reasons` holds ``"max_length"`` (a longer path may exist), ``"limit"`` (more paths
    than ``limit`` exist) and/or ``"max_expansions"`` (the work cap stopped the search).

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Edges carry ``weight`` in [0, 1] (see the module docstring). Parallel edges: the best is used.
    source, target : node
        Distinct nodes of ``G``.
    max_length : int
        Most edges in a path, 1 .. ``MAX_LENGTH_LIMIT``.
    limit : int
        Most paths returned, 1 .. ``MAX_COUNT_LIMIT``.
    weight : str
        Edge attribute holding the weight.
    degree : mapping, optional
        Node -> number of distinct causal neighbours for hub damping; by default taken from ``G``.
    max_expansions : int
        Most partial paths extended before giving up.

    Raises
    ------
    networkx.NodeNotFound
        If ``source`` or ``target`` is not in ``G``.
    InvalidParameterError
        If a limit is out of range, ``source == target``, or the weight of an edge the search could
        use (one between nodes that reach ``target``) is outside [0, 1].
    """

    def __init__(
        self,
        G: nx.DiGraph,
        source,
        target,
        *,
        max_length: int = 6,
        limit: int = 5,
        weight: str = "weight",
        degree: Mapping | None = None,
        max_expansions: int = DEFAULT_MAX_EXPANSIONS,
    ) -> None:
        for name in ("source", "target"):
            node = source if name == "source" else target
            if node not in G:
                raise nx.NodeNotFound(f"{name} {node!r} is not in the graph")
        if source == target:
            raise InvalidParameterError("target", "must differ from the source (a path needs two ends)")
        check_int("max_length", max_length, 1, MAX_LENGTH_LIMIT)
        check_int("limit", limit, 1, MAX_COUNT_LIMIT)
        check_int("max_expansions", max_expansions, 1, 10**9)
        self.G, self.source, self.target = G, source, target
        self.max_length, self.limit, self.max_expansions = max_length, limit, max_expansions
        self._weight = weight
        # Only nodes that can still reach the target are worth entering; the weights checked up front
        # are those of the edges among them -- every edge the search could use, and no others, so a
        # query on a large graph does not pay for the whole graph.
        self._reach = nx.ancestors(G, target) | {target}
        self._best = self._best_edges(G.subgraph(self._reach), weight)
        if degree is None:
            degree = {n: len(set(G.predecessors(n)) | set(G.successors(n))) for n in self._reach}
        self._damping = {n: hub_damping(degree.get(n, 0)) for n in self._reach}
        self.truncated_reasons: tuple[str, ...] = ()
        self._results: list[ScoredPath] | None = None

    @staticmethod
    def _best_edges(G, weight: str) -> dict:
        """(u, v) -> (w, key) of the best parallel edge; validates every weight up front."""
        best: dict = {}
        edges = G.edges(keys=True, data=weight) if G.is_multigraph() else ((u, v, None, w) for u, v, w in G.edges(data=weight))
        for u, v, key, w in edges:
            if not isinstance(w, (int, float)) or not 0 <= w <= 1 or math.isnan(w):
                raise InvalidParameterError(weight, f"edge {u!r} -> {v!r} has weight {w!r}; weights must lie in [0, 1]")
            current = best.get((u, v))
            if current is None or w > current[0] or (w == current[0] and str(key) < str(current[1])):
                best[(u, v)] = (w, key)
        return best

    def __iter__(self) -> Iterator[ScoredPath]:
        if self._results is None:
            self._results = self._search()
        return iter(self._results)

    # --- the search -----------------------------------------------------------------------------
    def _search(self) -> list[ScoredPath]:
        G, target, reach = self.G, self.target, self._reach
        if self.source not in reach:
            return []
        heap: list[tuple[float, int, ScoredPath]] = []  # min-heap of the best `limit` so far
        tie = count()
        reasons: set[str] = set()
        expansions = 0
        # Stack of (node path, log-weight sum, interior log-damping sum, iterator over successors).
        path = [self.source]
        log_w = [0.0]
        log_h = [0.0]
        stack = [iter(sorted(G.successors(self.source), key=str))]
        on_path = {self.source}
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                on_path.discard(path.pop())
                log_w.pop()
                log_h.pop()
                continue
            if child in on_path or child not in reach:
                continue
            expansions += 1
            budget.tick()
            if expansions > self.max_expansions:
                reasons.add("max_expansions")
                break
            u = path[-1]
            w, _ = self._best[(u, child)]
            m = len(path)  # edges once child is added
            lw = log_w[-1] + (math.log(w) if w > 0 else -math.inf)
            lh = log_h[-1] + (math.log(self._damping[u]) if m > 1 else 0.0)
            if child == target:
                found = self._score(path + [child], lw, lh)
                if len(heap) < self.limit:
                    heapq.heappush(heap, (self._rank(found), next(tie), found))
                else:
                    reasons.add("limit")
                    if self._rank(found) > heap[0][0]:
                        heapq.heapreplace(heap, (self._rank(found), next(tie), found))
                continue
            if m >= self.max_length:
                # The depth cutoff: a path through `child` would be longer than allowed.
                reasons.add("max_length")
                continue
            if len(heap) == self.limit and self._bound(m, lw, lh + math.log(self._damping[child])) <= heap[0][0][0]:
                reasons.add("limit")
                continue
            path.append(child)
            on_path.add(child)
            log_w.append(lw)
            log_h.append(lh)
            stack.append(iter(sorted(G.successors(child), key=str)))
        self.truncated_reasons = tuple(sorted(reasons))
        return [item for _, _, item in sorted(heap, key=lambda entry: entry[0], reverse=True)]

    @staticmethod
    def _rank(path: ScoredPath) -> tuple:
        # Higher is better: score, then fewer edges, then node names (reversed so "a" ranks above "b").
        return (path.score, -len(path.nodes), tuple(_Reversed(str(n)) for n in path.nodes))

    def _bound(self, m: int, lw: float, lh: float) -> float:
        """The best score any completion of a partial path of ``m`` edges could reach (every further
        edge weight and node damping taken as 1)."""
        best = 0.0
        for n in range(m + 1, self.max_length + 1):
            score = math.exp(lw / n) * LENGTH_DECAY ** (n - 1) * math.exp(lh / (n - 1))
            best = max(best, score)
        return best

    def _score(self, nodes: list, lw: float, lh: float) -> ScoredPath:
        n = len(nodes) - 1
        weights, keys = [], []
        for u, v in pairwise(nodes):
            w, key = self._best[(u, v)]
            weights.append(w)
            keys.append(key)
        edge_mean = math.exp(lw / n) if lw > -math.inf else 0.0
        length_factor = LENGTH_DECAY ** (n - 1)
        hub_factor = math.exp(lh / (n - 1)) if n > 1 else 1.0
        return ScoredPath(
            nodes=tuple(nodes),
            keys=tuple(keys),
            score=round(edge_mean * length_factor * hub_factor, 6),
            edge_weights=tuple(weights),
            edge_mean=round(edge_mean, 6),
            length_factor=round(length_factor, 6),
            hub_factor=round(hub_factor, 6),
            hub_damping={node: self._damping[node] for node in nodes[1:-1]},
        )


class _Reversed(str):
    """A string that sorts in reverse, so a max-ordering prefers alphabetically earlier names."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__lt__(self, other)


def best_causal_paths(G: nx.DiGraph, source, target, *, max_length: int = 6, limit: int = 5, **kwargs) -> Iterator[ScoredPath]:
    """Generate the ``limit`` best simple paths from ``source`` to ``target`` of at most ``max_length``
    edges, best first; see :class:`PathSearch` for parameters, exceptions and the truncation report.

    Inputs are checked when called, before the first path is asked for.
    """
    return iter(PathSearch(G, source, target, max_length=max_length, limit=limit, **kwargs))
