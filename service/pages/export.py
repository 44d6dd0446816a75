"""The HTML export: one offline page of the whole map or of what is around an entity
(``painlink export --format html``)."""

from __future__ import annotations

import datetime

from painlink import __version__
from painlink.graph import QUESTIONS, Knowledge
from painlink.service.drawing import cap
from painlink.service.render import standalone

from .drawings import MAX_DRAWN_NODES, capped_message, focus_drawing, whole_drawing

__all__ = ["standalone_html"]


def standalone_html(knowledge: Knowledge, focus: str | None = None,
                    depth: int = QUESTIONS["neighbourhood"].parameter("depth").default) -> str:
    """One offline HTML file of the whole map, or of what is around ``focus``: the drawing (capped
    like the pages), its legend and every drawn claim with its evidence, all assets inlined.
    ``painlink export --format html`` writes it.
    """
    depth = QUESTIONS["neighbourhood"].parameter("depth").coerce(depth)
    drawing = focus_drawing(knowledge, focus, depth) if focus else whole_drawing(knowledge)
    shown = cap(drawing, MAX_DRAWN_NODES)
    return standalone(
        shown,
        claims=[edge.claim for edge in shown.edges if edge.claim is not None],
        capped_message=capped_message(shown),
        version=__version__,
        exported_on=datetime.date.today().isoformat(),
    )
