"""One query process (:mod:`painlink.service.replica`) and the pipe to it, as the event loop sees them."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from painlink.service import wire
from painlink.service.evaluator.answers import SPOOL_ABOVE
from painlink.service.messages import Reply, Request

__all__ = ["Worker"]

log = logging.getLogger("painlink.service")


class Worker:
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

    async def call(self, message: Request) -> Reply:
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

