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
import shutil
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from painlink.service.errors import QueryTimeout
from painlink.service.evaluator import Answer, QuerySpec
from painlink.service.evaluator.answers import raise_for
from painlink.service.evaluator.base import CHECK_TIMEOUT, Evaluator
from painlink.service.evaluator.process import QUERY_TIMEOUT
from painlink.service.fronts.board import VersionBoard
from painlink.service.messages import Answered, Done, Open, Request
from painlink.service.replica import Replica
from painlink.service.verifier import Reading, Unreadable

__all__ = ["Forward", "FrontEvaluator"]

log = logging.getLogger("painlink.service")

#: Threads evaluating queries at once in one front (more requests wait for one; each front is one
#: core's worth of event loop, and a thread past the timeout retires the front anyway).
QUERY_THREADS = 4


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
        self._threads = ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="painlink-front-query")
        self._catching_up: asyncio.Task | None = None
        self._locations: list[Path] = []
        #: Queries answered here, and handed to the serving process (for tests and logs).
        self.answered = 0
        self.forwarded = 0

    @property
    def current(self) -> bool:
        return self.version is not None and self.version == self.board.read()

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        if not self.current:
            self.catch_up()
            self.forwarded += 1
            raise Forward
        left = self._seconds_left(deadline)
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._threads, self._replica.handle, spec.message(self.max_rows))
        try:
            async with asyncio.timeout(left):
                reply = await work
        except TimeoutError:
            self._on_overrun()
            raise QueryTimeout(QUERY_TIMEOUT.format(timeout=self.timeout)) from None
        if not isinstance(reply, Answered):
            raise_for(reply)
        self.answered += 1
        return Answer(reply.kind, reply.body)

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        try:
            return await super().verify(text, is_update=is_update)
        except QueryTimeout:
            self._on_overrun()  # rdflib's reading is still running in its thread
            raise QueryTimeout(CHECK_TIMEOUT.format(timeout=self.timeout)) from None

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

    async def _catch_up(self) -> None:
        loop = asyncio.get_running_loop()
        for _attempt in range(3):
            if self.current:
                return
            try:
                version, message = await self._source(self.version)
                reply = await loop.run_in_executor(self._threads, self._replica.handle, message)
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
        self._threads.shutdown(wait=False, cancel_futures=True)

