"""What a SPARQL server does differently from the standard, and how the remote store makes up for it.

:class:`~painlink.graph.stores.remote.RemoteStore` speaks plain SPARQL 1.1 to every server
(:data:`STANDARD`); a server it recognises by its ``Server`` header gets its own :class:`Dialect`.
One is declared, :data:`VIRTUOSO` (OpenLink Virtuoso 7.2, measured on Debian's 7.2.5), which differs in:

* **No default graph of its own.** Virtuoso's default graph is the union of all graphs, and an
  ``INSERT DATA`` without ``GRAPH`` is refused. Painlink keeps its default graph in the named graph
  :data:`VIRTUOSO_DEFAULT_GRAPH` and names it with Virtuoso's ``DEFINE input:default-graph-uri``
  pragma before every query and update that does not choose its own dataset (a query's ``FROM``
  still wins over the pragma, measured). That graph and Virtuoso's own graphs are left out of
  ``named_graphs()``, ``len()`` and dumps.
* **Graphs exist only while they hold triples**, and ``ASK { GRAPH <g> { ... } }`` is true for any
  ``g`` once a default graph is named (7.2.5, even ``{ ?s ?p ?o }`` in an empty ``g``); so the store
  asks for a graph with a SELECT of one of its triples. A user's ASK of that shape is answered as
  Virtuoso answers it (README).
* **No blank nodes in ``INSERT DATA``** ("not allowed in a constant clause"); the store's own inserts
  of data with blank nodes use ``INSERT { ... } WHERE { }``, which allows them (fresh nodes, one per
  label, as a load needs) but is bounded: 1,000 triples pass, 2,000 are refused (more than the
  10,000 lines of SQL Virtuoso compiles a request into; measured). The refusal is a 400 before anything
  changes (a replaced graph is kept). Bigger data with blank nodes goes through the Graph Store
  (``painlink load --store-graph-store``), which has no such bound. Such a template also fails with
  two ``GRAPH`` blocks of one graph, so the store writes one block a graph.
  Its blank node labels (``nodeID://b10000``) are not valid labels; they are read as ``b10000``.
* **ASK answers as a one-column SELECT** (``__ASK_RETVAL``: one row when true, none when false), and a
  CONSTRUCT answers a result table when the Accept header prefers one; the store asks for the form
  the query needs and turns the ASK table back into a boolean.
* **A query POSTed as ``application/sparql-query`` hangs** (7.2.5); queries go URL-encoded, which the
  protocol also defines and every server takes.
* **A multi-operation update is not atomic**: when a later operation fails, the earlier ones stay
  (measured; tests/graph/stores marks the test that shows it). Painlink's own writes are one operation each,
  or a CLEAR followed by an insert that cannot fail on syntax (parsed first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

__all__ = ["Dialect", "STANDARD", "VIRTUOSO", "VIRTUOSO_DEFAULT_GRAPH", "dialect_for", "insert_quads", "query_form"]

#: The named graph that holds painlink's default graph on Virtuoso.
VIRTUOSO_DEFAULT_GRAPH = "urn:painlink:default-graph"

# The prologue (comments, PREFIX, BASE, Virtuoso DEFINE) before a query's form keyword.
_PROLOGUE = r"(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>|DEFINE\s+\S+\s+(?:<[^>]*>|\"[^\"]*\"|\S+))*"
_FORM = re.compile(_PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), or None if the prologue
    is more than this reading follows.

    >>> query_form("PREFIX ex: <http://e/> # a comment\\nask { ex:a ?p ?o }")
    'ASK'
    """
    match = _FORM.match(sparql)
    return match.group(1).upper() if match else None


@dataclass(frozen=True)
class Dialect:
    """How one kind of server is spoken to.

    Attributes
    ----------
    name
        What the server is, for messages.
    default_graph
        The named graph that stands for painlink's default graph, on a server without one; None on a
        server with a real default graph.
    own_graphs
        Graphs the server keeps for itself, never shown as painlink's.
    own_graph_prefix
        An IRI prefix of more such graphs.
    data_inserts
        Whether ``INSERT DATA`` takes blank nodes (else the store writes ``INSERT { } WHERE { }``).
    empty_graphs
        Whether a graph can exist with no triples (``ASK { GRAPH <g> { } }`` tells; else its triples do).
    """

    name: str
    default_graph: str | None = None
    own_graphs: tuple[str, ...] = ()
    own_graph_prefix: str | None = None
    data_inserts: bool = True
    empty_graphs: bool = True

    def prologue(self, sparql: str, named: list[str] | None = None) -> str:
        """``sparql`` with the pragmas that name painlink's default graph and, once that is named,
        the ``named`` graphs (Virtuoso's ``GRAPH <g>`` sees no other then), where needed."""
        if self.default_graph is None:
            return sparql
        pragmas = [f"DEFINE input:default-graph-uri <{self.default_graph}>"]
        pragmas += [f"DEFINE input:named-graph-uri <{g}>" for g in named or ()]
        return "\n".join([*pragmas, sparql])

    def graph_filter(self, variable: str, hidden: tuple[str, ...]) -> str:
        """A FILTER keeping ``variable`` off painlink's bookkeeping graphs and the server's own."""
        names = ", ".join(f"<{g}>" for g in (*hidden, *self.own_graphs, *filter(None, [self.default_graph])))
        condition = f"{variable} NOT IN ({names})"
        if self.own_graph_prefix:
            condition += f' && !STRSTARTS(STR({variable}), "{self.own_graph_prefix}")'
        return f"FILTER({condition})"

    def insert(self, body: str) -> str:
        """The update that adds ``body`` (triples and ``GRAPH`` blocks)."""
        return f"INSERT DATA {{\n{body}\n}}" if self.data_inserts else f"INSERT {{\n{body}\n}} WHERE {{ }}"



STANDARD = Dialect("a SPARQL 1.1 server")

VIRTUOSO = Dialect(
    "Virtuoso",
    default_graph=VIRTUOSO_DEFAULT_GRAPH,
    own_graphs=("http://www.w3.org/ns/ldp#", "http://localuriqaserver/sparql"),
    own_graph_prefix="http://www.openlinksw.com/",
    data_inserts=False,
    empty_graphs=False,
)

_BY_SERVER = {"virtuoso/": VIRTUOSO}


def dialect_for(server_header: str) -> Dialect:
    """The dialect a response's ``Server`` header names (``Virtuoso/07.20.3229 (Linux) ...``).

    >>> dialect_for("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
    'Virtuoso'
    >>> dialect_for("oxigraph/0.5.2") is STANDARD
    True
    """
    lowered = server_header.lower()
    for start, dialect in _BY_SERVER.items():
        if lowered.startswith(start):
            return dialect
    return STANDARD


def insert_quads(dialect: Dialect, quads: Iterable[ox.Quad]) -> str:
    """The update inserting ``quads``, as ``dialect`` takes it: one GRAPH block a graph (Virtuoso fails
    a template with two blocks of one graph); INSERT DATA unless it cannot take the blank nodes, when
    the dialect's other form is used (slower and, on Virtuoso, bounded: :meth:`Dialect.insert`)."""
    quads = list(quads)
    by_graph: dict[Any, list[str]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(
        "\n".join(lines) if isinstance(name, ox.DefaultGraph) else f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}"
        for name, lines in by_graph.items()
    )
    blank = any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    return dialect.insert(body) if blank else f"INSERT DATA {{\n{body}\n}}"
