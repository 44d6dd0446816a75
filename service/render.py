"""pyvis in memory: a :class:`~painlink.service.drawing.Drawing` becomes HTML, never a file.

pyvis 0.3.2 as shipped is unfit for a public page (issue 4): its template loads Bootstrap and, in
all but one mode, vis-network from a CDN; its Jinja environment does not autoescape; its select menu
lists ids; it writes files. So painlink keeps pyvis for what it is good at -- collecting nodes and
edges with their vis options (:meth:`pyvis.network.Network.add_node` / ``add_edge``) -- and renders
``generate_html()`` through its OWN template in its own autoescaping Jinja environment:

* :func:`environment` -- the one Jinja environment of the pages: ``service/templates`` plus the
  vendored static files under the ``static/`` prefix (so an export can inline them), autoescape on.
* :func:`graph_data` -- the drawing as a ``<script type="application/json" id="graph-data">``
  block; ``static/graph.js`` draws it. No inline script runs, so the pages' CSP needs no
  ``unsafe-inline``; ``tojson`` escapes ``<``, ``>``, ``&`` and ``'`` so no text can end the block.
* :func:`standalone` -- one offline HTML file with every asset inlined, for ``painlink export``,
  with a CSP ``<meta>`` that allows exactly the inlined scripts and styles (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from painlink.graph.model import Claim, SubgraphEdge
from painlink.ontology import NAMESPACES
from painlink.service.drawing import KIND_NAMES, KINDS, STANCE_NAMES, Drawing, DrawnNode
from painlink.service.layout import layered

__all__ = [
    "KIND_STYLE",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "environment",
    "graph_data",
    "network",
    "sentence",
    "standalone",
]

SERVICE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"

#: Colour and vis-network shape per kind; the same values as painlink.css and the legend, so the
#: kinds differ in shape as well as colour (Okabe-Ito colours).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "symptom": ("#d55e00", "dot"),
    "anatomy": ("#0072b2", "square"),
    "cause": ("#cc79a7", "diamond"),
    "intervention": ("#009e73", "triangle"),
}
_UNKNOWN_KIND = ("#8a96a3", "dot")

# Line colour per relation group (the facade's property groups); worsening is red whatever its group.
_GROUP_COLOUR = {
    "causal": "#4f5b66",
    "sign": "#7b5ea7",
    "anatomy": "#aab4bf",
    "hierarchy": "#aab4bf",
    "intervention": "#00875f",
}
# Drawn quietly, their words only in the hover card: dozens of "located in" labels would drown the
# causal story.
_CONTEXT_GROUPS = {"anatomy", "hierarchy"}
_WORSENS_COLOUR = "#c0392b"
_DISPUTED_DASHES = [8, 6]
_DISPUTED_COLOUR = "#b3261e"  # painlink.css --contradicts
_LABEL_WIDTH = 16


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' Jinja environment: autoescaping, strict about undefined names.

    A ``ChoiceLoader`` reads painlink's templates first and the vendored assets under ``static/``
    (``{% include 'static/graph.js' %}``) second; the assets contain no Jinja delimiters.
    """
    loader = ChoiceLoader(
        [FileSystemLoader(TEMPLATES_DIR), PrefixLoader({"static": FileSystemLoader(STATIC_DIR)})]
    )
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    # Labels are lower case ("foot drop"), as in the ontology; where one starts a heading or a
    # sentence, its first letter is raised ("Foot drop"), the rest left as written ("L5 ...").
    env.filters["sentence"] = sentence
    # Constants every template (and every imported macro, which gets no render context) may use.
    env.globals.update(
        kinds=KINDS,
        kind_names=KIND_NAMES,
        kind_colours={kind: style[0] for kind, style in KIND_STYLE.items()},
        stance_names=STANCE_NAMES,
        namespaces=NAMESPACES,  # the SPARQL page's results table writes IRIs as CURIEs with these
    )
    return env


def sentence(text: str) -> str:
    """``text`` with its first letter raised, to start a heading or a sentence.

    >>> sentence("foot drop"), sentence("L5 radiculopathy"), sentence("")
    ('Foot drop', 'L5 radiculopathy', '')
    """
    return text[:1].upper() + text[1:]


def _wrap(label: str, width: int = _LABEL_WIDTH) -> str:
    """Break a long label onto lines of about ``width`` characters (vis-network honours ``\\n``).

    >>> _wrap("Lumbar radiculopathy (sciatica)", width=20)
    'Lumbar radiculopathy\\n(sciatica)'
    >>> _wrap("Back pain")
    'Back pain'
    """
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or label


def _node_options(node: DrawnNode, focused: bool) -> dict:
    colour, shape = KIND_STYLE.get(node.kind, _UNKNOWN_KIND)
    return {
        "label": _wrap(node.label),
        "shape": shape,
        "color": {
            "background": colour,
            "border": "#1d2733" if focused else colour,
            "highlight": {"background": colour, "border": "#1d2733"},
            "hover": {"background": colour, "border": "#1d2733"},
        },
        "size": 27 if focused else 17,
        "borderWidth": 4 if focused else 2,
        "font": {"size": 20, "bold": True} if focused else {},
        # Hover-card and panel text; graph.js turns it into DOM text, never markup.
        "name": node.label,
        "kind": node.kind,
        "focus": focused,  # graph.js always labels what the view is about, however crowded
        "definition": node.definition,
        "synonyms": list(node.synonyms),
    }


def _evidence(claim: Claim | None) -> list[dict]:
    if claim is None:
        return []
    return [
        {
            "stance": item.stance,
            "text": item.text,
            "is_quote": item.quote is not None,
            "source": item.source.title or item.source.id,
        }
        for item in claim.evidence
    ]


