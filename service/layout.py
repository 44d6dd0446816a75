"""Node positions for the drawn graph, computed in Python so the browser draws at once.

vis-network's physics takes over a minute to settle a thousand nodes; given x/y and physics off it
draws them in well under a second. The layout is deterministic (the same graph always looks the
same, so a clinician can find things again) and pure Python: :func:`layered` sets nodes out in
columns left to right along the direction of the relations (cause before effect), so a reader
follows a chain from left to right -- for the whole graph, a neighbourhood and a path view alike.
(A radial layout around the focus was tried for neighbourhoods: at depth 2 its edges criss-crossed
far more than the layered one's.)

Positions are in vis-network's canvas pixels; the page fits them into view.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

__all__ = ["Position", "layered"]

Position = tuple[float, float]


def _acyclic(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Successor lists with every cycle broken: an edge back to a node still on the depth-first
    stack is dropped (the classic feedback-arc heuristic), self loops too."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        if source != target and target not in successors[source]:
            successors[source].append(target)
    kept: dict[str, list[str]] = {node: [] for node in nodes}
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            node, remaining = stack[-1]
            for target in remaining:
                if state.get(target) == 1:
                    continue  # back edge: would close a cycle
                kept[node].append(target)
                if target not in state:
                    state[target] = 1
                    stack.append((target, iter(successors[target])))
                break
            else:
                state[node] = 2
                stack.pop()
    return kept


def _layers(nodes: Sequence[str], successors: dict[str, list[str]]) -> dict[str, int]:
    """Longest-path layering: a node sits one column right of its furthest predecessor."""
    indegree = {node: 0 for node in nodes}
    for targets in successors.values():
        for target in targets:
            indegree[target] += 1
    layer = {node: 0 for node in nodes}
    queue = deque(node for node in nodes if indegree[node] == 0)
    while queue:
        node = queue.popleft()
        for target in successors[node]:
            layer[target] = max(layer[target], layer[node] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                queue.append(target)
    # A source sits just left of its nearest successor, not in column 0: otherwise every root cause
    # piles up in the first column and the drawing becomes a tall thin strip.
    has_predecessor = {target for targets in successors.values() for target in targets}
    for node in nodes:
        if node not in has_predecessor and successors[node]:
            layer[node] = min(layer[target] for target in successors[node]) - 1
    return layer


def layered(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    column_gap: float = 300.0,
    row_gap: float = 95.0,
    aspect: float = 1.8,
    sweeps: int = 6,
) -> dict[str, Position]:
    """Place nodes in columns so that most edges point right (a Sugiyama-style layout).

    Parameters
    ----------
    nodes
        Node ids, in a stable order (it breaks ties, so the result is deterministic).
    edges
        ``(source, target)`` pairs between those nodes; cycles and self loops are allowed.
    column_gap, row_gap
        Distances between columns and between nodes within a column, in canvas pixels.
    aspect
        The width:height the drawing should come close to (a screen's). A column too tall for it is
        set out as a zigzag of several narrower sub-columns; columns too many for it are wrapped
        into bands, one below the other.
    sweeps
        Rounds of barycentre ordering (each one down and up) to reduce edge crossings.

    Returns
    -------
    dict
        ``{node: (x, y)}``, columns centred on y = 0. Nodes without any edge are set out in a
        grid below the columns, so they do not crowd the first one.

    Examples
    --------
    A chain runs left to right, one column per step:

    >>> layered(["a", "b", "c"], [("a", "b"), ("b", "c")], column_gap=100, row_gap=50)
    {'a': (0.0, 0.0), 'b': (100.0, 0.0), 'c': (200.0, 0.0)}

    A cycle is broken, an isolated node goes below:

    >>> spots = layered(["a", "b", "z"], [("a", "b"), ("b", "a")], column_gap=100, row_gap=50)
    >>> spots["a"][0] < spots["b"][0], spots["z"][1] > 0
    (True, True)

    A long chain wraps into bands instead of one line a screen cannot show:

    >>> chain = [str(n) for n in range(40)]
    >>> spots = layered(chain, list(zip(chain, chain[1:])), column_gap=100, row_gap=50)
    >>> max(x for x, _ in spots.values()) < 1500, len({y for _, y in spots.values()}) > 1
    (True, True)
    """
    order = list(dict.fromkeys(nodes))
    edge_list = list(edges)
    connected = {node for pair in edge_list for node in pair}
    drawn = [node for node in order if node in connected]
    isolated = [node for node in order if node not in connected]
    successors = _acyclic(drawn, ((s, t) for s, t in edge_list if s in connected and t in connected))
    layer = _layers(drawn, successors)

    columns: dict[int, list[str]] = defaultdict(list)
    for node in drawn:
        columns[layer[node]].append(node)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for source, target in edge_list:
        if source != target:
            neighbours[source].add(target)
            neighbours[target].add(source)

    # Barycentre ordering: each node moves to the mean rank of its neighbours in the columns already
    # placed; alternating directions settles most crossings in a few sweeps.
    rank = {node: index for column in columns.values() for index, node in enumerate(column)}

    def barycentre(node: str, key: int) -> float:
        placed = [rank[other] for other in neighbours[node] if layer.get(other) != key]
        return sum(placed) / len(placed) if placed else rank[node]

    keys = sorted(columns)
    for sweep in range(sweeps):
        for key in keys if sweep % 2 == 0 else reversed(keys):
            columns[key].sort(key=lambda node, key=key: (barycentre(node, key), rank[node]))
            for index, node in enumerate(columns[key]):
                rank[node] = index

    sub_gap = column_gap * 0.7

    def split(count: int, max_rows: int) -> tuple[int, int]:
        """(sub-columns, rows) for a column of ``count`` nodes at most ``max_rows`` tall."""
        subs = -(-count // max_rows)
        return subs, -(-count // subs)

    def misfit(max_rows: int) -> float:
        """How far the drawing's shape is from ``aspect`` (0 = exactly), on a log scale."""
        shapes = [split(len(columns[key]), max_rows) for key in keys]
        width = sum((subs - 1) * sub_gap + column_gap for subs, _ in shapes)
        height = (max(rows for _, rows in shapes) + 1) * row_gap
        return abs(math.log(width / (height * aspect)))

    tallest_column = max((len(column) for column in columns.values()), default=1)
    max_rows = min(range(tallest_column, 0, -1), key=misfit) if keys else 1

    # A long chain is far wider than a screen even with no column split: wrap the columns into bands
    # set one below the other, like lines of text.
    shapes = {key: split(len(columns[key]), max_rows) for key in keys}
    widths = {key: (shapes[key][0] - 1) * sub_gap + column_gap for key in keys}
    height = (max((rows for _, rows in shapes.values()), default=1) + 1) * row_gap
    total = sum(widths.values())
    band_count = max(1, round(math.sqrt(total / (height * aspect)))) if total > 2 * height * aspect else 1
    bands: list[list[int]] = [[]]
    for key in keys:
        if bands[-1] and sum(widths[k] for k in bands[-1]) + widths[key] > total / band_count:
            bands.append([])
        bands[-1].append(key)

    positions: dict[str, Position] = {}
    widest = 0.0
    band_top = 0.0
    for band in bands:
        rows_in_band = max(shapes[key][1] for key in band) if band else 1
        middle = band_top + (rows_in_band - 1) * row_gap / 2
        x = 0.0
        for key in band:
            column = columns[key]
            subs, rows = shapes[key]
            top = middle - (rows - 1) * row_gap / 2
            for index, node in enumerate(column):
                row, sub = divmod(index, subs)
                # Odd sub-columns shift half a row, so neighbouring labels do not line up and collide.
                offset = row_gap / 2 if sub % 2 else 0.0
                positions[node] = (float(x + sub * sub_gap), float(top + row * row_gap + offset))
            x += widths[key]
        widest = max(widest, x)
        band_top += (rows_in_band + 1.5) * row_gap
    if isolated:
        spacing = column_gap * 0.65  # room for a two-line label beside the next one
        per_row = max(4, int(widest // spacing))
        start_y = band_top + row_gap / 2 if drawn else 0.0
        for index, node in enumerate(isolated):
            row, col = divmod(index, per_row)
            positions[node] = (float(col * spacing), float(start_y + row * row_gap))
    return positions
