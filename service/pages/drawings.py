"""What the graph pages draw: the engine's subgraph answers made drawings (:mod:`painlink.service.drawing`),
capped to :data:`MAX_DRAWN_NODES` with a note saying what was left out, on the graph page."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse

from painlink.graph import QUESTIONS, Knowledge, Question
from painlink.service.drawing import Drawing, cap, from_subgraph
from painlink.service.render import graph_data

from .rendering import entity_names, render_page

__all__ = ["MAX_DRAWN_NODES", "capped_message", "focus_drawing", "graph_page", "whole_drawing"]


#: The most nodes one drawing shows; a larger view is cut down (best connected first) with a note.
MAX_DRAWN_NODES = 250


def capped_message(drawing: Drawing) -> str:
    """What a capped drawing left out and how to narrow the view ("" when nothing was left out)."""
    if not drawing.capped:
        return ""
    return (
        f"This view holds {drawing.total_nodes:,} entities and {drawing.total_edges:,} relations, too many to "
        f"draw usefully. The drawing shows {len(drawing.nodes):,} of the entities (the best connected and "
        f"those linked to them) and the {len(drawing.edges):,} relations among them; it leaves out "
        f"{drawing.total_nodes - len(drawing.nodes):,} "
        f"entities and {drawing.total_edges - len(drawing.edges):,} relations. To narrow the view, search for "
        "an entity and draw what is around it (/graph?focus=ID&depth=1), or draw the chains between two "
        "(/graph?from=ID&to=ID)."
    )


def whole_drawing(knowledge: Knowledge) -> Drawing:
    """Every entity and relation (before capping)."""
    return from_subgraph(knowledge.subgraph(), "The whole map")


def focus_drawing(knowledge: Knowledge, focus: str, depth: int, question: Question = QUESTIONS["neighbourhood"]) -> Drawing:
    """``focus`` (any name the facade resolves) and everything within ``depth`` relations of it (the
    ``neighbourhood`` question, as ``question`` declares it: a server passes its bounded one)."""
    around = question.ask(knowledge, focus=focus, depth=depth)
    return from_subgraph(
        knowledge.subgraph([around.center.id, *(node.id for node in around.nodes)]),
        f"Around {around.center.label}", focus=(around.center.id,),
    )


def graph_page(knowledge: Knowledge, drawing: Drawing, *, section: str, **context: Any) -> HTMLResponse:
    shown = cap(drawing, MAX_DRAWN_NODES)
    return render_page(
        "graph.html",
        section=section,
        drawing=shown,
        graph_data=graph_data(shown),
        capped_message=capped_message(shown),
        claims=[edge.claim for edge in shown.edges if edge.claim is not None],
        entity_names=entity_names(knowledge),
        links=True,
        **{"intro": "", "path_from": "", "path_to": "", "depth_links": [], "paths": None, "red_flags": (),
           **context},
    )
