"""The pool of query processes: a free worker for each query, more when slow queries hold them all.

Slow queries must not starve fast ones. When every worker has been busy with its query for longer
than :data:`SLOW_AFTER` and another query waits, the pool grows by one worker, up to ``max_size``; a
worker beyond ``size`` that then sits idle for :data:`EXTRA_IDLE_SECONDS` is stopped. So a few heavy
queries hold a few workers while the rest of the traffic keeps its own (measured in bench/README.md,
"Load test"). A worker whose work overruns its time is killed -- the only way to stop the work -- and
replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
from collections import deque

from painlink.service import wire
from painlink.service.errors import EvaluatorUnavailable, QueryTimeout
from painlink.service.evaluator.worker import Worker
from painlink.service.messages import Reply, Request

__all__ = ["EXTRA_IDLE_SECONDS", "SLOW_AFTER", "WorkerPool"]

log = logging.getLogger("painlink.service")

#: Seconds a worker must have been on its current query before it counts as held by a slow one
#: (and, when all are, a query that waits gets an extra worker).
SLOW_AFTER = 0.25
#: Seconds an extra worker (beyond ``size``) may sit idle before it is stopped.
EXTRA_IDLE_SECONDS = 10.0


class WorkerPool:
    """The workers of a :class:`~painlink.service.evaluator.process.ProcessEvaluator` (a part of it:
    ``timeout`` comes from the evaluator)."""

    timeout: float

    def __init__(self, *, size: int, max_size: int | None, network: bool) -> None:
        #: Whether the workers may reach the network (only when federated queries are allowed); else
        #: each cuts itself off before its first query (painlink.service.sandbox).
        self.network = network
        self.size = size
        #: The most workers at once, extras started for queries that wait behind slow ones included.
        self.max_size = max(size, max_size if max_size is not None else 2 * size)
        self._idle: deque[Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._all: set[Worker] = set()
        self._closed = False

    # --- a free worker --------------------------------------------------------------------------
    async def _acquire(self, deadline: float) -> Worker:
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
    def _busy(worker: Worker) -> Worker:
        worker.busy_since = time.monotonic()
        return worker

    def _extra_worker(self) -> Worker | None:
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

    def _spawn(self) -> Worker | None:
        """A new worker in the pool (its replica loads on first use); None if the process cannot start."""
        try:
            worker = Worker(network=self.network)
        except OSError as error:
            log.error("cannot start a query worker: %s", error)
            return None
        self._all.add(worker)
        return worker

    def _drop(self, worker: Worker) -> None:
        """Kill ``worker``, take it out of the pool and delete its replica."""
        worker.kill()
        self._all.discard(worker)
        if worker.location is not None:
            shutil.rmtree(worker.location, ignore_errors=True)

    def _release(self, worker: Worker) -> None:
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

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and put a fresh process in its place (its replica loads on first use)."""
        self._drop(worker)
        if self._closed:
            return
        fresh = self._spawn()
        if fresh is not None:
            self._release(fresh)

    # --- talking to a worker --------------------------------------------------------------------
    async def _call(self, worker: Worker, message: Request, timeout: float) -> Reply:
        """Send ``message`` and wait up to ``timeout`` seconds for the whole reply without blocking the
        loop. On timeout the worker is killed (the work stops) and replaced; so is a worker that died
        or sent something that is not a frame."""
        try:
            async with asyncio.timeout(timeout):  # (no task of its own, unlike wait_for: cheaper)
                return await worker.call(message)
        except (TimeoutError, asyncio.CancelledError):
            self._replace(worker)
            raise
        except (EOFError, OSError, wire.BrokenFrame) as error:
            log.warning("query worker %s stopped unexpectedly: %s", worker.process.pid, error)
            self._replace(worker)
            raise EvaluatorUnavailable("a query evaluator stopped unexpectedly; try again") from None
