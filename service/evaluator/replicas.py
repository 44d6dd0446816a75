"""Keeping each worker's replica at the store's version.

Replicas follow the store by its :attr:`~painlink.graph.stores.Store.version`: before a worker
evaluates, its replica is brought to the store's current version -- by replaying the service's last
writes (:mod:`painlink.service.changes`) when it can, else by a fresh copy:

* an in-memory store is dumped once per version to an N-Quads file that each worker bulk-loads;
* a persistent store makes a checkpoint per worker (``Store.backup()``: hard links to RocksDB's
  immutable files, so it is cheap) in ``DATA_DIR/replicas/``, which the worker opens as its own store.
  (Opening the live database read-only from another process is undefined behaviour in RocksDB.)

so a query always sees every write that finished before it started. Refreshes are lazy (the first
query after a write pays for it) and only happen after writes.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pyoxigraph as ox

from painlink.graph.stores import OxigraphStore
from painlink.service.changes import ChangeLog
from painlink.service.errors import EvaluatorUnavailable
from painlink.service.evaluator.worker import Worker
from painlink.service.fronts.board import VersionBoard
from painlink.service.messages import Apply, Done, Load, Open, Reply, Request

__all__ = ["REPLICA_LOAD_TIMEOUT", "SCRATCH_PREFIX", "ReplicaKeeper", "sweep_stale_scratch"]

log = logging.getLogger("painlink.service")

#: Seconds a worker may take to load or open a replica (a large store is slow to bulk-load).
REPLICA_LOAD_TIMEOUT = 600.0
#: The temporary folders of in-memory stores' replica dumps: ``painlink-replicas-PID-XXXX``.
SCRATCH_PREFIX = "painlink-replicas-"


def sweep_stale_scratch() -> None:
    """Delete the replica dumps of servers that were killed (no close() ran): folders of ours in the
    temporary directory whose process is gone. Otherwise each killed ``--memory`` server would leave
    a full N-Quads copy of its store behind."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
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



class _Slot:
    """What :meth:`ReplicaKeeper._snapshot` needs of a worker: the name its checkpoint is filed under."""

    def __init__(self, number: str) -> None:
        self.number = number


class ReplicaKeeper:
    """The replica side of a :class:`~painlink.service.evaluator.process.ProcessEvaluator` (a part of
    it: ``store`` comes from the evaluator, ``_call`` and ``_replace`` from its pool)."""

    store: OxigraphStore
    _call: Callable[[Worker, Request, float], Awaitable[Reply]]
    _replace: Callable[[Worker], None]

    def __init__(self) -> None:
        self._snapshot_lock = threading.Lock()
        self._dump: tuple[int, Path] | None = None
        self._scratch: Path | None = None
        self._checkpoints = itertools.count(1)
        self._changes = ChangeLog()
        #: Where the store's version is shown to front processes (:mod:`painlink.service.fronts`).
        self.board: VersionBoard | None = None

    def _snapshot(self, worker: Worker) -> tuple[int, Load | Open]:
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
                    return version, Load(str(self._dump[1]))
                target = self._scratch / f"worker-{worker.number}-{next(self._checkpoints)}"
                self.store.engine.backup(str(target))
                return version, Open(str(target))
            except OSError as error:
                # A full disk must not stop the reads: hand the replica over the pipe instead (it
                # costs memory, not disk; writes are refused meanwhile, so this stays rare).
                log.warning("cannot write a replica for a query worker (%s); sending it through the pipe", error)
                if target is not None and target.is_dir():
                    shutil.rmtree(target, ignore_errors=True)
                elif target is not None:
                    target.unlink(missing_ok=True)
                return version, Load(self.store.engine.dump(format=ox.RdfFormat.N_QUADS))

    def _changed(self, before: int, after: int, change: tuple | None) -> None:
        self._changes.add(before, after, change)
        if self.board is not None:
            # Before the writer is answered: a front that reads this number after the write
            # finished never answers from a replica without it.
            self.board.publish(after)

    async def replica_for(self, name: str, since: int | None) -> tuple[int, Apply | Load | Open]:
        """How a front process's replica (at version ``since``, None for none yet) reaches the store's
        current version: ``(version, message)``, the writes to replay when they are all known, else
        a fresh copy (a checkpoint named after ``name`` in the scratch folder, or the dump)."""
        target = self.store.version
        if since is not None:
            changes = [] if since == target else self._changes.between(since, target)
            if changes is not None:
                return target, Apply(changes)
        return await asyncio.to_thread(self._snapshot, _Slot(name))

    async def _follow(self, worker: Worker) -> bool:
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
        reply = await self._call(worker, Apply(changes), REPLICA_LOAD_TIMEOUT)
        if not isinstance(reply, Done):
            log.warning("query worker could not replay %d writes (%s); reloading its replica", len(changes), reply)
            worker.version = None
            return False
        worker.version = target
        return True

    async def _refresh(self, worker: Worker) -> None:
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
            if not isinstance(reply, Done):
                if isinstance(message, Open):
                    shutil.rmtree(message.directory, ignore_errors=True)
                failed = getattr(reply, "message", repr(reply))
                log.warning("query worker could not load its replica: %s", failed)
                continue  # the dump was replaced under it: take the new one
            failed = None
            if isinstance(message, Open):
                if worker.location is not None:
                    shutil.rmtree(worker.location, ignore_errors=True)
                worker.location = Path(message.directory)
            worker.version = version
        if worker.version is None or failed is not None:
            # Never answer from a replica that missed writes: a fresh process takes this one's place.
            self._replace(worker)
            raise EvaluatorUnavailable(f"a query evaluator could not load the store ({failed}); try again")
