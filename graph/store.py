"""Which store holds the RDF.

Every part of painlink talks to RDF through one small interface, :class:`Store`, so that the SPARQL
endpoint, the path engine and the pages work the same on every backend:

* :class:`OxigraphStore` -- the embedded engine (pyoxigraph), in memory or persistent in a data
  directory. Chosen by measurement: it parses Turtle about 20x faster than rdflib's memory store and
  evaluates SPARQL natively, so the endpoint can hand queries straight to it.
* :class:`painlink.graph.remote_store.RemoteStore` -- any SPARQL 1.1 server, over the protocol.

:func:`open_store` picks one from the settings (``--memory``, ``--data-dir``, ``--store``) and
:func:`sync_shipped` puts the shipped ontology into it (see "The shipped ontology in a lasting store"
below).

Results are pyoxigraph objects on every backend (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``) so callers never branch on the store.

Every write goes through :meth:`Store.update`, :meth:`Store.load`, :meth:`Store.load_files` or the
graph-store methods; each is atomic (all or nothing) and bumps :attr:`Store.version`, which is how the
networkx projection knows it must be rebuilt.

The shipped ontology in a lasting store
---------------------------------------
A persistent or remote store outlives the painlink release that filled it, so the ontology files a
release ships may differ from the ones already in the store. :func:`sync_shipped` keeps a record --
the SHA-256 of the shipped files and the exact triples it loaded -- and on each start:

* empty store, no record: load the shipped triples (first start);
* record with the same hash: do nothing (the usual restart, cheap: no parse);
* record with another hash (painlink was upgraded): apply the difference in one atomic update --
  remove the triples the old release shipped and the new one does not, add the new ones. Triples
  the user added are kept; a shipped triple the user deleted stays deleted unless the new release
  changed it. A triple both shipped by the old release and asserted by the user is removed with the
  old release (RDF cannot tell the two assertions apart);
* data but no record (a store filled by hand or by another tool): add the shipped triples. RDF
  stores are sets, so nothing is duplicated.

The shipped files must not contain blank nodes: a blank node cannot be matched across two parses,
so it could never be removed again (:class:`ShippedOntologyError`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from painlink.ontology.bounds import UnsafeInput, check_file

__all__ = [
    "Store",
    "OxigraphStore",
    "QueryResult",
    "DEFAULT_GRAPH",
    "StoreError",
    "StoreOpenError",
    "StoreUnavailableError",
    "StoreReadOnlyError",
    "StoreFullError",
    "ShippedOntologyError",
    "says_disk_full",
    "LoadProgress",
    "LoadReport",
    "SyncReport",
    "rdf_format_for",
    "replacement_update",
    "open_store",
    "sync_shipped",
    "default_data_dir",
]

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

SHIPPED_RECORD = "shipped-ontology"


# --- exceptions ------------------------------------------------------------------------------------
class StoreError(Exception):
    """Base class of the errors a store raises about itself (not about a query's syntax, which is a
    ``SyntaxError`` as pyoxigraph raises it)."""


class StoreOpenError(StoreError):
    """Raised when a data directory cannot be opened: it is a file, unreadable, not an Oxigraph store,
    corrupt, or locked by another process. The message names the path and the problem; nothing in
    the directory has been changed."""


class StoreUnavailableError(StoreError):
    """Raised when a remote SPARQL server cannot be reached, times out or answers with a server error.
    The service answers 503 (unreachable, timed out) or 502 (bad answer) with this message.

    ``status`` is the HTTP status the service should answer with.
    """

    def __init__(self, message: str, *, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


class StoreReadOnlyError(StoreError):
    """Raised when writing to a store that cannot be written: a remote store configured without an
    update URL."""


class StoreFullError(StoreError):
    """Raised when a write fails because the store's disk (or quota) is full. The write changed
    nothing (each write is one transaction); reads go on. The service answers 507 Insufficient
    Storage. RocksDB refuses further writes until the store is reopened: free space, then restart."""


#: What the storage engine's I/O errors say when the disk is full (RocksDB gives no errno).
_FULL_DISK = ("No space left on device", "Disk quota exceeded")


def says_disk_full(message: str) -> bool:
    """Whether an error message of the storage engine says the disk (or quota) is full."""
    return any(text in message for text in _FULL_DISK)


@contextlib.contextmanager
def full_disk_errors(what: str) -> Iterator[None]:
    """Turn an ``OSError`` of a full disk inside the block into :class:`StoreFullError` naming ``what``."""
    try:
        yield
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT) or says_disk_full(str(error)):
            raise StoreFullError(f"{what} failed: the store's disk is full; nothing was changed") from None
        raise


class ShippedOntologyError(StoreError):
    """Raised by :func:`sync_shipped` when the shipped files cannot be kept in a lasting store: they
    contain blank nodes, or one of them does not parse, or the store's record of what was shipped
    before is damaged (the message names the record; nothing is changed)."""


# --- small value types -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LoadProgress:
    """Where a :meth:`Store.load_files` run is: handed to its ``on_progress`` callback."""

    file: str
    triples_done: int
    triples_total: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples_done / self.seconds if self.seconds > 0 else 0.0

    def bar(self, width: int = 30) -> str:
        """One line of plain-text progress bar (the CLI writes it to stderr).

        >>> LoadProgress("big.nt", 450_000, 1_000_000, 2.5).bar(10)
        '[####......]  45% 450,000/1,000,000 triples  180,000 triples/s  big.nt'
        """
        share = self.triples_done / self.triples_total if self.triples_total else 1.0
        filled = round(share * width)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
            f"{self.triples_done:,}/{self.triples_total:,} triples  "
            f"{self.triples_per_second:,.0f} triples/s  {Path(self.file).name}"
        )


@dataclass(frozen=True)
class LoadReport:
    """What :meth:`Store.load_files` did: triples read from the files, size of the store after, time."""

    files: tuple[str, ...]
    triples: int
    store_size: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync_shipped` did: ``action`` is one of ``loaded`` (first start), ``unchanged``,
    ``upgraded`` (a new release: ``removed``/``added`` triples applied) or ``merged`` (store had data
    but no record)."""

    action: str
    digest: str
    added: int = 0
    removed: int = 0


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


