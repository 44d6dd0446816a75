"""The serving process's side of the fronts: starting them, replacing them, handing out replicas.

:class:`Supervisor` shows the store's version on a :class:`~.board.VersionBoard` (the evaluator
publishes every write on it), answers the fronts' replica requests on a private route (the writes
since a front's version when they are all known, else a fresh copy -- the same copies the query
workers get, :class:`~painlink.service.evaluator.replicas.ReplicaKeeper`), and keeps ``count`` front
processes running: one that ends (a query overran, it crashed) is started again, with a pause when
one keeps failing at once.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import logging
import os
import pickle
import secrets
import subprocess
import sys
import time
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from painlink.service.fronts.app import NOT_HERE, REPLICA_PATH, SECRET_HEADER
from painlink.service.fronts.board import VersionBoard
from painlink.service.fronts.process import RETIRED, Orders
from painlink.service.settings import Settings

__all__ = ["Supervisor"]

log = logging.getLogger("painlink.service")

#: A front that ends sooner than this after its start counts as failing at once.
QUICK_FAILURE = 5.0
#: Pause before starting again a front that keeps failing at once (doubling up to a minute).
FIRST_PAUSE = 0.5


class _Front:
    """One front process and what it said (``ready``, ``retiring``) on its standard output."""

    def __init__(self, slot: int, generation: int, process: subprocess.Popen) -> None:
        self.slot, self.generation, self.process = slot, generation, process
        self.name = f"{slot}g{generation}"
        self.started = time.monotonic()
        self.ready = asyncio.Event()
        self.retiring = False


class Supervisor:
    """``settings.fronts`` front processes for ``app``, served on ``socket_path`` (module docstring).

    Each slot holds one running front; a front that retires gets a successor in its slot, and is
    stopped once the successor is listening (so the port never lacks a listener for it); a front
    that ends by itself is replaced, with a growing pause if it keeps failing at once."""

    def __init__(self, app: FastAPI, settings: Settings, *, folder: Path, socket_path: str) -> None:
        self.app = app
        self.settings = settings
        self.folder = folder
        self.socket_path = socket_path
        self.secret = secrets.token_urlsafe(32)
        self.board: VersionBoard | None = None
        self.slots: list[_Front | None] = [None] * settings.fronts
        self._pauses = [FIRST_PAUSE] * settings.fronts
        self._generations = itertools.count(1)
        self._retired: set[_Front] = set()
        self._stopping = False
        app.router.add_route(REPLICA_PATH, self._replica, methods=["GET"], include_in_schema=False)

    async def _replica(self, request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            return NOT_HERE
        since = request.query_params.get("since")
        name = "".join(c for c in request.query_params.get("name", "") if c.isalnum())[:16]
        evaluator = request.app.state.evaluator
        version, message = await evaluator.replica_for(f"front{name}", int(since) if since else None)
        return Response(pickle.dumps((version, message)), media_type="application/octet-stream")

    async def run(self) -> None:
        """Publish the board, start the fronts, and keep them running until cancelled."""
        evaluator = self.app.state.evaluator
        self.board = VersionBoard.create(str(self.folder / "version"), evaluator.store.version)
        evaluator.board = self.board
        for slot in range(len(self.slots)):
            self.slots[slot] = self._start(slot)
        while not self._stopping:
            await asyncio.sleep(0.2)
            # The evaluator publishes each write before answering it; this catches a write whose
            # request was cancelled between the store's commit and that publication.
            if self.board.read() != evaluator.store.version:
                self.board.publish(evaluator.store.version)
            for slot, front in enumerate(self.slots):
                if front is None or front.process.poll() is None:
                    continue
                self.slots[slot] = None
                status = front.process.returncode
                if status != RETIRED:
                    log.warning("front %s ended with status %s; starting another", front.name, status)
                if time.monotonic() - front.started < QUICK_FAILURE and status != RETIRED:
                    await asyncio.sleep(self._pauses[slot])
                    self._pauses[slot] = min(60.0, self._pauses[slot] * 2)
                else:
                    self._pauses[slot] = FIRST_PAUSE
                if not self._stopping and self.slots[slot] is None:
                    self.slots[slot] = self._start(slot)
            for front in list(self._retired):
                if front.process.poll() is not None:
                    self._retired.discard(front)
                    self._forget(front)

    def _start(self, slot: int) -> _Front:
        settings = {name: getattr(self.settings, name) for name in type(self.settings).model_fields}
        # The operator's limits are the port's: each front takes its share of the connections and
        # requests in progress (the serving process keeps its own limit on what they forward).
        for limit in ("max_connections", "max_requests"):
            settings[limit] = max(1, -(-settings[limit] // len(self.slots)))
        generation = next(self._generations)
        orders = Orders(settings=settings, name=f"{slot + 1}g{generation}", socket_path=self.socket_path,
                        board_path=str(self.folder / "version"), secret=self.secret)
        process = subprocess.Popen([sys.executable, "-m", "painlink.service.fronts.process"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(pickle.dumps(orders))
        process.stdin.flush()  # kept open: the front ends when it closes (this process gone)
        front = _Front(slot + 1, generation, process)
        os.set_blocking(process.stdout.fileno(), False)
        asyncio.get_running_loop().add_reader(process.stdout.fileno(), self._heard, front)
        return front

    def _heard(self, front: _Front) -> None:
        """Lines from ``front``: ``ready`` -- listening; ``retiring`` -- start its successor."""
        assert front.process.stdout is not None
        try:
            said = os.read(front.process.stdout.fileno(), 4096)
        except BlockingIOError:
            return
        if not said:  # it ended
            self._forget(front)
            return
        for word in said.decode(errors="replace").split():
            if word == "ready":
                front.ready.set()
            elif word == "retiring" and not front.retiring and not self._stopping:
                front.retiring = True
                asyncio.get_running_loop().create_task(self._succeed(front))

    async def _succeed(self, front: _Front) -> None:
        """Put a new front in ``front``'s slot, and stop ``front`` once the new one is listening."""
        slot = front.slot - 1
        successor = self._start(slot)
        self.slots[slot] = successor
        self._retired.add(front)
        try:
            await asyncio.wait_for(successor.ready.wait(), 60)
        except TimeoutError:
            log.warning("front %s did not start listening within 60 s", successor.name)
        if front.process.poll() is None:
            front.process.terminate()

    def _forget(self, front: _Front) -> None:
        if front.process.stdout is not None and not front.process.stdout.closed:
            try:
                asyncio.get_running_loop().remove_reader(front.process.stdout.fileno())
            except RuntimeError:  # the loop is closing
                pass
            front.process.stdout.close()

    async def stop(self) -> None:
        """End every front (SIGTERM: they finish the requests in hand), then close the board."""
        self._stopping = True
        running = [front for front in [*self.slots, *self._retired] if front is not None]
        for front in running:
            if front.process.poll() is None:
                front.process.terminate()
        deadline = time.monotonic() + 15
        for front in running:
            while front.process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if front.process.poll() is None:
                front.process.kill()
                front.process.wait()
            if front.process.stdin is not None:
                front.process.stdin.close()
            self._forget(front)
        if self.board is not None:
            self.app.state.evaluator.board = None
            self.board.close()
            os.unlink(self.board.path)