def _edge_options(edge: SubgraphEdge, index: int, bend: int, ranks: list[int], labels: dict[str, str]) -> dict:
    colour = _WORSENS_COLOUR if edge.predicate == "worsens" else _GROUP_COLOUR.get(edge.group or "", "#6b7785")
    quiet = edge.group in _CONTEXT_GROUPS
    width = 1.0 + 2.5 * edge.strength if edge.strength else (1.0 if quiet else 2.0)
    options: dict = {
        "id": f"e{index}",
        "label": "" if quiet else edge.predicate_label + (" \u26a0 disputed" if edge.disputed else ""),
        "color": {"color": colour, "highlight": "#1d2733", "hover": "#1d2733"},
        "width": round(width, 2),
        "dashes": _DISPUTED_DASHES if edge.disputed else False,
        # The "⚠ disputed" words in the contradicting colour, so the controversy shows at a glance
        # even where the whole map draws its labels small.
        **({"font": {"color": _DISPUTED_COLOUR}} if edge.disputed else {}),
        "relation": edge.predicate,
        "relation_label": edge.predicate_label,
        "claim": edge.claim.id if edge.claim else "",
        "statement": (edge.claim.statement or "") if edge.claim else "",
        "disputed": edge.disputed,
        "subject_label": labels.get(edge.subject, edge.subject),
        "object_label": labels.get(edge.object, edge.object),
        "evidence": _evidence(edge.claim),
        "paths": ranks,
    }
    if bend:
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.22 * bend, 2)}
    return options


def _positions(drawing: Drawing) -> dict[str, tuple[float, float]]:
    # Columns follow the causal story; anatomical context ("foot pain located in foot") would drag
    # every body part to the far right and stretch the drawing. Body parts with only such links are
    # set out below the columns instead. A view of nothing but context lays out by context.
    story = [(edge.subject, edge.object) for edge in drawing.edges if edge.group not in _CONTEXT_GROUPS]
    pairs = story or [(edge.subject, edge.object) for edge in drawing.edges]
    return layered([node.id for node in drawing.nodes], pairs, column_gap=270.0, row_gap=115.0)


def network(drawing: Drawing) -> Network:
    """A pyvis ``Network`` (directed, so parallel claims survive) holding the drawing, laid out.

    The network renders through painlink's template and environment, never pyvis's own.
    """
    net = Network(directed=True, height="100%", width="100%", heading=drawing.title)
    net.templateEnv = environment()
    net.path = "graph-data.html"
    # Physics off: the layout is computed here, so the drawing is ready the moment it loads.
    net.options = {"physics": {"enabled": False}}
    spots = _positions(drawing)
    for node in drawing.nodes:
        x, y = spots[node.id]
        net.add_node(node.id, x=x, y=y, physics=False, **_node_options(node, node.id in drawing.focus))
    ranks: dict[int, list[int]] = {}
    for rank, path in enumerate(drawing.paths, start=1):
        for index in path:
            ranks.setdefault(index, []).append(rank)
    labels = {node.id: node.label for node in drawing.nodes}
    seen: Counter[frozenset[str]] = Counter()
    for index, edge in enumerate(drawing.edges):
        pair = frozenset((edge.subject, edge.object))
        # A second (or reverse) edge between the same two entities, or one whose straight line would
        # run through another entity, bows out instead of hiding behind the others.
        bend = seen[pair] or int(edge.group not in _CONTEXT_GROUPS and _crosses_a_node(spots, edge.subject, edge.object))
        seen[pair] += 1
        options = _edge_options(edge, index, bend, ranks.get(index, []), labels)
        # On the whole map the context links start hidden (a toolbar switch shows them): dozens of
        # grey "located in" lines would bury the causal chains. Around one entity they are the point.
        options["context"] = edge.group in _CONTEXT_GROUPS
        options["hidden"] = options["context"] and not drawing.focus
        net.add_edge(edge.subject, edge.object, **options)
    return net


def _crosses_a_node(spots: dict[str, tuple[float, float]], source: str, target: str, clearance: float = 30.0) -> bool:
    """Whether the straight segment source-target passes within ``clearance`` of another node.

    >>> spots = {"a": (0.0, 0.0), "b": (100.0, 0.0), "c": (200.0, 0.0)}
    >>> _crosses_a_node(spots, "a", "c"), _crosses_a_node(spots, "a", "b")
    (True, False)
    """
    (x1, y1), (x2, y2) = spots[source], spots[target]
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy or 1.0
    for node, (x, y) in spots.items():
        if node in (source, target):
            continue
        t = ((x - x1) * dx + (y - y1) * dy) / length2
        if 0.0 < t < 1.0 and math.hypot(x1 + t * dx - x, y1 + t * dy - y) < clearance:
            return True
    return False


def graph_data(drawing: Drawing) -> Markup:
    """The ``<script type="application/json" id="graph-data">`` block a page embeds for graph.js."""
    return Markup(network(drawing).generate_html())


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def standalone(drawing: Drawing, **context: object) -> str:
    """One self-contained offline HTML document: the drawing, its legend, a plain list of what it
    shows, every script and stylesheet inlined. ``context`` goes to ``export.html``.

    A ``Content-Security-Policy`` meta tag lists the hash of each inlined script and style, so
    nothing else can run in the file even if a text somewhere escaped its escaping.
    """
    html = environment().get_template("export.html").render(
        drawing=drawing, graph_data=graph_data(drawing), **context
    )
    scripts = [_hash(body) for kind, body in _INLINE.findall(html) if kind == "script"]
    styles = [_hash(body) for kind, body in _INLINE.findall(html) if kind == "style"]
    policy = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"script-src {' '.join(scripts) or chr(39) + 'none' + chr(39)}; style-src {' '.join(styles)}"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html.replace("<!--csp-->", meta, 1)
