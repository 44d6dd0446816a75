"""What a page draws: a small, self-contained picture model between the graph facade and pyvis.

The pages turn the facade's answers (an entity's neighbourhood, ranked paths, the whole projection)
into a :class:`Drawing` -- nodes with their hover-card text, edges with their claim and evidence,
which edges lie on which ranked path -- then :mod:`painlink.service.render` hands it to pyvis.
Keeping this step separate keeps pyvis at the edge and makes the capping rule testable alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["KINDS", "STANCES", "Evidence", "DrawnNode", "DrawnEdge", "Drawing", "cap"]

#: The four kinds of entity, in legend order (design.md, "Schema").
KINDS = ("symptom", "anatomy", "cause", "intervention")

#: Evidence stances, in the order a reader weighs them.
STANCES = ("supports", "qualifies", "contradicts")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for a claim, as a hover card and a page show it.

    ``text`` is a verbatim quote when ``is_quote`` (the article), otherwise the graph's own-words
    summary of a cited source; ``source`` is the source's title and ``url`` its address, if any.
    """

    stance: str
    text: str
    is_quote: bool
    source: str
    url: str | None = None


@dataclass(frozen=True)
class DrawnNode:
    """An entity as drawn: id (for links), label, kind, and its hover-card text."""

    id: str
    label: str
    kind: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawnEdge:
    """One claim as an arrow from subject to object.

    ``group`` is the relation's group in design.md (causal, signs, anatomy, interventions), which
    picks its colour; ``strength`` is the causal strength of a causal relation (line width).
    """

    source: str
    target: str
    relation: str
    relation_label: str
    group: str
    claim: str = ""
    statement: str = ""
    evidence: tuple[Evidence, ...] = ()
    disputed: bool = False
    strength: float | None = None


@dataclass(frozen=True)
class Drawing:
    """A picture to draw.

    ``paths`` lists the ranked paths (best first), each as indices into ``edges``; ``focus`` the
    entities drawn larger (the focus of a neighbourhood, the two ends of a path search).
    ``total_nodes`` / ``total_edges`` count what the view held before :func:`cap` cut it down.
    ``layout`` is ``"layered"`` (left to right along the relations) or ``"radial"`` (rings around
    the first focus entity).
    """

    title: str
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]
    focus: tuple[str, ...] = ()
    paths: tuple[tuple[int, ...], ...] = ()
    total_nodes: int = -1
    total_edges: int = -1
    layout: str = "layered"

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
    """Keep at most ``max_nodes`` nodes: the focus and path nodes first, then the best connected.

    Edges whose ends were both kept stay; the totals remember what there was, so the page can say
    what it left out. A drawing within the limit comes back unchanged.

    Examples
    --------
    >>> nodes = tuple(DrawnNode(name, name, "symptom") for name in "abcd")
    >>> edges = (DrawnEdge("a", "b", "causes", "causes", "causal"),
    ...          DrawnEdge("a", "c", "causes", "causes", "causal"),
    ...          DrawnEdge("c", "d", "causes", "causes", "causal"))
    >>> small = cap(Drawing("t", nodes, edges, focus=("d",)), 2)
    >>> [node.id for node in small.nodes], len(small.edges), small.total_nodes, small.capped
    (['a', 'd'], 0, 4, True)
    >>> cap(Drawing("t", nodes, edges), 10).capped
    False
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if len(drawing.nodes) <= max_nodes:
        return drawing
    degree = {node.id: 0 for node in drawing.nodes}
    for edge in drawing.edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
        degree[edge.target] = degree.get(edge.target, 0) + 1
    on_paths = {
        end for path in drawing.paths for index in path for end in
        (drawing.edges[index].source, drawing.edges[index].target)
    }
    ranked = sorted(
        drawing.nodes,
        key=lambda node: (node.id not in drawing.focus, node.id not in on_paths, -degree[node.id], node.label),
    )
    keep = {node.id for node in ranked[:max_nodes]}
    kept_edges = [index for index, edge in enumerate(drawing.edges) if edge.source in keep and edge.target in keep]
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
