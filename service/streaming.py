"""A graph dump streamed to the client in bounded memory (Graph Store ``GET``).

A ``GET /store`` of a large graph used to serialise it whole into memory first: 87 MB for a
1M-triple graph, once per request (8 parallel requests peaked at 1.8 GB). :func:`dump_stream` runs the
store's serialiser in a thread and hands its output to the event loop through a small bounded queue:
the serialiser waits while the client is slow, and stops (its ``write`` raises) when the client goes.
Memory per request is about ``QUEUE_CHUNKS x CHUNK_BYTES``, whatever the graph's size.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncIterator

import pyoxigraph as ox

from painlink.graph.stores import Store

__all__ = ["CHUNK_BYTES", "QUEUE_CHUNKS", "STALL_SECONDS", "dump_stream", "open_dump"]

#: Bytes gathered before a chunk is handed over, and chunks that may wait for the client.
CHUNK_BYTES = 256 * 1024
QUEUE_CHUNKS = 4
#: A client that takes no chunk for this long is given up on (the serialiser stops).
STALL_SECONDS = 300.0
_DONE = object()


class _ClientGone(Exception):
    """Raised inside the serialiser's ``write`` once the response has stopped (the client left)."""


class _QueueWriter:
    """The file-like object the serialiser writes to; chunks go to an asyncio queue on ``loop``."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue) -> None:
        self.loop, self.queue = loop, queue
        self.buffer = bytearray()
        self.stopped = threading.Event()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            self.hand_over(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks are handed over as they fill."""

    def hand_over(self, item: object) -> None:
        future = asyncio.run_coroutine_threadsafe(self.queue.put(item), self.loop)
        waited = 0.0
        while True:  # wait for room, but notice a client that has gone
            if future.done() and not future.cancelled():
                return  # taken, even if the response stopped right after (it raised what we gave it)
            if self.stopped.is_set() or waited >= STALL_SECONDS:
                future.cancel()
                raise _ClientGone
            waited += 0.5
            try:
                future.result(timeout=0.5)
                return
            except concurrent.futures.TimeoutError:
                continue


async def dump_stream(store: Store, fmt: ox.RdfFormat, graph: str | None) -> AsyncIterator[bytes]:
    """The serialisation of ``graph`` (the default graph when None) in ``fmt``, chunk by chunk."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_CHUNKS)
    writer = _QueueWriter(loop, queue)

    def produce() -> None:
        try:
            store.dump_to(writer, fmt, graph)
            if writer.buffer:
                writer.hand_over(bytes(writer.buffer))
            writer.hand_over(_DONE)
        except _ClientGone:
            pass
        except BaseException as error:  # noqa: BLE001 -- handed to the response, which ends with it
            if not writer.stopped.is_set():
                try:
                    writer.hand_over(error)
                except _ClientGone:
                    # The response stopped while the error was on its way: it must not be masked by
                    # this (a store that went away is a 503, not a 500).
                    pass

    producer = loop.run_in_executor(None, produce)
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        writer.stopped.set()
        while not queue.empty():  # free a producer waiting for room
            queue.get_nowait()
        await asyncio.shield(producer)


async def open_dump(store: Store, fmt: ox.RdfFormat, graph: str | None) -> AsyncIterator[bytes]:
    """:func:`dump_stream`, started: the first chunk is made before this returns, so a store that
    fails at once (a remote store that is down) raises here, before a response has begun."""
    chunks = dump_stream(store, fmt, graph)
    try:
        first = await anext(chunks, b"")
    except BaseException:
        await chunks.aclose()
        raise

    async def rest() -> AsyncIterator[bytes]:
        try:
            if first:
                yield first
            async for chunk in chunks:
                yield chunk
        finally:
            await chunks.aclose()

    return rest()
