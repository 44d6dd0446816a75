"""A :class:`GraphDraft`: the next version of a frozen :class:`networkx.MultiDiGraph`, made by changing a
few nodes and edges without copying the rest and without touching the original.

networkx keeps a MultiDiGraph in plain dicts: ``_node[n]`` (attributes), ``_succ[u][v]`` and
``_pred[v][u]`` (one shared *key dict* ``{key: edge attributes}`` per node pair, the same object on both
sides). A draft starts with shallow copies of the three outer dicts (a few milliseconds at 100k nodes,
where ``graph.copy()`` takes seconds), so every node's adjacency is shared with the original; before
changing a pair it copies that pair's key dict, and the inner dicts holding it, into the draft alone.
Edge attribute dicts are never changed in place, only replaced, so sharing them is safe.

>>> import networkx as nx
>>> old = nx.MultiDiGraph([("a", "b", "k1"), ("b", "c", "k2")])
>>> draft = GraphDraft(old)
>>> draft.remove_edge("a", "b", "k1"); draft.add_edge("c", "d", "k3", {"group": "causal"})
>>> new = draft.finish()
>>> sorted(new.edges(keys=True)), sorted(old.edges(keys=True))
([('b', 'c', 'k2'), ('c', 'd', 'k3')], [('a', 'b', 'k1'), ('b', 'c', 'k2')])
"""

from __future__ import annotations

import networkx as nx

__all__ = ["GraphDraft"]


class GraphDraft:
    """Changes to ``graph`` (never modified) that :meth:`finish` turns into a new frozen graph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self._old = graph
        self._node = dict(graph._node)
        self._succ = dict(graph._succ)
        self._pred = dict(graph._pred)
        self._own_succ: set[str] = set()
        self._own_pred: set[str] = set()
        self._own_pairs: set[tuple[str, str]] = set()
        # Edges removed so far, with their attributes: one added back unchanged is no change at all.
        self._removed: dict[tuple[str, str, str], dict] = {}
        self._added: set[tuple[str, str, str]] = set()
        self._changed_nodes: set[str] = set()

    def _ensure_node(self, node: str) -> None:
        if node not in self._node:
            self._node[node] = {}
            self._succ[node], self._pred[node] = {}, {}
            self._own_succ.add(node)
            self._own_pred.add(node)

    def _key_dict(self, u: str, v: str) -> dict:
        """The draft's own key dict of the pair ``u -> v`` (created empty when there is none)."""
        if u not in self._own_succ:
            self._succ[u] = dict(self._succ[u])
            self._own_succ.add(u)
        if v not in self._own_pred:
            self._pred[v] = dict(self._pred[v])
            self._own_pred.add(v)
        if (u, v) not in self._own_pairs:
            keys = dict(self._succ[u].get(v, {}))
            self._succ[u][v] = self._pred[v][u] = keys
            self._own_pairs.add((u, v))
        return self._succ[u][v]

    def remove_edge(self, u: str, v: str, key: str) -> None:
        """Remove the edge ``u -> v`` keyed ``key``, if there is one."""
        if u not in self._succ or v not in self._succ[u] or key not in self._succ[u][v]:
            return
        keys = self._key_dict(u, v)
        data = keys.pop(key)
        if (u, v, key) in self._added:
            self._added.discard((u, v, key))
        else:
            self._removed.setdefault((u, v, key), data)
        if not keys:
            del self._succ[u][v], self._pred[v][u]
            self._own_pairs.discard((u, v))

    def add_edge(self, u: str, v: str, key: str, data: dict) -> None:
        """Add (or replace) the edge ``u -> v`` keyed ``key`` with the attributes ``data``."""
        self._ensure_node(u)
        self._ensure_node(v)
        before = self._removed.get((u, v, key))
        if before is not None and before == data:
            self._key_dict(u, v)[key] = before  # as it was: shared with the original again
            del self._removed[(u, v, key)]
            return
        self._key_dict(u, v)[key] = data
        self._added.add((u, v, key))

    def set_node(self, node: str, attributes: dict) -> None:
        """Give ``node`` (added if missing) exactly ``attributes``."""
        if self._node.get(node) == attributes and node in self._old:
            return
        self._ensure_node(node)
        self._node[node] = attributes
        self._changed_nodes.add(node)

    @property
    def touched_nodes(self) -> set[str]:
        """Nodes added, removed or given other attributes, and the ends of every edge that changed."""
        return self._changed_nodes | {n for u, v, _ in (*self._removed, *self._added) for n in (u, v)}

    @property
    def groups(self) -> set[str]:
        """Groups of the edges that changed (added, removed or given other attributes)."""
        removed = {data.get("group") for data in self._removed.values()}
        return removed | {self._succ[u][v][key].get("group") for u, v, key in self._added}

    def has_edges(self, node: str) -> bool:
        return bool(self._succ.get(node) or self._pred.get(node))

    def remove_node(self, node: str) -> None:
        """Remove ``node``, which has no edges left (nothing when it is not there)."""
        if node in self._node:
            del self._node[node], self._succ[node], self._pred[node]
            self._changed_nodes.add(node)

    def finish(self) -> nx.MultiDiGraph:
        """The new graph, frozen like every snapshot's."""
        graph = nx.MultiDiGraph()
        graph.graph.update(self._old.graph)
        graph._node = self._node
        graph._adj = graph._succ = self._succ
        graph._pred = self._pred
        return nx.freeze(graph)
