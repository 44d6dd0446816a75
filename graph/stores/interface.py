"""The interface every store offers, :class:`Store`.

Every part of painlink talks to RDF through it, so the SPARQL endpoint, the path engine and the pages
work the same on every backend. Every write goes through :meth:`Store.update`, :meth:`Store.load`,
:meth:`Store.load_files` or the graph-store methods; each is atomic (all or nothing) and bumps
:attr:`Store.version`, which is how the networkx projection knows it must move on; a write that knows
what it changed records that beside the version (:meth:`Store.difference`), so the projection can
follow it instead of being rebuilt.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..difference import MAX_KEPT, NOTHING, Difference
from .errors import full_disk_errors
from .rdf import parse_file, rdf_format_for
from .values import LoadProgress, LoadReport, QueryResult

__all__ = ["MAX_DIFFERENCES", "Store"]

#: How many writes back a store remembers what each changed: a reader further behind reads everything.
MAX_DIFFERENCES = 64


class Store:
    """The interface every backend offers. Subclasses implement the methods; this class keeps the
    version counter and the write lock that serialises writers."""

    def __init__(self) -> None:
        self._version = 0
        # One writer at a time: readers never wait on it, writers queue behind each other so an
        # update sees the state the previous one left.
        self.write_lock = threading.RLock()
        # The differences of the last writes, by the version each made (for the path engine to follow).
        self._differences: OrderedDict[int, Difference | None] = OrderedDict()

    @property
    def version(self) -> int:
        """A number that changes whenever the data may have changed."""
        return self._version

    def _changed(self, difference: Difference | None = None) -> None:
        """A write moved the store on; ``difference``: what it changed in the default graph, when known."""
        self._version += 1
        self._differences[self._version] = difference
        while len(self._differences) > MAX_DIFFERENCES or sum(
                len(d.triples) for d in self._differences.values() if d is not None) > MAX_KEPT:
            self._differences.popitem(last=False)

    def difference(self, start: int, end: int) -> Difference | None:
        """What the writes from version ``start`` to ``end`` changed in the default graph
        (:mod:`painlink.graph.difference`); None when one of them is not known (or too long ago)."""
        total = NOTHING
        for version in range(start + 1, end + 1):
            found = self._differences.get(version)
            if found is None:
                return None
            total |= found
        return total

    @property
    def writable(self) -> bool:
        """Whether writes can succeed at all (False for a remote store without an update URL)."""
        return True

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
        """Serialise one graph (the default graph when ``graph`` is None; the whole dataset when
        ``graph`` is None and ``fmt`` is a dataset format, N-Quads or TriG)."""
        raise NotImplementedError

    def dump_to(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Like :meth:`dump`, written to ``output`` as it is made (backends that can stream do)."""
        output.write(self.dump(fmt, graph))

    def named_graphs(self) -> list[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        """The number of quads in the whole dataset (default graph and named graphs)."""
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

    def load_files(
        self,
        files: Sequence[str | Path],
        *,
        graph: str | None = None,
        on_progress: Callable[[LoadProgress], None] | None = None,
    ) -> LoadReport:
        """Bulk-load large RDF files (format from each file's suffix).

        All files are parsed once first, so a file that fails to parse raises ``SyntaxError``
        (naming the file) before anything is written: the store stays as it was. Then the quads are
        streamed into the backend's fastest path, calling ``on_progress`` as they go. That path
        (pyoxigraph's ``bulk_extend``) skips the transaction log for speed, so a process killed
        half-way through may leave part of the files in; load again (RDF is a set: no duplicates).
        """
        paths = [Path(f) for f in files]
        for path in paths:
            rdf_format_for(path)  # an unknown suffix is a ValueError before any work
            if not path.is_file():
                raise FileNotFoundError(f"no such file: {path}")
        start = time.perf_counter()  # the validating parse counts in the reported time
        counts = [sum(1 for _ in parse_file(path, graph=graph)) for path in paths]
        total = sum(counts)
        done = 0
        with self.write_lock, full_disk_errors("the load"):
            for path, count in zip(paths, counts):
                self._bulk_add(path, graph, done, total, start, on_progress)
                done += count
                if on_progress:
                    on_progress(LoadProgress(str(path), done, total, time.perf_counter() - start))
            self._changed()
        return LoadReport(tuple(str(p) for p in paths), total, len(self), time.perf_counter() - start)

    def _bulk_add(
        self,
        path: Path,
        graph: str | None,
        done: int,
        total: int,
        start: float,
        on_progress: Callable[[LoadProgress], None] | None,
    ) -> None:
        """Add one already-validated file (``done`` of ``total`` triples are in so far); backends with
        a faster path than :meth:`load` override this and may report progress within the file."""
        with open(path, "rb") as stream:
            self.load(stream, rdf_format_for(path), graph=graph)

    def replace_graph(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None, base_iri: str | None = None) -> None:
        """Replace the content of one graph atomically (Graph Store Protocol PUT); relative IRIs in
        ``data`` resolve against ``base_iri``."""
        raise NotImplementedError

    def drop_graph(self, graph: str | None) -> bool:
        """Remove a graph (clear the default graph). Returns whether it existed."""
        raise NotImplementedError

    def has_graph(self, graph: str | None) -> bool:
        raise NotImplementedError

    # --- painlink's own bookkeeping ----------------------------------------------------------
    def get_record(self, name: str) -> bytes | None:
        """A record painlink keeps about this store (e.g. which shipped ontology it holds), or None.
        Records live beside the RDF where the backend allows, so they never show up in queries."""
        raise NotImplementedError

    def put_record(self, name: str, data: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the backend's resources."""
