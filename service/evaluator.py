"""Where SPARQL queries run: off the event loop, under a timeout that really stops the work.

pyoxigraph's ``Store.query`` cannot be interrupted (no timeout or cancellation parameter, and a
Python thread cannot be killed), so a query such as a COUNT over a four-way cartesian product would
keep a core busy long after the client was told it timed out. :class:`ProcessEvaluator` therefore
runs queries in worker processes (:mod:`painlink.service.replica`), each with its own read replica of
the store, and *kills* the process whose query overruns; a fresh one takes its place. Other queries go
to the other workers meanwhile, so one pathological query never holds up the rest.

Replicas follow the store by its :attr:`~painlink.graph.stores.Store.version`: before a worker
evaluates, its replica is brought to the store's current version --

* an in-memory store is dumped once per version to an N-Quads file that each worker bulk-loads;
* a persistent store makes a checkpoint per worker (``Store.backup()``: hard links to RocksDB's
  immutable files, so it is cheap) in ``DATA_DIR/replicas/``, which the worker opens as its own store.
  (Opening the live database read-only from another process is undefined behaviour in RocksDB.)

so a query always sees every write that finished before it started. Refreshes are lazy (the first
query after a write pays for it) and only happen after writes, which are rare on this service.

Slow queries must not starve fast ones. When every worker has been busy with its query for longer
than :data:`SLOW_AFTER` and another query waits, the pool grows by one worker, up to ``max_workers``;
a worker beyond ``workers`` that then sits idle for :data:`EXTRA_IDLE_SECONDS` is stopped. So a few
heavy queries hold a few workers while the rest of the traffic keeps its own (measured in
bench/README.md, "Load test").

Updates run on the real store, in a thread, under the store's write lock. An update with a ``WHERE``
(whose cost depends on the data) is first *rehearsed* on a worker's replica under the timeout: if the
rehearsal overruns, the worker is killed and the update refused with 503, and the store was never
touched. ``INSERT DATA``, ``CLEAR`` and the like do bounded work and skip the rehearsal.

:class:`InlineEvaluator` serves stores that are not embedded (a remote SPARQL server): the remote
server does the work, the HTTP client's timeout bounds the wait.

Replies travel as frames (:mod:`painlink.service.wire`) read by the event loop, so a reply of any size
is awaited until whole. An answer longer than :data:`SPOOL_ABOVE` bytes does not travel in a frame at
all: the worker writes it to a file in the scratch directory and replies with its path; the service
opens the file, unlinks it at once (it then lives only as long as the open file) and streams it to the
client in :data:`CHUNK_BYTES` pieces. So the main process never holds a large answer whole, and the
worker is free for the next query as soon as its answer is written, however slowly the client reads.

The overhead of the process hop on a simple query is measured in bench/README.md ("/sparql
evaluation overhead").
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pyoxigraph as ox

from painlink.graph.stores import OxigraphStore, Store, StoreFullError, replacement_update, says_disk_full
from painlink.service.changes import ChangeLog, replayable
from painlink.service.errors import (
    BadRequest,
    EvaluatorUnavailable,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from painlink.service import wire
from painlink.service.replica import write_answer
from painlink.service.verifier import Reading, Unreadable, read_outbound

__all__ = [
    "Answer",
    "Evaluator",
    "InlineEvaluator",
    "ProcessEvaluator",
    "QuerySpec",
    "UnacceptableAnswer",
    "evaluator_for",
]

log = logging.getLogger("painlink.service")

T = TypeVar("T")

#: Seconds a worker may take to load or open a replica (a large store is slow to bulk-load).
REPLICA_LOAD_TIMEOUT = 600.0
#: Seconds a worker must have been on its current query before it counts as held by a slow one
#: (and, when all are, a query that waits gets an extra worker).
SLOW_AFTER = 0.25
#: Seconds an extra worker (beyond ``workers``) may sit idle before it is stopped.
EXTRA_IDLE_SECONDS = 10.0
#: Answers longer than this many bytes are spooled to a file by the worker and streamed from it
#: (module docstring); shorter ones come back in the reply itself.
SPOOL_ABOVE = 1 << 20
#: The pieces a spooled answer is streamed in.
CHUNK_BYTES = 1 << 20


_CHECK_TIMEOUT = (
    "checking the text for calls to other servers took longer than {timeout:g} s and was stopped; "
    "simplify it (long expressions, deep nesting)"
)


#: The temporary folders of in-memory stores' replica dumps: ``painlink-replicas-PID-XXXX``.
_SCRATCH_PREFIX = "painlink-replicas-"


def _sweep_stale_scratch() -> None:
    """Delete the replica dumps of servers that were killed (no close() ran): folders of ours in the
    temporary directory whose process is gone. Otherwise each killed ``--memory`` server would leave
    a full N-Quads copy of its store behind."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(_SCRATCH_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            log.info("removing the replica dumps of a stopped server: %s", folder)
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # another user's process, or the folder went away
            continue