def _graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return DEFAULT_GRAPH if graph is None else ox.NamedNode(graph)


def replacement_update(triples: Iterable[ox.Triple | ox.Quad], graph: str | None) -> str:
    """The one SPARQL update that replaces the content of ``graph`` (the default graph when None) with
    ``triples`` (a quad's own graph is ignored). One update is one transaction on every backend, so a
    crash or a full disk part-way leaves the old graph or the new one, never neither (a clear and an
    add in two steps could leave it empty). A named graph exists afterwards even if ``triples`` is
    empty, as a Graph Store PUT says.

    >>> print(replacement_update([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))], None))
    CLEAR SILENT DEFAULT ;
    INSERT DATA {
    <http://e/a> <http://e/p> "x" .
    }
    """
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    if graph is None:
        return f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}\n}}"
    name = ox.NamedNode(graph)
    return f"DROP SILENT GRAPH {name} ;\nCREATE SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"


def _into_graph(quads: Iterable[ox.Quad], graph: str | None) -> Iterator[ox.Quad]:
    """Put the triples of a parse (quads in the default graph) into ``graph``; quads that name their
    own graph (TriG, N-Quads) keep it."""
    if graph is None:
        yield from quads
        return
    target = ox.NamedNode(graph)
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, target)
        else:
            yield quad


def _parse_file(path: Path, *, graph: str | None = None) -> Iterator[ox.Quad]:
    """The quads of one RDF file; a syntax error names the file, and so does a file that breaks a bound
    of :mod:`painlink.ontology.bounds` (checked before the parser sees it)."""
    fmt = rdf_format_for(path)
    try:
        check_file(path, fmt)
    except UnsafeInput as error:
        raise SyntaxError(f"{path}: {error}") from None
    try:
        yield from _into_graph(ox.parse(path=str(path), format=fmt), graph)
    except SyntaxError as error:
        raise SyntaxError(f"{path}: {error}") from None


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
        counts = [sum(1 for _ in _parse_file(path, graph=graph)) for path in paths]
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


