"""What a page draws: a small, self-contained picture model between the graph facade and pyvis.

The pages turn the facade's answers (a :class:`~painlink.graph.model.Subgraph` of the map: the
whole of it, a neighbourhood, the entities on ranked paths) into a :class:`Drawing` -- nodes with their hover-card text, edges with their claim and evidence,
which edges lie on which ranked path -- then :mod:`painlink.service.render` hands it to pyvis.
Keeping this step separate keeps pyvis at the edge and makes the capping rule testable alone.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace

from painlink.graph.model import Subgraph, SubgraphEdge
from painlink.graph.vocabulary import KINDS as KIND_TABLE
from painlink.graph.vocabulary import STANCES as STANCE_TABLE

__all__ = ["KINDS", "KIND_NAMES", "STANCES", "STANCE_NAMES", "Drawing", "DrawnNode", "cap", "from_subgraph"]

#: The kinds of entity in legend order, and what a reader calls each (legend, badges, hover cards);
#: the evidence stances and their names: from the one table, :mod:`painlink.graph.vocabulary`.
KINDS = tuple(KIND_TABLE)
KIND_NAMES = {kind.name: kind.label for kind in KIND_TABLE.values()}
STANCES = tuple(STANCE_TABLE)
STANCE_NAMES = {stance.name: stance.label for stance in STANCE_TABLE.values()}


@dataclass(frozen=True)
class DrawnNode:
    """An entity as drawn: id (for links), label, kind, and its hover-card text."""

    id: str
    label: str
    kind: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Drawing:
    """A picture to draw: nodes, and the engine's relations among them as they are
    (:class:`~painlink.graph.model.SubgraphEdge`: an arrow from subject to object, its property group
    picking the colour, its causal strength the line width, its claim -- None for a plain fact).

    ``paths`` lists the ranked paths (best first), each as indices into ``edges``; ``focus`` the
    entities drawn larger (the focus of a neighbourhood, the two ends of a path search).
    ``total_nodes`` / ``total_edges`` count what the view held before :func:`cap` cut it down.
    """

    title: str
    nodes: tuple[DrawnNode, ...]
    edges: tuple[SubgraphEdge, ...]
    focus: tuple[str, ...] = ()
    paths: tuple[tuple[int, ...], ...] = ()
    total_nodes: int = -1
    total_edges: int = -1

    def __post_init__(self) -> None:
        if self.total_nodes < 0:
            object.__setattr__(self, "total_nodes", len(self.nodes))
        if self.total_edges < 0:
            object.__setattr__(self, "total_edges", len(self.edges))

    @property
    def capped(self) -> bool:
        """True when part of the view was left out."""
        return len(self.nodes) < self.total_nodes or len(self.edges) < self.total_edges


def cap(drawing: Drawing, max_nodes: int) -> Drawing:
    """Keep at most ``max_nodes`` nodes, as one connected picture where the graph allows it.

    The focus and path nodes come first; then the drawing grows out from what it holds, best
    connected neighbour first, and when nothing borders it any more it starts again from the best
    connected node left. (Taking the best connected nodes wherever they are would scatter the
    drawing into unrelated pieces.) Edges whose ends were both kept stay; the totals remember what
    there was, so the page can say what it left out. A drawing within the limit comes back unchanged.

    Examples
    --------
    >>> nodes = tuple(DrawnNode(name, name, "symptom") for name in "abcde")
    >>> edges = (SubgraphEdge("ab", "a", "b", "causes", "causes", "causal"),
    ...          SubgraphEdge("ac", "a", "c", "causes", "causes", "causal"),
    ...          SubgraphEdge("cd", "c", "d", "causes", "causes", "causal"))
    >>> small = cap(Drawing("t", nodes, edges, focus=("d",)), 2)
    >>> [node.id for node in small.nodes], len(small.edges), small.total_nodes, small.capped
    (['c', 'd'], 1, 5, True)
    >>> [node.id for node in cap(Drawing("t", nodes, edges), 3).nodes]
    ['a', 'b', 'c']
    >>> cap(Drawing("t", nodes, edges), 10).capped
    False
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if len(drawing.nodes) <= max_nodes:
        return drawing
    neighbours: dict[str, set[str]] = {node.id: set() for node in drawing.nodes}
    for edge in drawing.edges:
        if edge.subject != edge.object:
            neighbours[edge.subject].add(edge.object)
            neighbours[edge.object].add(edge.subject)
    label = {node.id: node.label for node in drawing.nodes}
    on_paths = [
        end for path in drawing.paths for index in path
        for end in (drawing.edges[index].subject, drawing.edges[index].object)
    ]
    def rank(node: str) -> tuple[int, str, str]:
        return (-len(neighbours[node]), label[node], node)

    # What the view is about first; then grow along the edges, best connected neighbour first.
    keep = dict.fromkeys([node for node in dict.fromkeys([*drawing.focus, *on_paths]) if node in neighbours][:max_nodes])
    frontier = [rank(other) for node in keep for other in neighbours[node] if other not in keep]
    heapq.heapify(frontier)
    restarts = iter(sorted(neighbours, key=rank))  # when nothing borders the drawing: the best left
    while len(keep) < max_nodes:
        if frontier:
            node = heapq.heappop(frontier)[2]
        else:
            node = next((other for other in restarts if other not in keep), None)
            if node is None:
                break
        if node in keep:
            continue
        keep[node] = None
        for other in neighbours[node]:
            if other not in keep:
                heapq.heappush(frontier, rank(other))
    kept_edges = [index for index, edge in enumerate(drawing.edges) if edge.subject in keep and edge.object in keep]
    new_index = {old: new for new, old in enumerate(kept_edges)}
    paths = tuple(
        tuple(new_index[index] for index in path) for path in drawing.paths if all(i in new_index for i in path)
    )
    return replace(
        drawing,
        nodes=tuple(node for node in drawing.nodes if node.id in keep),
        edges=tuple(drawing.edges[index] for index in kept_edges),
        paths=paths,
        total_nodes=drawing.total_nodes,
        total_edges=drawing.total_edges,
    )


def from_subgraph(
    subgraph: Subgraph,
    title: str,
    *,
    focus: Sequence[str] = (),
    paths: Sequence[Sequence[str]] = (),
) -> Drawing:
    """A drawing of the engine's :class:`~painlink.graph.model.Subgraph` answer (its entities, by
    label, and every relation among them); ``paths`` are ranked paths as sequences of edge keys
    (claim ids), best first.

    Examples
    --------
    >>> from painlink.graph.model import Entity, SubgraphEdge
    >>> a, b = Entity("a", "urn:a", "A", "cause"), Entity("b", "urn:b", "B", "symptom", synonyms=("bee",))
    >>> edge = SubgraphEdge("a--causes--b", "a", "b", "causes", "causes", "causal", strength=1.0)
    >>> drawing = from_subgraph(Subgraph((a, b), (edge,)), "t", paths=[["a--causes--b"]])
    >>> [node.label for node in drawing.nodes], drawing.edges[0].predicate_label, drawing.paths
    (['A', 'B'], 'causes', ((0,),))
    """
    nodes = tuple(
        DrawnNode(id=e.id, label=e.label, kind=e.kind or "", definition=e.definition or "", synonyms=e.synonyms)
        for e in subgraph.nodes
    )
    index_of = {edge.key: index for index, edge in enumerate(subgraph.edges)}
    ranked = tuple(tuple(index_of[key] for key in path) for path in paths if all(key in index_of for key in path))
    return Drawing(title, nodes, subgraph.edges, focus=tuple(focus), paths=ranked)