def _read_or_why(text: str, is_update: bool) -> Reading | Unreadable:
    try:
        return read_outbound(text, is_update=is_update)
    except Unreadable as error:
        return error


@dataclass(frozen=True)
class QuerySpec:
    """One query as the endpoint hands it to an evaluator (see
    :func:`painlink.service.replica.answer_query` for the fields)."""

    query: str
    base_iri: str | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    prefixes: dict[str, str] | None = field(default=None, compare=False)

    def message(self, max_rows: int) -> dict:
        return {
            "query": self.query,
            "base_iri": self.base_iri,
            "default_graph": list(self.default_graph) if self.default_graph is not None else None,
            "named_graphs": list(self.named_graphs) if self.named_graphs is not None else None,
            "results_format": self.results_format,
            "graph_format": self.graph_format,
            "max_rows": max_rows,
            "prefixes": self.prefixes if self.graph_format in ("turtle", "trig") else None,
        }


@dataclass(frozen=True)
class Answer:
    """A serialised answer: ``kind`` is ``results`` (SELECT), ``boolean`` (ASK) or ``graph``
    (CONSTRUCT/DESCRIBE), in the format the spec asked for that kind. A short answer is ``body``; a
    long one is ``spooled``, an open file (already unlinked) that :meth:`chunks` reads and closes."""

    kind: str
    body: bytes = b""
    spooled: BinaryIO | None = field(default=None, compare=False)

    @property
    def size(self) -> int:
        """The answer's length in bytes."""
        return len(self.body) if self.spooled is None else os.fstat(self.spooled.fileno()).st_size

    def chunks(self) -> Iterator[bytes]:
        """The answer in pieces of at most :data:`CHUNK_BYTES` (a spooled file is closed at the end)."""
        if self.spooled is None:
            yield self.body
            return
        with self.spooled as file:
            while piece := file.read(CHUNK_BYTES):
                yield piece

    def read(self) -> bytes:
        """The whole answer (for callers that need it in one piece; the endpoint streams instead)."""
        return b"".join(self.chunks())

    def close(self) -> None:
        """Let go of a spooled answer's file (its disk space is freed with it), read or not."""
        if self.spooled is not None:
            self.spooled.close()


class UnacceptableAnswer(Exception):
    """Raised when the answer is of a ``kind`` for which the client accepts no format (or the chosen
    format cannot hold it); the endpoint turns it into 406 with the formats it could have sent."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


def _raise_for(reply: tuple) -> None:
    """Turn an error reply of :mod:`painlink.service.replica` into the service's exception."""
    code, message = reply[1], reply[2]
    if code == "syntax":
        raise QuerySyntaxError(f"the query does not parse: {message}")
    if code == "too_large":
        raise ResultTooLarge(message)
    if code == "not_acceptable":
        kind = message.split(":", 1)[0]
        raise UnacceptableAnswer(kind, message.partition(": ")[2])
    if code == "eval":
        raise BadRequest(f"the query failed while running: {message}")
    raise EvaluatorUnavailable(f"the query evaluator failed: {message}")


