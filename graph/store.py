"""Which store holds the RDF.

Every part of painlink talks to RDF through one small interface, :class:`Store`, so that the SPARQL
endpoint, the path engine and the pages work the same on every backend:

* :class:`OxigraphStore` -- the embedded engine (pyoxigraph), in memory or persistent in a directory.
  Chosen by measurement: it parses Turtle about 20x faster than rdflib's memory store and evaluates
  SPARQL natively, so the endpoint can hand queries straight to it.

Results are pyoxigraph objects on every backend (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``) so callers never branch on the store.

Every write goes through :meth:`Store.update`, :meth:`Store.load` or the graph-store methods; each is
atomic (all or nothing) and bumps :attr:`Store.version`, which is how the networkx projection knows it
must be rebuilt.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

__all__ = ["Store", "OxigraphStore", "QueryResult", "rdf_format_for", "DEFAULT_GRAPH"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
DEFAULT_GRAPH = ox.DefaultGraph()

_FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


def rdf_format_for(path: str | Path) -> ox.RdfFormat:
    """The RDF format a file name implies.

    >>> rdf_format_for("extension.ttl").name
    'Turtle'
    >>> rdf_format_for("x.csv")
    Traceback (most recent call last):
    ...
    ValueError: cannot tell the RDF format of 'x.csv': use one of .jsonld, .n3, .nq, .nt, .ttl, .trig, .rdf ...
    """
    suffix = Path(path).suffix.lower()
    try:
        return _FORMATS_BY_SUFFIX[suffix]
    except KeyError:
        raise ValueError(
            f"cannot tell the RDF format of {str(path)!r}: use one of "
            ".jsonld, .n3, .nq, .nt, .ttl, .trig, .rdf ..."
        ) from None


class Store:
    """The interface every backend offers. Subclasses implement the methods; this class keeps the
    version counter and the write lock that serialises writers."""

    def __init__(self) -> None:
        self._version = 0
        # One writer at a time: readers never wait on it, writers queue behind each other so an
        # update sees the state the previous one left.
        self.write_lock = threading.RLock()

    @property
    def version(self) -> int:
        """A number that changes whenever the data may have changed."""
        return self._version

    def _changed(self) -> None:
        self._version += 1

    # --- reading ---------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        raise NotImplementedError

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of variable name to pyoxigraph term
        (unbound variables are left out)."""
        result = self.query(sparql, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term
            rows.append(row)
        return rows

    def dump(self, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise one graph (the default graph when ``graph`` is None)."""
        raise NotImplementedError

    def named_graphs(self) -> list[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    # --- writing (each call atomic) ----------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        raise NotImplementedError

    def load(
        self,
        data: bytes | str | IO[bytes],
        fmt: ox.RdfFormat,
        *,
        graph: str | None = None,
        base_iri: str | None = None,
    ) -> None:
        """Parse ``data`` and add it to ``graph`` (default graph when None). A parse error raises
        ``SyntaxError`` and adds nothing."""
        raise NotImplementedError

    def replace_graph(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None) -> None:
        """Replace the content of one graph atomically (Graph Store Protocol PUT)."""
        raise NotImplementedError

    def drop_graph(self, graph: str | None) -> bool:
        """Remove a graph (clear the default graph). Returns whether it existed."""
        raise NotImplementedError

    def has_graph(self, graph: str | None) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        """Release the backend's resources."""


def _graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return DEFAULT_GRAPH if graph is None else ox.NamedNode(graph)


class OxigraphStore(Store):
    """The embedded store: in memory (``path=None``) or persistent in a directory.

    >>> store = OxigraphStore()
    >>> store.load(b'<http://e/a> <http://e/p> <http://e/b> .', rdf_format_for("x.nt"))
    >>> len(store), store.version
    (1, 1)
    >>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['http://e/b']
    """

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else None
        self._ox = ox.Store(str(self.path)) if self.path is not None else ox.Store()

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for callers that evaluate SPARQL natively."""
        return self._ox

    def query(self, sparql, *, default_graph=None, named_graphs=None, base_iri=None):  # type: ignore[override]
        kwargs: dict[str, Any] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [_graph_term(g) if g else DEFAULT_GRAPH for g in default_graph]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._ox.query(sparql, base_iri=base_iri, **kwargs)

    def dump(self, fmt, graph=None):  # type: ignore[override]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) and graph is None:
            return self._ox.dump(format=fmt)
        return self._ox.dump(format=fmt, from_graph=_graph_term(graph))

    def named_graphs(self):  # type: ignore[override]
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

    def update(self, sparql, *, base_iri=None):  # type: ignore[override]
        with self.write_lock:
            self._ox.update(sparql, base_iri=base_iri)
            self._changed()

    def load(self, data, fmt, *, graph=None, base_iri=None):  # type: ignore[override]
        with self.write_lock:
            self._ox.load(data, format=fmt, to_graph=_graph_term(graph), base_iri=base_iri)
            self._changed()

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        with self.write_lock:
            self._ox.extend(quads)
            self._changed()

    def replace_graph(self, data, fmt, *, graph):  # type: ignore[override]
        # Parse first, outside the store, so a syntax error leaves the graph untouched; then swap
        # in one transaction-sized step under the write lock.
        target = _graph_term(graph)
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, target)
            for t in ox.parse(data, format=fmt, to_graph=target)
        ]
        with self.write_lock:
            if graph is None:
                self._ox.clear_graph(DEFAULT_GRAPH)
            else:
                self._ox.remove_graph(target) if self.has_graph(graph) else None
                self._ox.add_graph(target)
            self._ox.extend(quads)
            self._changed()

    def drop_graph(self, graph):  # type: ignore[override]
        with self.write_lock:
            existed = self.has_graph(graph)
            if graph is None:
                self._ox.clear_graph(DEFAULT_GRAPH)
            elif existed:
                self._ox.remove_graph(ox.NamedNode(graph))
            self._changed()
            return existed

    def has_graph(self, graph):  # type: ignore[override]
        if graph is None:
            return True
        return self._ox.contains_named_graph(ox.NamedNode(graph))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return self._ox.quads_for_pattern(None, None, None, _graph_term(graph))

    def close(self) -> None:
        if self.path is not None:
            self._ox.flush()
