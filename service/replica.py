"""The query evaluation process: holds a read replica of the store and answers one request at a time.

pyoxigraph cannot interrupt a running query (``Store.query`` has no timeout or cancellation; a thread
that runs it cannot be stopped), so the service evaluates queries in processes like this one and
kills a process whose query runs past the timeout -- the only way to make the work really stop.
:mod:`painlink.service.evaluator` starts them (``python -m painlink.service.replica READ_FD WRITE_FD``),
keeps their replicas current and sends them work over a pipe; this module is the other end, and
imports nothing but the standard library, pyoxigraph and the result writers, so a process starts in
a fraction of a second.

It answers the requests of :mod:`painlink.service.messages` (frames of :mod:`painlink.service.wire`),
each with one reply.

Unless started with ``--network`` (the operator allowed federated queries), the process first cuts
itself off the network (:mod:`painlink.service.sandbox`), before it reads any message.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from painlink.service import sandbox, wire
from painlink.service.messages import (
    Answered,
    Apply,
    Checked,
    Done,
    Failed,
    Load,
    Open,
    Query,
    Reply,
    Request,
    Spooled,
    Update,
    Verify,
)
from painlink.service.patterns import answer_pattern
from painlink.service.results import TooManyResults, write_boolean, write_solutions, write_triples
from painlink.service.sparql_lexer import one_pattern, outer_limit, star_variables

__all__ = ["Replica", "answer_query", "main", "write_answer"]


def answer_query(store: ox.Store, spec: Query) -> Reply:
    """Evaluate ``spec`` on ``store`` and serialise the answer (:func:`write_answer`).

    >>> store = ox.Store()
    >>> store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }')
    >>> spec = Query("ASK { ?s ?p 1 }", results_format="json", graph_format=None, max_rows=10)
    >>> answer_query(store, spec)
    Answered(kind='boolean', body=b'{"head":{},"boolean":false}')
    >>> answer_query(store, spec._replace(default_graph=("http://e/g",))).body
    b'{"head":{},"boolean":true}'
    >>> answer_query(store, spec._replace(query="CONSTRUCT WHERE { ?s ?p ?o }"))
    Failed(code='not_acceptable', message='graph')
    >>> answer_query(store, spec._replace(query="ASK {")).code
    'syntax'
    """
    pattern = one_pattern(spec.query)
    if pattern is not None:  # one triple pattern: read from the index, the same answer sooner
        reply = answer_pattern(store, pattern, spec)
        if reply is not None:
            return reply
    kwargs: dict[str, Any] = {}
    if spec.default_graph is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) if g else ox.DefaultGraph() for g in spec.default_graph]
    if spec.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in spec.named_graphs]
    try:
        result = store.query(spec.query, base_iri=spec.base_iri, **kwargs)
    except SyntaxError as error:
        return Failed("syntax", str(error))
    except (OSError, RuntimeError) as error:  # pyoxigraph's evaluation errors
        return Failed("eval", str(error))
    return write_answer(result, spec)


def write_answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, spec: Query) -> Reply:
    """Serialise a query result in the format ``spec`` chose for its kind. Evaluation is lazy, so
    errors of evaluation can surface here too."""
    try:
        if isinstance(result, ox.QueryBoolean):
            if spec.results_format is None:
                return Failed("not_acceptable", "boolean")
            return Answered("boolean", write_boolean(bool(result), spec.results_format))
        if isinstance(result, ox.QuerySolutions):
            if spec.results_format is None:
                return Failed("not_acceptable", "results")
            order = star_variables(spec.query) if "*" in spec.query else None
            body = write_solutions(result, spec.results_format, max_rows=spec.max_rows, order=order,
                                   bounded=order is None and _bounded(spec.query, spec.max_rows))
            return Answered("results", body)
        if spec.graph_format is None:
            return Failed("not_acceptable", "graph")
        try:
            body = write_triples(result, spec.graph_format, max_rows=spec.max_rows, prefixes=spec.prefixes)
        except ValueError as error:  # the format cannot hold this answer (triple terms in JSON-LD)
            return Failed("not_acceptable", f"graph: {error}")
        return Answered("graph", body)
    except TooManyResults as error:
        return Failed("too_large", str(error))
    except (OSError, RuntimeError) as error:  # evaluation is lazy: its errors surface while writing
        return Failed("eval", str(error))


#: Answers that a LIMIT keeps under the cap are written by pyoxigraph itself from this many rows on
#: (below, reading the LIMIT costs about what the faster writer saves).
NATIVE_FROM_ROWS = 1000
_LIMIT = re.compile(r"limit\s+(\d+)", re.IGNORECASE)


def _bounded(query: str, max_rows: int) -> bool:
    """Whether the query's own outer LIMIT keeps a large answer within ``max_rows``
    (:func:`~painlink.service.sparql_lexer.outer_limit`; the regex only spares queries without one
    the tokenizer)."""
    if not any(NATIVE_FROM_ROWS <= int(found) <= max_rows for found in _LIMIT.findall(query)):
        return False
    limit = outer_limit(query)
    return limit is not None and limit <= max_rows


def spool(body: bytes, directory: str, number: int) -> str:
    """Write ``body`` to a new file in ``directory`` and return its path (removed again if the write fails)."""
    path = os.path.join(directory, f"answer-{os.getpid()}-{number}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(descriptor, "wb") as file:
            file.write(body)
    except BaseException:
        os.unlink(path)
        raise
    return path


class Replica:
    """The store this process answers from, and how it is replaced."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self._spooled = itertools.count(1)

    def handle(self, message: Request) -> Reply:
        if isinstance(message, Query):
            reply = answer_query(self.store, message)
            if (isinstance(reply, Answered) and message.spool_directory is not None
                    and len(reply.body) > message.spool_above):
                return Spooled(reply.kind, spool(reply.body, message.spool_directory, next(self._spooled)))
            return reply
        if isinstance(message, Load):
            # From bytes, not from the path: pyoxigraph's file reader refuses a line over 16 MiB,
            # and one long literal (which the store accepts) would stop every reload.
            data = message.source if isinstance(message.source, bytes) else Path(message.source).read_bytes()
            fresh = ox.Store()
            fresh.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            del data
            self.store = fresh
            return Done()
        if isinstance(message, Open):
            # Drop the old store first: RocksDB keeps files open until the object is gone, and the
            # service deletes the old checkpoint once this reply arrives.
            self.store = None  # type: ignore[assignment]
            self.store = ox.Store(message.directory)
            return Done()
        if isinstance(message, Update):
            try:
                self.store.update(message.text, base_iri=message.base_iri)
            except SyntaxError as error:
                return Failed("syntax", str(error))
            except (OSError, RuntimeError) as error:
                return Failed("eval", str(error))
            return Done()
        if isinstance(message, Apply):
            return self.apply(message.changes)
        if isinstance(message, Verify):
            from painlink.service.verifier import Unreadable, read_outbound  # rdflib: only when asked

            try:
                reading = read_outbound(message.text, is_update=message.is_update)
            except Unreadable as error:
                return Failed("unreadable", str(error))
            return Checked(reading.services, reading.loads)
        return Failed("internal", f"unknown message {type(message).__name__}")

    def apply(self, changes: list[tuple]) -> Reply:
        """Replay the service's last writes, in order (:mod:`painlink.service.changes`)."""
        try:
            for change in changes:
                if change[0] == "update":
                    self.store.update(change[1], base_iri=change[2])
                elif change[0] == "add":
                    _, data, media_type, graph, base_iri = change
                    target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
                    self.store.load(data, format=ox.RdfFormat.from_media_type(media_type), to_graph=target,
                                    base_iri=base_iri)
                else:
                    return Failed("internal", f"unknown change {change[0]!r}")
        except (SyntaxError, OSError, RuntimeError, ValueError, MemoryError) as error:
            return Failed("eval", f"{type(error).__name__}: {error}")
        return Done()


def main(argv: list[str] | None = None) -> int:
    """Serve requests from the pipe given as two file descriptors until the service closes it."""
    args = sys.argv[1:] if argv is None else argv
    if "--network" in args:
        args = [arg for arg in args if arg != "--network"]
    else:
        measure = sandbox.isolate()
        if not measure.endswith("namespace"):
            print(f"painlink query worker: {measure}; SERVICE is stopped only by the check", file=sys.stderr)
    incoming, outgoing = open(int(args[0]), "rb"), open(int(args[1]), "wb")
    replica = Replica()
    while True:
        try:
            message = wire.receive(incoming)
        except (EOFError, OSError):
            return 0  # the service closed the pipe (or died): nothing left to do
        try:
            reply = replica.handle(message)
        except Exception as error:  # report, never die silently: the service would wait for nothing
            reply = Failed("internal", f"{type(error).__name__}: {error}")
        try:
            wire.send(outgoing, reply)
        except (BrokenPipeError, OSError):
            return 0


if __name__ == "__main__":
    sys.exit(main())