class Evaluator:
    """Runs queries for the endpoint. Subclasses: :class:`ProcessEvaluator`, :class:`InlineEvaluator`."""

    def __init__(self, store: Store, *, timeout: float, max_rows: int) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        #: One service write at a time (updates and Graph Store writes alike): an update's rehearsal
        #: then runs on the state the update will meet.
        self._writes = asyncio.Lock()

    async def start(self) -> None:
        """Get ready to answer (start processes)."""

    async def close(self) -> None:
        """Stop everything :meth:`start` started."""

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        """Evaluate ``spec`` under the timeout, or until ``deadline`` (``time.monotonic()``) if that
        comes sooner: a query whose ``SERVICE <urn:painlink:paths>`` blocks used part of its time."""
        raise NotImplementedError

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        """rdflib's reading of ``text`` for the outbound check (:mod:`painlink.service.verifier`), off
        the event loop and under the timeout; here in a thread (a remote store's service has no
        worker processes), in :class:`ProcessEvaluator` on a worker that is killed if it overruns."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(_read_or_why, text, is_update), self.timeout)
        except TimeoutError:
            raise QueryTimeout(_CHECK_TIMEOUT.format(timeout=self.timeout)) from None

    def _seconds_left(self, deadline: float | None) -> float:
        """The time a query may still take: the timeout, or less before ``deadline``."""
        left = self.timeout if deadline is None else min(self.timeout, deadline - time.monotonic())
        if left <= 0:
            raise QueryTimeout(f"the query's {self.timeout:g} s were spent before it could run "
                               "(on its SERVICE <urn:painlink:paths> blocks)")
        return left

    async def update(self, text: str, *, base_iri: str | None, rehearse: bool) -> None:
        """Apply an update to the store atomically, off the event loop. With ``rehearse``, first prove
        it ends within the timeout (module docstring); evaluators that cannot rehearse ignore it."""
        async with self._writes:
            await self._write(_update_change(text, base_iri), self._apply_update, text, base_iri)

    # Graph Store writes: off the event loop, under the lock updates take (never beside an update's
    # rehearsal), each one atomic store operation.
    async def load(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None, base_iri: str | None) -> None:
        """Add ``data`` to ``graph`` (Graph Store POST); ``SyntaxError`` if it does not parse."""
        async with self._writes:
            await self._write(("add", data, fmt.media_type, graph, base_iri),
                              self.store.load, data, fmt, graph=graph, base_iri=base_iri)

    async def replace_graph(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None,
                            base_iri: str | None = None) -> None:
        """Replace ``graph`` with ``data`` in one transaction (Graph Store PUT; relative IRIs resolve
        against ``base_iri``); ``SyntaxError`` if it does not parse (before anything is locked)."""
        text = await asyncio.to_thread(
            lambda: replacement_update(ox.parse(data, format=fmt, base_iri=base_iri), graph))
        async with self._writes:
            await self._write(("update", text, None), self.store.update, text)

    async def drop_graph(self, graph: str | None) -> bool:
        """Remove ``graph`` (clear the default graph); whether it existed (Graph Store DELETE)."""
        text = "CLEAR SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH {ox.NamedNode(graph)}"
        async with self._writes:
            return await self._write(("update", text, None), self.store.drop_graph, graph)

    async def _write(self, change: tuple | None, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run the write ``function`` in a thread; ``change`` is how a replica can replay it."""

        def run() -> tuple[T, int, int]:
            with self.store.write_lock:  # the two versions bracket exactly this write
                before = self.store.version
                result = function(*args, **kwargs)
                return result, before, self.store.version

        result, before, after = await asyncio.to_thread(run)
        self._changed(before, after, change)
        return result

    def _changed(self, before: int, after: int, change: tuple | None) -> None:
        """A write took the store from version ``before`` to ``after`` (replicas may follow it)."""

    def _apply_update(self, text: str, base_iri: str | None) -> None:
        try:
            self.store.update(text, base_iri=base_iri)  # atomic; takes the store's write lock
        except SyntaxError as error:
            raise QuerySyntaxError(f"the update does not parse: {error}") from None
        except (OSError, RuntimeError) as error:  # pyoxigraph's evaluation errors (e.g. the graph exists)
            raise BadRequest(f"the update failed and changed nothing: {error}") from None


class InlineEvaluator(Evaluator):
    """Evaluate through the store's own ``query`` in a thread (for stores whose work happens elsewhere,
    such as a remote SPARQL server, where the HTTP client's timeout bounds the wait)."""

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        message = spec.message(self.max_rows)
        left = self._seconds_left(deadline)

        def run() -> tuple:
            try:
                result = self.store.query(
                    spec.query,
                    default_graph=message["default_graph"],
                    named_graphs=message["named_graphs"],
                    base_iri=spec.base_iri,
                )
            except SyntaxError as error:
                return ("error", "syntax", str(error))
            try:
                return write_answer(result, message)
            finally:
                # pyoxigraph's result iterators must be dropped on the thread that made them; without
                # this, an exception's traceback would carry ``result`` to the event loop's thread.
                del result

        try:
            reply = await asyncio.wait_for(asyncio.to_thread(run), left)
        except TimeoutError:
            raise QueryTimeout(
                f"the query did not finish within {self.timeout:g} s (the remote store may still be working on it)"
            ) from None
        if reply[0] != "ok":
            _raise_for(reply)
        return Answer(reply[1], reply[2])


