"""A front process's replica of the store and the queries it answers from it.

:class:`FrontEvaluator` stands where the serving process has its
:class:`~painlink.service.evaluator.ProcessEvaluator`, so the endpoint's handler runs unchanged: it
evaluates a query in a thread of this process (pyoxigraph lets go of the GIL while it works, so the
event loop goes on), on the replica, under the same timeout and row cap, written by the same writers
as a query worker's answer (:func:`painlink.service.replica.answer_query`).

What it cannot answer it hands back with :class:`Forward`: the front then sends the whole request to
the serving process. That is every write, and any query while the replica is behind the store's
version on the :class:`~painlink.service.fronts.board.VersionBoard` (the serving process answers from
a current replica; this one catches up meanwhile, in the background).

A query that overruns is answered 503 with the serving process's wording, and then the front
*retires* (``on_overrun``): the thread cannot be stopped, so the process must end to stop the work.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import shutil
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from painlink.service.errors import QueryTimeout
from painlink.service.evaluator import Answer, QuerySpec
from painlink.service.evaluator.answers import prepared, raise_for
from painlink.service.evaluator.base import Evaluator
from painlink.service.evaluator.process import QUERY_TIMEOUT
from painlink.service.fronts.board import VersionBoard
from painlink.service.messages import Answered, Done, Failed, Open, Request
from painlink.service.replica import Replica
from painlink.service.sparql_lexer import one_pattern
from painlink.service.verifier import Reading, Unreadable

__all__ = ["Forward", "FrontEvaluator"]

log = logging.getLogger("painlink.service")

#: Threads evaluating queries at once in one front; more queries wait for one. Two: a query that
#: overruns holds one until the front's successor listens, while the other goes on answering; more
#: threads cost more than they give (each hand-over between threads is a GIL hand-over: measured,
#: 1k graph, 2 fronts, c=8: 5,463 req/s with two against 2,990 with four).
QUERY_THREADS = 2
#: The rows a query of one triple pattern (:func:`~painlink.service.sparql_lexer.one_pattern`) may
#: answer on the event loop itself. Such a query costs in proportion to its rows, so this bounds how
#: long the loop is held: 50 rows took 0.8-1.9 ms (median by format; 4.4 ms at most) on the bench's
#: 2-core machine, 1,000 rows 15-31 ms. An answer with more rows is answered again on a query thread,
#: with the service's row cap (the first try stops at row 51: under 1 ms). Saves the two thread
#: hand-overs, ~70 us of a ~620 us request on the 1k bench graph (bench/README.md, "Run of 2026-12-02,
#: the query lane").
INLINE_ROWS = 50


class _Threads:
    """Threads taking work from one queue, answering to the event loop (a lighter hop than
    ``run_in_executor``: no concurrent future to wrap and chain, one call back per answer)."""

    def __init__(self, count: int, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._count = count
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        for number in range(count):
            threading.Thread(target=self._serve, name=f"painlink-front-query-{number}", daemon=True).start()

    def call(self, function: Callable[[Any], Any], argument: Any, settle: Callable[[Any, bool], None]) -> None:
        """Run ``function(argument)`` on a thread, then ``settle(outcome, failed)`` on the event loop."""
        self._work.put((function, argument, settle))

    def submit(self, function: Callable[[Any], Any], argument: Any) -> asyncio.Future:
        """:meth:`call` with a future for the outcome."""
        future = self._loop.create_future()
        self.call(function, argument, partial(_settle, future))
        return future

    def _serve(self) -> None:
        while True:
            item = self._work.get()
            if item is None:
                return
            function, argument, settle = item
            if getattr(settle, "abandoned", False):  # a query that timed out while it waited
                continue
            try:
                outcome, failed = function(argument), False
            except BaseException as error:  # noqa: BLE001 - handed to the waiting request
                outcome, failed = error, True
            try:
                self._loop.call_soon_threadsafe(settle, outcome, failed)
            except RuntimeError:  # the loop is closed: the process is ending
                return

    def close(self) -> None:
        for _ in range(self._count):
            self._work.put(None)


def _settle(future: asyncio.Future, outcome: Any, failed: bool) -> None:
    if future.done():  # cancelled meanwhile (the front is closing)
        return
    if failed:
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


class _Ticket:
    """One query started by :meth:`FrontEvaluator.start`: answered once, by the thread or the timer."""

    __slots__ = ("done", "evaluator", "timer")

    def __init__(self, evaluator: FrontEvaluator, done: Callable[[Answer | Exception], None]) -> None:
        self.evaluator = evaluator
        self.done: Callable[[Answer | Exception], None] | None = done
        self.timer: asyncio.TimerHandle | None = None

    @property
    def abandoned(self) -> bool:
        return self.done is None

    def __call__(self, reply: Any, failed: bool) -> None:  # the thread's outcome, on the loop
        done, self.done = self.done, None
        if done is None:  # the timer came first
            return
        if self.timer is not None:
            self.timer.cancel()
        done(reply if failed else _outcome(reply))

    def expire(self) -> None:
        done, self.done = self.done, None
        if done is not None:
            self.evaluator._overran()
            done(QueryTimeout(QUERY_TIMEOUT.format(timeout=self.evaluator.timeout)))


def _outcome(reply: Any) -> Answer | Exception:
    """A worker's reply as the answer, or as the service's exception for its failure."""
    if isinstance(reply, Answered):
        return Answer(reply.kind, reply.body)
    try:
        raise_for(reply)
    except Exception as error:  # noqa: BLE001 - handed to the request, as query() raises it
        return error
    raise AssertionError(f"raise_for did not raise for {reply!r}")


class Forward(Exception):
    """Raised when this front cannot answer the request itself: the serving process must."""


#: Fetches the message that brings a replica at ``since`` to the store's version: (version, message).
ReplicaSource = Callable[[int | None], Awaitable[tuple[int, Request]]]


class FrontEvaluator(Evaluator):
    """Queries on this process's replica, in threads (module docstring)."""

    def __init__(self, board: VersionBoard, source: ReplicaSource, *, timeout: float, max_rows: int,
                 on_overrun: Callable[[], None]) -> None:
        super().__init__(None, timeout=timeout, max_rows=max_rows)  # type: ignore[arg-type]
        self.board = board
        self._source = source
        self._on_overrun = on_overrun
        self._replica = Replica()
        #: The store version the replica holds; None until the first one arrived.
        self.version: int | None = None
        self._threads: _Threads | None = None
        self._catching_up: asyncio.Task | None = None
        self._locations: list[Path] = []
        #: Set when a query overran: from then on every query goes to the serving process.
        self.retiring = False

    @property
    def current(self) -> bool:
        return self.version is not None and self.version == self.board.read()

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        future = asyncio.get_running_loop().create_future()

        def done(outcome: Answer | Exception) -> None:
            if not future.done():  # (the request may have been cancelled meanwhile)
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

        if not self.start(spec, done, deadline=deadline):
            raise Forward
        return await future

    def start(self, spec: QuerySpec, done: Callable[[Answer | Exception], None], *,
              deadline: float | None = None) -> bool:
        """Start ``spec`` without awaiting it: ``done`` gets, on the event loop, the answer or the error
        :meth:`query` raises (a :class:`QueryTimeout` when it overran, and the front retires). A
        query of one triple pattern with few rows is answered at once, before this returns (see
        :data:`INLINE_ROWS`); any other runs on a query thread. False, and nothing started, when the
        serving process must answer (:meth:`query` raises :class:`Forward`): this front is retiring,
        or its replica is behind (it catches up meanwhile)."""
        if self.retiring:
            # A thread is held by an overrunning query until this process ends: queries would wait
            # behind it. The serving process answers them until the successor listens.
            return False
        if not self.current:
            self.catch_up()
            return False
        left = self._seconds_left(deadline)
        if spec.default_graph is None and spec.named_graphs is None and one_pattern(spec.query):
            # Cheaper here than the hop to a thread and back, and bounded: see INLINE_ROWS.
            reply = self._replica.handle(prepared(spec, INLINE_ROWS))
            if not (isinstance(reply, Failed) and reply.code == "too_large"):
                done(_outcome(reply))
                return True
        ticket = _Ticket(self, done)
        ticket.timer = asyncio.get_running_loop().call_later(left, ticket.expire)
        self._threads_here().call(self._replica.handle, prepared(spec, self.max_rows), ticket)
        return True

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        try:
            return await super().verify(text, is_update=is_update)
        except QueryTimeout:
            self._overran()  # rdflib's reading is still running in its thread
            raise

    def _overran(self) -> None:
        if not self.retiring:  # once: the front retires for the first overrun
            self.retiring = True
            self._on_overrun()

    # Every write is the serving process's.
    async def update(self, text: str, *, base_iri: str | None, rehearse: bool) -> None:
        raise Forward

    async def load(self, *args: object, **kwargs: object) -> None:
        raise Forward

    async def replace_graph(self, *args: object, **kwargs: object) -> None:
        raise Forward

    async def drop_graph(self, graph: str | None) -> bool:
        raise Forward

    # --- the replica ------------------------------------------------------------------------------
    def catch_up(self) -> None:
        """Bring the replica to the board's version in the background (once at a time)."""
        if self._catching_up is None or self._catching_up.done():
            self._catching_up = asyncio.get_running_loop().create_task(self._catch_up())

    def _threads_here(self) -> _Threads:
        if self._threads is None:
            self._threads = _Threads(QUERY_THREADS, asyncio.get_running_loop())
        return self._threads

    def _run(self, function: Callable[[Any], Any], argument: Any) -> asyncio.Future:
        return self._threads_here().submit(function, argument)

    async def _catch_up(self) -> None:
        for _attempt in range(3):
            if self.current:
                return
            try:
                version, message = await self._source(self.version)
                reply = await self._run(self._replica.handle, message)
            except Exception as error:  # noqa: BLE001 - the serving process answers meanwhile
                log.warning("front: could not bring its replica up to date (%s); forwarding queries", error)
                await asyncio.sleep(0.5)
                continue
            if not isinstance(reply, Done):
                log.warning("front: replica update refused (%s); asking for a fresh copy", reply)
                self.version = None
                continue
            if isinstance(message, Open):
                self._locations.append(Path(message.directory))
                # The copy before the last may still be read by a query that began on it.
                while len(self._locations) > 2:
                    shutil.rmtree(self._locations.pop(0), ignore_errors=True)
            self.version = version

    async def close(self) -> None:
        if self._catching_up is not None:
            self._catching_up.cancel()
        if self._threads is not None:
            self._threads.close()

