"""Any SPARQL 1.1 server as painlink's store.

:class:`RemoteStore` speaks the SPARQL 1.1 Protocol with httpx: queries go to the query URL, writes to
the update URL (none: the store is read-only), and results come back through
``pyoxigraph.parse_query_results`` / ``pyoxigraph.parse``, so callers get the same pyoxigraph objects
as from the embedded store. Graph-store operations (load, replace, drop) are SPARQL Update requests,
which every SPARQL 1.1 server has; when a Graph Store Protocol URL is configured, bulk loads are
POSTed there instead (one request a file, so blank nodes keep their identity).

Writes by others (other painlink front-ends, other clients) are noticed by a fingerprint polled every
``refresh_interval`` seconds: :mod:`~painlink.graph.stores.watch`.

Painlink's bookkeeping (:meth:`RemoteStore.get_record`) is kept on the server, in the named graph
``urn:painlink:records`` (:mod:`~painlink.graph.stores.records`), which :meth:`RemoteStore.named_graphs`,
``len()`` and dumps leave out. The writes are :class:`~painlink.graph.stores.updates.RemoteUpdates`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pyoxigraph as ox

from .dialect import Dialect, dialect_for, query_form
from .errors import StoreReadOnlyError, StoreUnavailableError
from .interface import Store
from .protocol import ChallengeAuth, accept_for, as_boolean, parse_answer, send, without_credentials
from .records import RECORDS_GRAPH, record_query
from .updates import RemoteUpdates
from .values import DEFAULT_GRAPH
from .watch import stamp_query

__all__ = ["RemoteStore"]


class RemoteStore(RemoteUpdates, Store):
    """A SPARQL 1.1 server as the store.

    Parameters
    ----------
    query_url
        The server's SPARQL query endpoint (``http://host:7878/query`` for ``oxigraph serve``).
    update_url
        Its SPARQL Update endpoint; ``None`` makes the store read-only (writes raise
        :class:`~painlink.graph.stores.errors.StoreReadOnlyError`).
        Each URL may carry ``user:password@`` (sent as Basic or Digest, as the server's challenge
        asks; e.g. Virtuoso's ``/sparql-auth``); it is taken off the URL, so no message shows it.
    graph_store_url
        Its Graph Store Protocol endpoint, used for bulk loads when given.
    refresh_interval
        Seconds between two fingerprint checks for writes by others (:mod:`~painlink.graph.stores.watch`);
        ``None``: never.
    timeout
        Seconds to wait for the server before :class:`~painlink.graph.stores.errors.StoreUnavailableError`.
    dialect
        How the server differs from the standard (:mod:`~painlink.graph.stores.dialect`); None: told
        by the ``Server`` header of the server's first answer.

    Without an update URL every write is refused before anything is sent:

    >>> store = RemoteStore("http://127.0.0.1:9/query")
    >>> try:
    ...     store.update("INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }")
    ... except StoreReadOnlyError as error:
    ...     print(error)
    the remote store http://127.0.0.1:9/query is read-only: no update URL is configured (--store-update)
    >>> store.close()
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        refresh_interval: float | None = 5.0,
        timeout: float = 30.0,
        dialect: Dialect | None = None,
    ) -> None:
        super().__init__()
        for name, url in (("query", query_url), ("update", update_url), ("graph store", graph_store_url)):
            if url is not None and not url.startswith(("http://", "https://")):
                raise ValueError(f"the {name} URL must be an http(s) URL, not {url!r}")
        # A URL may carry user:password@ (Basic or Digest, as the server asks); kept apart from here on.
        self._auth: dict[str, ChallengeAuth] = {}
        query_url, update_url, graph_store_url = (
            self._credentials(url) for url in (query_url, update_url, graph_store_url)
        )
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.refresh_interval = refresh_interval
        self.path = None
        self._client = httpx.Client(timeout=timeout)
        self._check_lock = threading.Lock()
        self._checked_at: float | None = None
        self._fingerprint: tuple[str, ...] | None = None
        self._dialect = dialect
        self._graphs: tuple[int, list[str]] | None = None  # (version, named graphs), see _graph_list

    @property
    def dialect(self) -> Dialect:
        """How this server is spoken to; asked once, with a cheap ASK, the first time it matters."""
        if self._dialect is None:
            response = self._send("GET", self.query_url, params={"query": "ASK {}"},
                                  headers={"Accept": accept_for("ASK")})
            self._dialect = dialect_for(response.headers.get("server", ""))
        return self._dialect

    @property
    def writable(self) -> bool:  # type: ignore[override]
        return self.update_url is not None

    # --- HTTP ---------------------------------------------------------------------------------
    def _credentials(self, url: str | None) -> str | None:
        if url is None:
            return None
        bare, auth = without_credentials(url)
        if auth is not None:
            self._auth[bare] = auth
        return bare

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return send(self._client, method, url, auth=self._auth.get(url, httpx.USE_CLIENT_DEFAULT), **kwargs)

    def _post_update(self, sparql: str) -> None:
        if self.update_url is None:
            raise StoreReadOnlyError(
                f"the remote store {self.query_url} is read-only: no update URL is configured (--store-update)"
            )
        self._send(
            "POST",
            self.update_url,
            content=sparql.encode(),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    # --- reading --------------------------------------------------------------------------------
    def query(self, sparql, *, default_graph=None, named_graphs=None, base_iri=None):  # type: ignore[override]
        dialect = self.dialect
        form = query_form(sparql)
        if base_iri is not None:
            # The protocol has no base parameter; a prologue may hold several BASE/PREFIX lines.
            sparql = f"BASE <{base_iri}>\n{sparql}"
        if default_graph is None:
            sparql = dialect.prologue(sparql)
            if dialect.default_graph is not None and named_graphs is None:
                # Once a default graph is named, Virtuoso's GRAPH <g> sees only named graphs that
                # are named too (GRAPH ?g sees all, its own among them): name painlink's.
                named_graphs = self._graph_list()
        # An empty name stands for the default graph (as on the embedded store).
        defaults = [g or dialect.default_graph or "" for g in default_graph or ()]
        # URL-encoded, not application/sparql-query: both are the protocol's, and Virtuoso 7.2
        # hangs on the second.
        response = self._send(
            "POST",
            self.query_url,
            data={"query": sparql, "default-graph-uri": defaults, "named-graph-uri": list(named_graphs or ())},
            headers={"Accept": accept_for(form)},
        )
        result = parse_answer(response, self.query_url)
        return as_boolean(result) if form == "ASK" and isinstance(result, ox.QuerySolutions) else result

    def _graph_list(self) -> list[str]:
        """Painlink's named graphs, the records graph among them, as of the current version."""
        version = self._version
        if self._graphs is None or self._graphs[0] != version:
            rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._visible(own=False)} }}",
                               named_graphs=[])
            self._graphs = (version, [r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode)])
        return self._graphs[1]

    def _visible(self, variable: str = "?g", *, own: bool = True) -> str:
        """A FILTER keeping ``variable`` to painlink's own named graphs."""
        return self.dialect.graph_filter(variable, (RECORDS_GRAPH,) if own else ())

    def _all_quads(self) -> str:
        return f"{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} {self._visible()} }}"

    def _scalar(self, sparql: str) -> int:
        rows = self.select(sparql)
        return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0

    def dump(self, fmt, graph=None):  # type: ignore[override]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) and graph is None:
            rows = self.select(f"SELECT ?s ?p ?o ?g WHERE {{ {self._all_quads()} }}")
            quads = [ox.Quad(r["s"], r["p"], r["o"], r.get("g", DEFAULT_GRAPH)) for r in rows]
            return ox.serialize(quads, format=fmt)
        pattern = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}")
        assert isinstance(result, ox.QueryTriples)
        return result.serialize(format=fmt)

    def named_graphs(self):  # type: ignore[override]
        inside = "" if self.dialect.empty_graphs else "?s ?p ?o"
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {inside} }} {self._visible()} }}")
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))

    def __len__(self) -> int:
        return self._scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._all_quads()} }}")

    def has_graph(self, graph):  # type: ignore[override]
        if graph is None:
            return True
        if self.dialect.empty_graphs:
            return bool(self.query(f"ASK {{ GRAPH <{graph}> {{ }} }}"))
        # Graphs exist by their triples; and SELECT, not ASK (dialect.py: Virtuoso's ASK is wrong here).
        return bool(self.select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"))

    # --- outside writes ---------------------------------------------------------------------------
    @property
    def version(self) -> int:  # type: ignore[override]
        """Changes with every write through painlink and, checked at most every
        ``refresh_interval`` seconds, when the server's fingerprint moved (:mod:`~painlink.graph.stores.watch`)."""
        if self.refresh_interval is None:
            return self._version
        with self._check_lock:
            now = time.monotonic()
            if self._checked_at is None or now - self._checked_at >= self.refresh_interval:
                self._checked_at = now
                fingerprint = self._take_fingerprint()
                if self._fingerprint is not None and fingerprint != self._fingerprint:
                    self._version += 1
                self._fingerprint = fingerprint
        return self._version

    def _take_fingerprint(self) -> tuple[str, ...]:
        stamps = self.select(stamp_query(RECORDS_GRAPH), named_graphs=[RECORDS_GRAPH])
        return (str(len(self)), *sorted(row["stamp"].value for row in stamps))

    def _changed(self) -> None:
        # Our own write: bump now and take the new fingerprint at once (one aggregate query, far
        # cheaper than the projection rebuild a stale fingerprint would cause at the next check).
        with self._check_lock:
            self._version += 1
            if self.refresh_interval is not None:
                try:
                    self._fingerprint = self._take_fingerprint()
                    self._checked_at = time.monotonic()
                except StoreUnavailableError:
                    self._fingerprint = self._checked_at = None

    # --- bookkeeping on the server -------------------------------------------------------------------
    def get_record(self, name):  # type: ignore[override]
        rows = self.select(record_query(name))
        return rows[0]["v"].value.encode() if rows else None

    def close(self) -> None:
        self._client.close()
