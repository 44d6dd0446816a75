"""Queries in worker processes holding replicas of the embedded store, under a timeout that kills.

:class:`ProcessEvaluator` sends each query to a worker of its pool (:mod:`.pool`) whose replica is
current (:mod:`.replicas`), and kills a worker whose query overruns; a fresh one takes its place.

Updates run on the real store, in a thread, under the store's write lock. An update with a ``WHERE``
(whose cost depends on the data) is first *rehearsed* on a worker's replica under the timeout: if the
rehearsal overruns, the worker is killed and the update refused with 503, and the store was never
touched. ``INSERT DATA``, ``CLEAR`` and the like do bounded work and skip the rehearsal.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

from painlink.graph.stores import OxigraphStore, StoreFullError, says_disk_full
from painlink.service.errors import BadRequest, EvaluatorUnavailable, QuerySyntaxError, QueryTimeout
from painlink.service.evaluator.answers import SPOOL_ABOVE, Answer, QuerySpec, prepared, raise_for
from painlink.service.evaluator.base import CHECK_TIMEOUT, Evaluator, update_change
from painlink.service.evaluator.pool import WorkerPool
from painlink.service.evaluator.replicas import SCRATCH_PREFIX, ReplicaKeeper, sweep_stale_scratch
from painlink.service.evaluator.worker import Worker
from painlink.service.messages import Answered, Checked, Done, Failed, Reply, Request, Spooled, Update, Verify
from painlink.service.verifier import Reading, Unreadable

__all__ = ["QUERY_TIMEOUT", "ProcessEvaluator"]

QUERY_TIMEOUT = (
    "the query did not finish within {timeout:g} s and was stopped; "
    "narrow it (a LIMIT, more specific patterns) or ask the operator to raise the timeout"
)


class ProcessEvaluator(ReplicaKeeper, WorkerPool, Evaluator):
    """Evaluate queries in ``workers`` processes holding replicas of an embedded store (module
    docstring); up to ``max_workers`` when slow queries hold them all (:mod:`.pool`)."""

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
        Evaluator.__init__(self, store, timeout=timeout, max_rows=max_rows)
        WorkerPool.__init__(self, size=workers, max_size=max_workers, network=network)
        ReplicaKeeper.__init__(self)
        self.store: OxigraphStore = store
        self.prefixes = prefixes
        #: Queries stopped by the timeout, workers killed and respawned (for tests and logs).
        self.timeouts = 0

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        if self.store.path is not None:
            self._scratch = self.store.path / "replicas"
            shutil.rmtree(self._scratch, ignore_errors=True)  # checkpoints left by a killed server
            self._scratch.mkdir(parents=True)
        else:
            sweep_stale_scratch()
            self._scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        workers = [Worker(network=self.network) for _ in range(self.size)]
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

    # --- the public operations -----------------------------------------------------------------------
    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        assert self._scratch is not None
        message = prepared(spec, self.max_rows, spool_directory=str(self._scratch), spool_above=SPOOL_ABOVE)
        reply = await self._run_on_worker(message, timeout_message=QUERY_TIMEOUT.format(timeout=self.timeout),
                                          dirties_replica=False, deadline=deadline)
        if isinstance(reply, Spooled):
            # No await from the reply to the unlink: a cancelled request cannot leave the file behind.
            file = open(reply.path, "rb")  # noqa: SIM115 - Answer.chunks closes it
            os.unlink(reply.path)
            return Answer(reply.kind, spooled=file)
        if not isinstance(reply, Answered):
            raise_for(_failed(reply))
        return Answer(reply.kind, reply.body)

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        reply = await self._run_on_worker(Verify(text, is_update),
                                          timeout_message=CHECK_TIMEOUT.format(timeout=self.timeout),
                                          dirties_replica=False)
        if isinstance(reply, Checked):
            return Reading(tuple(reply.services), reply.loads)
        failed = _failed(reply)
        if failed.code == "unreadable":
            return Unreadable(failed.message)
        raise_for(failed)
        raise AssertionError("unreachable")

    async def update(self, text: str, *, base_iri: str | None, rehearse: bool) -> None:
        # One service write at a time (Graph Store writes take the same lock, see write()), so the
        # replica the rehearsal ran on is the state the update meets (writers outside the service --
        # none while it serves -- would only make the rehearsal a slightly different guard, never a
        # wrong update: the real one is atomic on its own).
        async with self._writes:
            if rehearse:
                await self._rehearse(text, base_iri)
            await self._write(update_change(text, base_iri), self._apply_update, text, base_iri)

    async def _rehearse(self, text: str, base_iri: str | None) -> None:
        reply = await self._run_on_worker(
            Update(text, base_iri),
            timeout_message=f"the update did not finish within {self.timeout:g} s and was stopped; nothing was changed",
            dirties_replica=True,
        )
        if not isinstance(reply, Done):
            failed = _failed(reply)
            if failed.code == "syntax":
                raise QuerySyntaxError(f"the update does not parse: {failed.message}")
            if says_disk_full(failed.message):  # the replica shares the store's disk: the update would fail too
                raise StoreFullError("the update failed: the store's disk is full; nothing was changed")
            raise BadRequest(f"the update failed and changed nothing: {failed.message}")

    async def _run_on_worker(self, message: Request, *, timeout_message: str, dirties_replica: bool,
                             deadline: float | None = None) -> Reply:
        """Send ``message`` to a worker with an up-to-date replica, under the timeout.

        A worker that times out is killed (its work cannot be interrupted otherwise) and never
        released; one that died is dropped. ``dirties_replica``: the message (a rehearsed
        :class:`Update`) changes the worker's replica, so it reloads before its next use -- unless the
        update it rehearsed is the one then applied (:meth:`_follow`).
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
            if dirties_replica and at is not None and isinstance(reply, Done) and isinstance(message, Update):
                worker.rehearsed = (at, ("update", message.text, message.base_iri))  # as the change log has it
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


def _failed(reply: Reply) -> Failed:
    """``reply`` as the failure it must be here (a reply of another kind is a broken worker)."""
    return reply if isinstance(reply, Failed) else Failed("internal", f"unexpected reply {type(reply).__name__}")