def _update_change(text: str, base_iri: str | None) -> tuple | None:
    """The replica change replaying an update, or None if it would not give the same triples."""
    return ("update", text, base_iri) if replayable(text) else None


# --- worker processes --------------------------------------------------------------------------------
class _Worker:
    """One evaluation process and the pipe to it."""

    _numbers = itertools.count(1)

    def __init__(self, *, network: bool = False) -> None:
        self.number = next(self._numbers)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            # -P: do not put the working directory first on sys.path (a source checkout there must not
            # shadow the installed package).
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "painlink.service.replica", str(to_child_r), str(from_child_w)]
                + (["--network"] if network else []),
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
            )
        except OSError:
            os.close(to_child_w)
            os.close(from_child_r)
            raise
        finally:
            os.close(to_child_r)  # the child's ends: only the child may hold them, so EOF reaches it
            os.close(from_child_w)
        self._to_child = open(to_child_w, "wb", buffering=0)  # noqa: SIM115 - kill() closes them
        self._from_child = open(from_child_r, "rb", buffering=0)  # noqa: SIM115
        # The event loop's ends of the pipes (which own the files above), made on first use (:meth:`call`).
        self._reader: asyncio.StreamReader | None = None
        self._incoming: asyncio.ReadTransport | None = None
        self._outgoing: asyncio.WriteTransport | None = None
        self.version: int | None = None  # the store version its replica holds; None: must (re)load
        self.busy_since = time.monotonic()  # when it took its current work (or was started)
        self.idle_since = time.monotonic()
        self.location: Path | None = None  # its checkpoint directory (persistent stores)
        #: (version, change) when its replica is ``version`` plus a rehearsed ``change``.
        self.rehearsed: tuple[int, tuple] | None = None

    async def call(self, message: tuple) -> tuple:
        """Send ``message`` and wait for the reply, however long it is and in however many pieces it
        arrives (:mod:`painlink.service.wire`). ``EOFError`` if the process has gone."""
        loop = asyncio.get_running_loop()
        if self._reader is None:
            reader = asyncio.StreamReader(limit=SPOOL_ABOVE, loop=loop)
            self._incoming, _ = await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader, loop=loop), self._from_child
            )
            self._reader = reader
        if self._outgoing is None:
            self._outgoing, _ = await loop.connect_write_pipe(asyncio.Protocol, self._to_child)
        if self._outgoing.is_closing():
            raise EOFError("the pipe to the worker is closed")
        self._outgoing.write(wire.encode(message))
        return await wire.read(self._reader)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        # A transport closes its file (and the descriptor) itself; a file no transport took is closed here.
        for transport, file in ((self._incoming, self._from_child), (self._outgoing, self._to_child)):
            if transport is not None:
                transport.close()
            else:
                file.close()
        # Reap without blocking the caller for long: a killed process exits at once.
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - the kernel does not delay SIGKILL this long
            log.warning("query worker %s did not exit after SIGKILL", self.process.pid)