class OxigraphStore(Store):
    """The embedded store: in memory (``path=None``) or persistent in a data directory.

    A data directory holds ``oxigraph/`` (the database) and ``records/`` (painlink's bookkeeping,
    see :meth:`Store.get_record`).

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
        self._records: dict[str, bytes] = {}
        self._ox = ox.Store() if self.path is None else self._open(self.path)

    @staticmethod
    def _open(path: Path) -> ox.Store:
        if path.exists() and not path.is_dir():
            raise StoreOpenError(f"cannot open the data directory {path}: it is a file, not a directory")
        database = path / "oxigraph"
        # An existing database directory without RocksDB's CURRENT file is not one we made: opening
        # it would create a fresh database over whatever is there, so refuse instead.
        if database.is_dir() and any(database.iterdir()) and not (database / "CURRENT").is_file():
            raise StoreOpenError(
                f"cannot open the store in {database}: it is not an Oxigraph database (no CURRENT file); "
                "nothing was changed"
            )
        try:
            (path / "records").mkdir(parents=True, exist_ok=True)
            return ox.Store(str(database))
        except (OSError, RuntimeError) as error:  # RocksDB reports corruption as RuntimeError
            text = str(error)
            if "lock" in text.lower():
                problem = "it is in use by another process (another `painlink serve` or `painlink load`?)"
            elif isinstance(error, PermissionError) or "permission" in text.lower():
                problem = "permission denied"
            else:
                problem = f"the database is unreadable or corrupt ({text})"
            raise StoreOpenError(f"cannot open the store in {database}: {problem}") from None

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

    def dump_to(self, output, fmt, graph=None):  # type: ignore[override]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) and graph is None:
            self._ox.dump(output, format=fmt)
        else:
            self._ox.dump(output, format=fmt, from_graph=_graph_term(graph))

    def named_graphs(self):  # type: ignore[override]
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

    def update(self, sparql, *, base_iri=None):  # type: ignore[override]
        with self.write_lock, full_disk_errors("the update"):
            self._ox.update(sparql, base_iri=base_iri)
            self._changed()

    def load(self, data, fmt, *, graph=None, base_iri=None):  # type: ignore[override]
        with self.write_lock, full_disk_errors("the load"):
            self._ox.load(data, format=fmt, to_graph=_graph_term(graph), base_iri=base_iri)
            self._changed()

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        with self.write_lock, full_disk_errors("the write"):
            self._ox.extend(quads)
            self._changed()

    def _bulk_add(self, path, graph, done, total, start, on_progress):  # type: ignore[override]
        # bulk_extend skips the transaction log, which is what makes it fast; the file was parsed
        # once already, so it cannot fail half-way on bad syntax. A generator in between counts.
        every = max(total // 100, 10_000)

        def counted() -> Iterator[ox.Quad]:
            for number, quad in enumerate(_parse_file(path, graph=graph), start=done + 1):
                if on_progress and number % every == 0:
                    on_progress(LoadProgress(str(path), number, total, time.perf_counter() - start))
                yield quad

        self._ox.bulk_extend(counted())

    def replace_graph(self, data, fmt, *, graph, base_iri=None):  # type: ignore[override]
        # Parse first, outside the store, so a syntax error leaves the graph untouched; then clear
        # and add in ONE update: one transaction, old graph or new after a crash, never neither.
        self.update(replacement_update(ox.parse(data, format=fmt, base_iri=base_iri), graph))

    def drop_graph(self, graph):  # type: ignore[override]
        with self.write_lock, full_disk_errors("deleting the graph"):
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

    def get_record(self, name):  # type: ignore[override]
        if self.path is None:
            return self._records.get(name)
        try:
            return (self.path / "records" / name).read_bytes()
        except FileNotFoundError:
            return None

    def put_record(self, name, data):  # type: ignore[override]
        if self.path is None:
            self._records[name] = data
            return
        # Write-then-rename, so a crash leaves the old record or the new one, never half of one.
        target = self.path / "records" / name
        temporary = target.with_suffix(".tmp")
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)

    def close(self) -> None:
        """Flush a persistent store and let go of its directory (RocksDB holds a lock on it until
        the engine object is gone), so the same process or another one can open it again."""
        if self.path is not None and self._ox is not None:
            self._ox.flush()
            self._ox = None  # type: ignore[assignment]


# --- the shipped ontology in a lasting store --------------------------------------------------
def _shipped_digest(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _shipped_triples(files: Sequence[Path]) -> set[str]:
    """The shipped triples as N-Triples lines (canonical enough to compare: pyoxigraph writes one
    form per term)."""
    lines = set()
    for path in files:
        try:
            for quad in _parse_file(path):
                if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
                    raise ShippedOntologyError(
                        f"{path} contains a blank node ({quad.subject} {quad.predicate} {quad.object}); "
                        "shipped files must name every node with an IRI so an upgrade can remove it"
                    )
                lines.add(f"{quad.subject} {quad.predicate} {quad.object} .")
        except SyntaxError as error:
            raise ShippedOntologyError(str(error)) from None
    return lines


def _damaged_record(store: Store, problem: str) -> ShippedOntologyError:
    path = getattr(store, "path", None)
    where = str(path / "records" / SHIPPED_RECORD) if path is not None else f"the record {SHIPPED_RECORD!r}"
    return ShippedOntologyError(
        f"{where} is damaged ({problem}); nothing was changed: restore it from a backup, or delete it "
        "to merge the shipped ontology into the store again"
    )


def _record_digest(store: Store, record: bytes) -> str:
    """The digest on the record's first line, checked before anything trusts it."""
    first = record.split(b"\n", 1)[0]
    if len(first) != 64 or any(byte not in b"0123456789abcdef" for byte in first):
        raise _damaged_record(store, "its first line is not a SHA-256 digest")
    return first.decode()


