"""The :class:`Projection`: one immutable snapshot of the graph at a store version."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import networkx as nx

from ..model import Claim, Entity, EntityRef, RedFlag, Source
from .names import HIERARCHY, PLI, PropertyInfo, local_name

__all__ = ["Change", "Projection"]


@dataclass(frozen=True)
class Change:
    """What one step from a previous snapshot to the next changed, for what is kept beside a snapshot
    (:meth:`Projection.derived`) to follow it rather than be rebuilt: the ids of the entities added,
    removed or changed, of the nodes whose attributes or edges changed, and the groups of the edges
    added or removed."""

    entities: frozenset[str]
    nodes: frozenset[str]
    groups: frozenset[str]


#: Cached properties of a snapshot -> the edge groups they are made from: kept when none of those changed.
_CACHED_FROM = {"broader": {HIERARCHY}, "narrower": {HIERARCHY}, "locations": {"anatomy"}}


class Projection:
    """One snapshot of the graph at a store version: the MultiDiGraph plus the entities, claims and
    relation properties it was built from. Immutable once built; share it between threads freely."""

    def __init__(
        self,
        version: int,
        graph: nx.MultiDiGraph,
        entities: dict[str, Entity],
        claims: dict[str, Claim],
        properties: dict[str, PropertyInfo],
        red_flags: dict[str, RedFlag] | None = None,
        examinable: frozenset[str] = frozenset(),
        sources: dict[str, Source] | None = None,
    ) -> None:
        self.version = version
        self.graph = graph
        self.entities = entities
        self.claims = claims
        self.properties = properties
        self.red_flags = red_flags or {}
        #: Ids of the entities typed ``pl:Sign``: findings a clinician can test for (heel walking).
        self.examinable = examinable
        #: Source IRI -> :class:`Source`, every ``pl:Source`` (cited or not).
        self.sources = sources or {}
        self._derived: dict[str, object] = {}
        self._updates: dict[str, Callable[..., Any]] = {}
        nx.freeze(graph)

    def derived(self, name: str, build, update=None):
        """A structure computed from this snapshot once (``build(self)``) and kept with it, so the
        engine's indexes are rebuilt exactly when the projection is. Two threads racing may both build
        it; both results are equal, one is kept.

        ``update(value, previous, projection, change)``, when given, makes the value of the snapshot
        this one was patched from (:mod:`painlink.graph.projection.patch`) follow the
        :class:`Change` instead of being built again; it must return what ``build`` would."""
        if update is not None:
            self._updates.setdefault(name, update)
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def follow(self, previous: Projection, change: Change) -> None:
        """Carry over from ``previous`` what ``change`` leaves as it was, and update the derived
        structures that know how (called once, before anyone reads this snapshot)."""
        for name, groups in _CACHED_FROM.items():
            if name in previous.__dict__ and not groups & change.groups:
                self.__dict__[name] = previous.__dict__[name]
        self._updates.update(previous._updates)
        for name, value in list(previous._derived.items()):
            update = previous._updates.get(name)
            if update is not None:
                self._derived[name] = update(value, previous, self, change)

    def ref(self, node: str) -> EntityRef:
        """The :class:`EntityRef` of a node id."""
        entity = self.entities.get(node)
        if entity is not None:
            return entity.ref
        return EntityRef(node, PLI + node if "://" not in node else node, local_name(node), None)

    def edges_of_group(self, *groups: str) -> list[tuple[str, str, str, dict]]:
        """Edges ``(u, v, key, data)`` whose group is one of ``groups``."""
        return [(u, v, k, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if d["group"] in groups]

    @cached_property
    def causal(self) -> nx.MultiDiGraph:
        """The causal edges only (a read-only subgraph view): what the path engine walks."""
        return nx.subgraph_view(self.graph, filter_edge=lambda u, v, k: self.graph[u][v][k]["group"] == "causal")

    @cached_property
    def broader(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of the terms it is a kind of (``skos:broader``), transitively."""
        direct: dict[str, set[str]] = defaultdict(set)
        for u, v, _, _ in self.edges_of_group(HIERARCHY):
            direct[u].add(v)
        closure: dict[str, tuple[str, ...]] = {}
        for node, parents in direct.items():
            seen: list[str] = []
            stack = list(parents)
            while stack:
                item = stack.pop()
                if item not in seen and item != node:
                    seen.append(item)
                    stack.extend(direct.get(item, ()))
            closure[node] = tuple(seen)
        return closure

    @cached_property
    def narrower(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of the terms that are kinds of it, transitively."""
        result: dict[str, list[str]] = defaultdict(list)
        for node, ancestors in self.broader.items():
            for ancestor in ancestors:
                result[ancestor].append(node)
        return {node: tuple(sorted(items)) for node, items in result.items()}

    @cached_property
    def locations(self) -> dict[str, tuple[str, ...]]:
        """Node id -> ids of where it is in the body (``pl:locatedIn``)."""
        result: dict[str, list[str]] = defaultdict(list)
        for u, v, _, data in self.edges_of_group("anatomy"):
            if data["predicate"] == "locatedIn":
                result[u].append(v)
        return {node: tuple(items) for node, items in result.items()}