class ProcessEvaluator(Evaluator):
    """Evaluate queries in ``workers`` processes holding replicas of an embedded store (module
    docstring)."""

    def __init__(
        self,
        store: OxigraphStore,
        *,
        timeout: float,
        max_rows: int,
        workers: int = 2,
        max_workers: int | None = None,
        prefixes: dict[str, str] | None = None,
        network: bool = False,
    ) -> None:
        super().__init__(store, timeout=timeout, max_rows=max_rows)
        self.store: OxigraphStore = store
        #: Whether the workers may reach the network (only when federated queries are allowed); else
        #: each cuts itself off before its first query (painlink.service.sandbox).
        self.network = network
        self.size = workers
        #: The most workers at once, extras started for queries that wait behind slow ones included.
        self.max_size = max(workers, max_workers if max_workers is not None else 2 * workers)
        self.prefixes = prefixes
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._all: set[_Worker] = set()
        self._closed = False
        self._snapshot_lock = threading.Lock()
        self._dump: tuple[int, Path] | None = None
        self._scratch: Path | None = None
        self._checkpoints = itertools.count(1)
        self._changes = ChangeLog()
        #: Queries stopped by the timeout, workers killed and respawned (for tests and logs).
        self.timeouts = 0

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        if self.store.path is not None:
            self._scratch = self.store.path / "replicas"
            shutil.rmtree(self._scratch, ignore_errors=True)  # checkpoints left by a killed server
            self._scratch.mkdir(parents=True)
        else:
            _sweep_stale_scratch()
            self._scratch = Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-"))
        workers = [_Worker(network=self.network) for _ in range(self.size)]
        self._all.update(workers)
        # Load the replicas now, so the first queries do not pay for it.
        try:
            await asyncio.gather(*(self._refresh(w) for w in workers))
        finally:
            for worker in workers:
                if worker in self._all:
                    self._release(worker)

    async def close(self) -> None:
        self._closed = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(EvaluatorUnavailable("the service is shutting down"))
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle.clear()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    # --- a free worker --------------------------------------------------------------------------
    async def _acquire(self, deadline: float) -> _Worker:
        if self._closed:
            raise EvaluatorUnavailable("the service is shutting down")
        if self._idle:
            return self._busy(self._idle.popleft())
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            while True:
                if waiter.done():  # a worker was handed over (or the evaluator closed: raises)
                    return self._busy(waiter.result())
                extra = self._extra_worker()
                if extra is not None:
                    return self._busy(extra)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout(
                        f"all {len(self._all)} query evaluators stayed busy for {self.timeout:g} s; "
                        "try again shortly"
                    )
                # Look again every SLOW_AFTER seconds (the workers may by then all be on slow
                # queries); shield keeps this request's place in the queue across the wake-ups.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(waiter), min(left, SLOW_AFTER))
        except BaseException:
            # Giving up (timeout, client gone): a worker handed over meanwhile goes to the next in line.
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    @staticmethod
    def _busy(worker: _Worker) -> _Worker:
        worker.busy_since = time.monotonic()
        return worker

    def _extra_worker(self) -> _Worker | None:
        """A new worker, when every worker is held by a slow query and the pool may still grow."""
        if self._closed or len(self._all) >= self.max_size:
            return None
        now = time.monotonic()
        if any(now - worker.busy_since < SLOW_AFTER for worker in self._all):
            return None
        extra = self._spawn()
        if extra is not None:
            log.info("all %d query workers are on slow queries: started one more", len(self._all) - 1)
        return extra

    def _spawn(self) -> _Worker | None:
        """A new worker in the pool (its replica loads on first use); None if the process cannot start."""
        try:
            worker = _Worker(network=self.network)
        except OSError as error:
            log.error("cannot start a query worker: %s", error)
            return None
        self._all.add(worker)
        return worker

    def _drop(self, worker: _Worker) -> None:
        """Kill ``worker``, take it out of the pool and delete its replica."""
        worker.kill()
        self._all.discard(worker)
        if worker.location is not None:
            shutil.rmtree(worker.location, ignore_errors=True)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        worker.idle_since = time.monotonic()
        self._idle.append(worker)
        if len(self._all) > self.size:
            asyncio.get_running_loop().call_later(EXTRA_IDLE_SECONDS, self._retire_extras)

    def _retire_extras(self) -> None:
        """Stop extra workers (beyond ``workers``) that have been idle for EXTRA_IDLE_SECONDS."""
        now = time.monotonic()
        for worker in list(self._idle):
            if len(self._all) <= self.size:
                return
            if now - worker.idle_since >= EXTRA_IDLE_SECONDS * 0.99:
                self._idle.remove(worker)
                self._drop(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh process in its place (its replica loads on first use)."""
        self._drop(worker)
        if self._closed:
            return
        fresh = self._spawn()
        if fresh is not None:
            self._release(fresh)

    # --- talking to a worker --------------------------------------------------------------------
    async def _call(self, worker: _Worker, message: tuple, timeout: float) -> tuple:
        """Send ``message`` and wait up to ``timeout`` seconds for the whole reply without blocking the
        loop. On timeout the worker is killed (the work stops) and replaced; so is a worker that died
        or sent something that is not a frame."""
        try:
            return await asyncio.wait_for(worker.call(message), timeout)
        except (TimeoutError, asyncio.CancelledError):
            self._replace(worker)
            raise
        except (EOFError, OSError, wire.BrokenFrame) as error:
            log.warning("query worker %s stopped unexpectedly: %s", worker.process.pid, error)
            self._replace(worker)
            raise EvaluatorUnavailable("a query evaluator stopped unexpectedly; try again") from None

    def _snapshot(self, worker: _Worker) -> tuple[int, tuple]:
        """A replica of the store's current state for ``worker``: (version, message that loads it).
        Runs in a thread (dumps and checkpoints take time on a large store)."""
        # Under the store's write lock: the copy must hold exactly ``version``. A write racing with it
        # would be in the copy *and* replayed on it later (service/changes.py) -- twice, for an update
        # such as an increment (tests/hardening/test_durability.py saw a counter past its end).
        with self._snapshot_lock, self.store.write_lock:
            version = self.store.version
            assert self._scratch is not None
            target = None
            try:
                if self.store.path is None:
                    if self._dump is None or self._dump[0] != version:
                        target = self._scratch / f"store-{version}-{next(self._checkpoints)}.nq"
                        self.store.engine.dump(output=str(target), format=ox.RdfFormat.N_QUADS)
                        if self._dump is not None:
                            self._dump[1].unlink(missing_ok=True)  # workers already loaded it or will redo
                        self._dump = (version, target)
                    return version, ("load", str(self._dump[1]))
                target = self._scratch / f"worker-{worker.number}-{next(self._checkpoints)}"
                self.store.engine.backup(str(target))
                return version, ("open", str(target))
            except OSError as error:
                # A full disk must not stop the reads: hand the replica over the pipe instead (it
                # costs memory, not disk; writes are refused meanwhile, so this stays rare).
                log.warning("cannot write a replica for a query worker (%s); sending it through the pipe", error)
                if target is not None and target.is_dir():
                    shutil.rmtree(target, ignore_errors=True)
                elif target is not None:
                    target.unlink(missing_ok=True)
                return version, ("load", self.store.engine.dump(format=ox.RdfFormat.N_QUADS))

    def _changed(self, before: int, after: int, change: tuple | None) -> None:  # type: ignore[override]
        self._changes.add(before, after, change)

    async def _follow(self, worker: _Worker) -> bool:
        """Bring ``worker``'s replica to the store's version by replaying the writes since its own
        (:mod:`painlink.service.changes`); False if they are not all known or one failed."""
        if worker.version is None and worker.rehearsed is not None:
            # Its replica holds a rehearsed update: if that update is what was applied, it is current.
            version, change = worker.rehearsed
            worker.rehearsed = None
            entry = self._changes.get(version)
            if entry is not None and entry[1] == change:
                worker.version = entry[0]
        if worker.version is None:
            return False
        target = self.store.version
        changes = self._changes.between(worker.version, target)
        if not changes:
            return False
        reply = await self._call(worker, ("apply", changes), REPLICA_LOAD_TIMEOUT)
        if reply[0] != "ok":
            log.warning("query worker could not replay %d writes (%s); reloading its replica", len(changes), reply[2])
            worker.version = None
            return False
        worker.version = target
        return True

    async def _refresh(self, worker: _Worker) -> None:
        """Bring ``worker``'s replica to the store's current version: by replaying the last writes
        when it can, else by a fresh copy of the store."""
        failed = None
        for _attempt in range(3):
            if worker.version == self.store.version:
                return
            if await self._follow(worker):
                continue
            version, message = await asyncio.to_thread(self._snapshot, worker)
            reply = await self._call(worker, message, REPLICA_LOAD_TIMEOUT)
            if reply[0] != "ok":
                if message[0] == "open":
                    shutil.rmtree(message[1], ignore_errors=True)
                log.warning("query worker could not load its replica: %s", reply[2])
                failed = reply[2]
                continue  # the dump was replaced under it: take the new one
            failed = None
            if message[0] == "open":
                if worker.location is not None:
                    shutil.rmtree(worker.location, ignore_errors=True)
                worker.location = Path(message[1])
            worker.version = version
        if worker.version is None or failed is not None:
            # Never answer from a replica that missed writes: a fresh process takes this one's place.
            self._replace(worker)
            raise EvaluatorUnavailable(f"a query evaluator could not load the store ({failed}); try again")

    # --- the public operations -----------------------------------------------------------------------
    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        assert self._scratch is not None
        message = {**spec.message(self.max_rows), "spool": {"directory": str(self._scratch), "above": SPOOL_ABOVE}}
        reply = await self._run_on_worker(
            ("query", message),
            timeout_message=(
                f"the query did not finish within {self.timeout:g} s and was stopped; "
                "narrow it (a LIMIT, more specific patterns) or ask the operator to raise the timeout"
            ),
            dirties_replica=False,
            deadline=deadline,
        )
        if reply[0] == "spooled":
            # No await from the reply to the unlink: a cancelled request cannot leave the file behind.
            file = open(reply[2], "rb")  # noqa: SIM115 - Answer.chunks closes it
            os.unlink(reply[2])
            return Answer(reply[1], spooled=file)
        if reply[0] != "ok":
            _raise_for(reply)
        return Answer(reply[1], reply[2])

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        reply = await self._run_on_worker(
            ("verify", text, is_update),
            timeout_message=_CHECK_TIMEOUT.format(timeout=self.timeout),
            dirties_replica=False,
        )
        if reply[0] == "ok":
            return Reading(tuple(reply[1]), reply[2])
        if reply[1] == "unreadable":
            return Unreadable(reply[2])
        _raise_for(reply)
        raise AssertionError("unreachable")

    async def update(self, text: str, *, base_iri: str | None, rehearse: bool) -> None:
        # One service write at a time (Graph Store writes take the same lock, see write()), so the
        # replica the rehearsal ran on is the state the update meets (writers outside the service --
        # none while it serves -- would only make the rehearsal a slightly different guard, never a
        # wrong update: the real one is atomic on its own).
        async with self._writes:
            if rehearse:
                await self._rehearse(text, base_iri)
            await self._write(_update_change(text, base_iri), self._apply_update, text, base_iri)

    async def _rehearse(self, text: str, base_iri: str | None) -> None:
        reply = await self._run_on_worker(
            ("update", text, base_iri),
            timeout_message=f"the update did not finish within {self.timeout:g} s and was stopped; nothing was changed",
            dirties_replica=True,
        )
        if reply[0] != "ok":
            if reply[1] == "syntax":
                raise QuerySyntaxError(f"the update does not parse: {reply[2]}")
            if says_disk_full(reply[2]):  # the replica shares the store's disk: the update would fail too
                raise StoreFullError("the update failed: the store's disk is full; nothing was changed")
            raise BadRequest(f"the update failed and changed nothing: {reply[2]}")

    async def _run_on_worker(self, message: tuple, *, timeout_message: str, dirties_replica: bool,
                             deadline: float | None = None) -> tuple:
        """Send ``message`` to a worker with an up-to-date replica, under the timeout.

        A worker that times out is killed (its work cannot be interrupted otherwise) and never
        released; one that died is dropped. ``dirties_replica``: the message changes the worker's
        replica (a rehearsed update), so it reloads before its next use.
        """
        given = deadline
        deadline = time.monotonic() + self._seconds_left(given)
        worker = await self._acquire(deadline)
        healthy = True
        try:
            await self._refresh(worker)
            at = worker.version
            # The query's own time starts now (a replica's refresh is the service's cost), unless a
            # deadline was given: then what is left of it (checked before the worker is used).
            timeout = self.timeout if given is None else self._seconds_left(given)
            reply = await self._call(worker, message, timeout)
            if dirties_replica and at is not None and reply[0] == "ok":
                worker.rehearsed = (at, message)
            return reply
        except TimeoutError:
            healthy = False
            self.timeouts += 1
            raise QueryTimeout(timeout_message) from None
        except BaseException:
            healthy = worker in self._all and worker.process.poll() is None
            raise
        finally:
            if healthy and worker in self._all:
                if dirties_replica:
                    worker.version = None
                self._release(worker)


def evaluator_for(
    store: Store,
    *,
    timeout: float,
    max_rows: int,
    workers: int,
    prefixes: dict[str, str],
    max_workers: int | None = None,
    network: bool = False,
) -> Evaluator:
    """The evaluator that fits ``store``: worker processes for the embedded store, the store itself
    for anything else."""
    if isinstance(store, OxigraphStore):
        return ProcessEvaluator(
                        store, timeout=timeout, max_rows=max_rows, workers=workers, max_workers=max_workers,
            prefixes=prefixes, network=network,
        )
    return InlineEvaluator(store, timeout=timeout, max_rows=max_rows)