def _record_triples(store: Store, record: bytes) -> set[str]:
    """The triples the record says were shipped, parsed first so a damaged record never reaches an update."""
    try:
        body = record.split(b"\n", 1)[1] if b"\n" in record else b""
        lines = set(body.decode().split("\n")) - {""}
        for _ in ox.parse(body, ox.RdfFormat.N_TRIPLES):
            pass
    except (UnicodeDecodeError, SyntaxError) as error:
        raise _damaged_record(store, f"not N-Triples: {str(error).splitlines()[0]}") from None
    return lines


def sync_shipped(store: Store, files: Sequence[str | Path]) -> SyncReport:
    """Bring the shipped ontology in ``store`` up to date with ``files`` (the policy is in the module
    docstring). Safe to call on every start; a crash half-way is repaired by the next call, because
    the record is written only after the store holds the new triples and applying a difference twice
    changes nothing.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "o.ttl").write_text("<http://e/a> <http://e/p> <http://e/b> .")
    >>> store = OxigraphStore()
    >>> sync_shipped(store, [folder / "o.ttl"]).action, len(store)
    ('loaded', 1)
    >>> sync_shipped(store, [folder / "o.ttl"]).action
    'unchanged'
    >>> _ = (folder / "o.ttl").write_text("<http://e/a> <http://e/p> <http://e/c> .")
    >>> report = sync_shipped(store, [folder / "o.ttl"])
    >>> report.action, report.removed, report.added
    ('upgraded', 1, 1)
    >>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['http://e/c']
    """
    paths = [Path(f) for f in files]
    digest = _shipped_digest(paths)
    with store.write_lock:
        record = store.get_record(SHIPPED_RECORD)
        if record is not None and _record_digest(store, record) == digest:
            return SyncReport("unchanged", digest)
        new = _shipped_triples(paths)
        if record is None:
            action = "loaded" if len(store) == 0 else "merged"
            removed: set[str] = set()
            added = new
        else:
            old = _record_triples(store, record)
            removed, added = old - new, new - old
            action = "upgraded"
        if removed or added:
            parts = []
            if removed:
                parts.append("DELETE DATA {\n" + "\n".join(sorted(removed)) + "\n}")
            if added:
                parts.append("INSERT DATA {\n" + "\n".join(sorted(added)) + "\n}")
            store.update(" ;\n".join(parts))
        store.put_record(SHIPPED_RECORD, (digest + "\n" + "\n".join(sorted(new))).encode())
        return SyncReport(action, digest, added=len(added), removed=len(removed))


# --- choosing a store from the settings ---------------------------------------------------------
def default_data_dir() -> Path:
    """Where the persistent store lives when nothing says otherwise: ``$PAINLINK_DATA_DIR``, else
    ``./data`` (gitignored)."""
    return Path(os.environ.get("PAINLINK_DATA_DIR") or "data")


def open_store(
    *,
    memory: bool = False,
    data_dir: str | Path | None = None,
    store_url: str | None = None,
    store_update_url: str | None = None,
    store_graph_store_url: str | None = None,
    refresh_interval: float | None = 5.0,
    timeout: float = 30.0,
    shipped: Sequence[str | Path] | None = None,
) -> Store:
    """The store the settings ask for: a remote SPARQL server when ``store_url`` is given, else an
    in-memory store when ``memory``, else the persistent store in ``data_dir`` (default
    :func:`default_data_dir`). With ``shipped`` files, :func:`sync_shipped` loads them into it.

    >>> store = open_store(memory=True)
    >>> type(store).__name__, store.path is None
    ('OxigraphStore', True)
    >>> open_store(memory=True, store_url="http://127.0.0.1:7878/query")
    Traceback (most recent call last):
    ...
    ValueError: choose one store: --memory and --store cannot be used together
    """
    if memory and store_url:
        raise ValueError("choose one store: --memory and --store cannot be used together")
    if store_update_url and not store_url:
        raise ValueError("--store-update needs --store (the query URL of the same server)")
    store: Store
    if store_url:
        from painlink.graph.remote_store import RemoteStore  # imports this module: keep it lazy

        store = RemoteStore(
            store_url,
            update_url=store_update_url,
            graph_store_url=store_graph_store_url,
            refresh_interval=refresh_interval,
            timeout=timeout,
        )
    elif memory:
        store = OxigraphStore()
    else:
        store = OxigraphStore(Path(data_dir) if data_dir is not None else default_data_dir())
    if shipped is not None and store.writable:
        # A read-only remote server is used as it is: its owner decides what is in it.
        sync_shipped(store, shipped)
    return store
