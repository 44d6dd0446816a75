"""How :class:`~painlink.graph.stores.remote.RemoteStore` writes: every change is a SPARQL Update
request (stamped, so other front-ends notice it: :mod:`~painlink.graph.stores.watch`), parsed here
first so a syntax error raises before anything is sent; bulk loads go to the Graph Store Protocol URL
when one is configured (one request a file, so blank nodes keep their identity)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .dialect import insert_quads
from .rdf import rdf_format_for, replacement_update
from .records import RECORDS_GRAPH, record_update
from .watch import stamp_update, with_stamp

__all__ = ["RemoteUpdates"]


class RemoteUpdates:
    """The writing half of :class:`~painlink.graph.stores.remote.RemoteStore` (a mixin: it uses the
    store's ``update_url``, ``graph_store_url``, ``dialect``, ``write_lock``, ``_send``,
    ``_post_update``, ``_graph_list``, ``_changed`` and ``has_graph``)."""

    def update(self, sparql, *, base_iri=None):  # type: ignore[override]
        if self.update_url is None:
            self._post_update(sparql)  # refuses before anything is sent, even the dialect's question
        if base_iri is not None:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        with self.write_lock:
            try:
                self._post_update(self._prepared(with_stamp(sparql, RECORDS_GRAPH)))
            finally:
                # Even a failed request may have reached the server; re-reading costs one rebuild.
                self._changed()

    def _prepared(self, sparql: str) -> str:
        """An update with the pragmas the dialect needs."""
        dialect = self.dialect
        return sparql if dialect.default_graph is None else dialect.prologue(sparql, self._graph_list())

    def _insert_data(self, quads: Iterable[ox.Quad], *, prefix: str = "") -> str:
        return prefix + insert_quads(self.dialect, quads)

    def load(self, data, fmt, *, graph=None, base_iri=None):  # type: ignore[override]
        # Parse here first: a syntax error raises before anything is sent, and the server gets
        # N-Triples it cannot misread.
        target = None if graph is None else ox.NamedNode(graph)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, target)
            if target is not None and isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in ox.parse(data, format=fmt, base_iri=base_iri)
        ]
        self.update(self._insert_data(quads))

    def _bulk_add(self, path, graph, done, total, start, on_progress):  # type: ignore[override]
        if self.graph_store_url is None:
            with open(path, "rb") as stream:
                self.load(stream, rdf_format_for(path), graph=graph)
            return
        if graph is None and self.dialect.default_graph is not None:
            graph = self.dialect.default_graph
        params = {"default": ""} if graph is None else {"graph": graph}
        media_type = rdf_format_for(path).media_type
        with open(Path(path), "rb") as stream:
            self._send("POST", self.graph_store_url, params=params, content=stream,
                       headers={"Content-Type": media_type})
        self._post_update(self._prepared(stamp_update(RECORDS_GRAPH)))  # the other front-ends' cue

    def replace_graph(self, data, fmt, *, graph, base_iri=None):  # type: ignore[override]
        triples = list(ox.parse(data, format=fmt, base_iri=base_iri))
        if self.dialect.data_inserts:
            self.update(replacement_update(triples, graph))
            return
        # No blank nodes in INSERT DATA here: clear, then insert with a template (one request).
        clear = "CLEAR SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>"
        target = None if graph is None else ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
        self.update(self._insert_data(quads, prefix=f"{clear} ;\n") if quads else clear)

    def drop_graph(self, graph):  # type: ignore[override]
        with self.write_lock:
            existed = self.has_graph(graph)
            self.update("CLEAR SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>")
            return existed

    def put_record(self, name, data):  # type: ignore[override]
        self.update(record_update(name, data))

