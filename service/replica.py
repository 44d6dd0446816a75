"""The query evaluation process: holds a read replica of the store and answers one request at a time.

pyoxigraph cannot interrupt a running query (``Store.query`` has no timeout or cancellation; a thread
that runs it cannot be stopped), so the service evaluates queries in processes like this one and
kills a process whose query runs past the timeout -- the only way to make the work really stop.
:mod:`painlink.service.evaluator` starts them (``python -m painlink.service.replica READ_FD WRITE_FD``),
keeps their replicas current and sends them work over a pipe; this module is the other end, and
imports nothing but the standard library, pyoxigraph and the result writers, so a process starts in
a fraction of a second.

Messages (frames of :mod:`painlink.service.wire`), each answered with one reply:

* ``("load", path)`` -- replace the replica with a fresh in-memory store bulk-loaded from an N-Quads
  dump at ``path`` (or in the message itself, as bytes, when no dump could be written: a full disk);
  ``("open", directory)`` -- replace it with the on-disk store in ``directory`` (a checkpoint of the
  persistent store that belongs to this process alone). Reply ``("ok",)``.
* ``("query", spec)`` -- evaluate and serialise (see :func:`answer_query`). Reply ``("ok", kind, body)``
  with ``kind`` one of ``results``, ``boolean``, ``graph``; or, when ``spec["spool"]`` is
  ``{"directory": D, "above": N}`` and the answer is longer than ``N`` bytes, ``("spooled", kind,
  path)``: the answer was written to the new file ``path`` in ``D``, which the service opens, unlinks
  and streams to its client (so a large answer never crosses the pipe, nor sits whole in the service).
* ``("update", text, base_iri)`` -- apply an update to the replica: a rehearsal that shows the update
  ends within the timeout before the service applies it to the real store. Reply ``("ok",)``.
* ``("apply", changes)`` -- replay the service's last writes on the replica, in order (the changes
  of :mod:`painlink.service.changes`), so it follows the store without a reload. Reply ``("ok",)``.
* ``("verify", text, is_update)`` -- rdflib's reading of the text's SERVICE targets and LOADs
  (:func:`painlink.service.verifier.read_outbound`). Reply ``("ok", services, loads)``, or
  ``("error", "unreadable", why)`` when rdflib cannot parse it.

Unless started with ``--network`` (the operator allowed federated queries), the process first cuts
itself off the network (:mod:`painlink.service.sandbox`), before it reads any message.

Any failure is answered ``("error", code, message)``; ``code`` is ``syntax`` (the parser's message),
``too_large`` (result cap), ``not_acceptable`` (no negotiated format for this kind of answer, or a
format that cannot hold it), ``eval`` (evaluation failed) or ``internal``.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from painlink.service import sandbox, wire
from painlink.service.results import TooManyResults, write_boolean, write_solutions, write_triples
from painlink.service.sparql_lexer import star_variables

__all__ = ["Replica", "answer_query", "main", "write_answer"]


def answer_query(store: ox.Store, spec: dict[str, Any]) -> tuple:
    """Evaluate ``spec`` on ``store`` and serialise the answer (:func:`write_answer`).

    ``spec`` keys: ``query``, ``base_iri``, ``default_graph`` / ``named_graphs`` (IRI lists, or None
    for the store's own dataset; ``""`` in ``default_graph`` is the store's default graph),
    ``results_format`` / ``graph_format`` (what content negotiation chose for a tabular or an RDF
    answer; None when the client accepts none), ``max_rows`` and ``prefixes`` (for Turtle/TriG).

    >>> store = ox.Store()
    >>> store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }')
    >>> spec = {"query": "ASK { ?s ?p 1 }", "results_format": "json", "graph_format": None, "max_rows": 10}
    >>> answer_query(store, spec)
    ('ok', 'boolean', b'{"head":{},"boolean":false}')
    >>> answer_query(store, {**spec, "default_graph": ["http://e/g"]})[2]
    b'{"head":{},"boolean":true}'
    >>> answer_query(store, {**spec, "query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    ('error', 'not_acceptable', 'graph')
    >>> answer_query(store, {**spec, "query": "ASK {"})[:2]
    ('error', 'syntax')
    """
    kwargs: dict[str, Any] = {}
    if spec.get("default_graph") is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) if g else ox.DefaultGraph() for g in spec["default_graph"]]
    if spec.get("named_graphs") is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in spec["named_graphs"]]
    try:
        result = store.query(spec["query"], base_iri=spec.get("base_iri"), **kwargs)
    except SyntaxError as error:
        return ("error", "syntax", str(error))
    except (OSError, RuntimeError) as error:  # pyoxigraph's evaluation errors
        return ("error", "eval", str(error))
    return write_answer(result, spec)


def write_answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, spec: dict[str, Any]) -> tuple:
    """Serialise a query result in the format ``spec`` chose for its kind; the reply tuple of the
    module docstring. Evaluation is lazy, so errors of evaluation can surface here too."""
    try:
        if isinstance(result, ox.QueryBoolean):
            if spec["results_format"] is None:
                return ("error", "not_acceptable", "boolean")
            return ("ok", "boolean", write_boolean(bool(result), spec["results_format"]))
        if isinstance(result, ox.QuerySolutions):
            if spec["results_format"] is None:
                return ("error", "not_acceptable", "results")
            order = star_variables(spec["query"]) if "*" in spec["query"] else None
            return ("ok", "results", write_solutions(result, spec["results_format"], max_rows=spec["max_rows"], order=order))
        if spec["graph_format"] is None:
            return ("error", "not_acceptable", "graph")
        try:
            body = write_triples(result, spec["graph_format"], max_rows=spec["max_rows"], prefixes=spec.get("prefixes"))
        except ValueError as error:  # the format cannot hold this answer (triple terms in JSON-LD)
            return ("error", "not_acceptable", f"graph: {error}")
        return ("ok", "graph", body)
    except TooManyResults as error:
        return ("error", "too_large", str(error))
    except (OSError, RuntimeError) as error:  # evaluation is lazy: its errors surface while writing
        return ("error", "eval", str(error))


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

    def handle(self, message: tuple) -> tuple:
        operation = message[0]
        if operation == "query":
            spec = message[1]
            reply = answer_query(self.store, spec)
            where = spec.get("spool")
            if reply[0] == "ok" and where is not None and len(reply[2]) > where["above"]:
                return ("spooled", reply[1], spool(reply[2], where["directory"], next(self._spooled)))
            return reply
        if operation == "load":
            # From bytes, not from the path: pyoxigraph's file reader refuses a line over 16 MiB,
            # and one long literal (which the store accepts) would stop every reload.
            data = message[1] if isinstance(message[1], bytes) else Path(message[1]).read_bytes()
            fresh = ox.Store()
            fresh.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            del data
            self.store = fresh
            return ("ok",)
        if operation == "open":
            # Drop the old store first: RocksDB keeps files open until the object is gone, and the
            # service deletes the old checkpoint once this reply arrives.
            self.store = None  # type: ignore[assignment]
            self.store = ox.Store(message[1])
            return ("ok",)
        if operation == "update":
            try:
                self.store.update(message[1], base_iri=message[2])
            except SyntaxError as error:
                return ("error", "syntax", str(error))
            except (OSError, RuntimeError) as error:
                return ("error", "eval", str(error))
            return ("ok",)
        if operation == "apply":
            return self.apply(message[1])
        if operation == "verify":
            from painlink.service.verifier import Unreadable, read_outbound  # rdflib: only when asked

            try:
                reading = read_outbound(message[1], is_update=message[2])
            except Unreadable as error:
                return ("error", "unreadable", str(error))
            return ("ok", reading.services, reading.loads)
        if operation == "ping":
            return ("ok",)
        return ("error", "internal", f"unknown message {operation!r}")


    def apply(self, changes: list[tuple]) -> tuple:
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
                    return ("error", "internal", f"unknown change {change[0]!r}")
        except (SyntaxError, OSError, RuntimeError, ValueError, MemoryError) as error:
            return ("error", "eval", f"{type(error).__name__}: {error}")
        return ("ok",)


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
            reply = ("error", "internal", f"{type(error).__name__}: {error}")
        try:
            wire.send(outgoing, reply)
        except (BrokenPipeError, OSError):
            return 0


if __name__ == "__main__":
    sys.exit(main())
