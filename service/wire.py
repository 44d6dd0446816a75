"""The frames the service and its query workers exchange over their pipes.

A frame is an 8-byte big-endian length, then that many bytes of pickle. The service reads its end
through an ``asyncio.StreamReader`` (:func:`read`), so a reply that arrives in pieces is simply awaited
until it is whole, whatever the blocking mode of the pipe. (Reading it with
``multiprocessing.connection.Connection.recv`` after the event loop had watched the pipe does not work:
uvloop leaves the descriptor non-blocking, and ``recv`` on a reply that has not fully arrived raises
``BlockingIOError``; every answer above the pipe's buffer could fail that way.) A worker, which does
nothing else while it waits, reads and writes its own ends with plain blocking calls
(:func:`receive`, :func:`send`).

This module runs inside the workers too (:mod:`painlink.service.replica`): standard library only, and
no asyncio there.

>>> import io
>>> pipe = io.BytesIO()
>>> send(pipe, ("ok", "results", b"{}"))
>>> _ = pipe.seek(0)
>>> receive(pipe)
('ok', 'results', b'{}')
>>> receive(pipe)
Traceback (most recent call last):
...
EOFError: the other end closed the pipe
"""

from __future__ import annotations

import pickle
import struct
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:  # the workers never import asyncio (it would slow their start)
    import asyncio

__all__ = ["MAX_FRAME_BYTES", "BrokenFrame", "encode", "read", "receive", "send"]

_LENGTH = struct.Struct("!Q")
#: The longest frame either side accepts. Large answers never travel in a frame (the evaluator spools
#: them to a file), so a longer one means the peer is broken, not that the answer is big.
MAX_FRAME_BYTES = 1 << 30


class BrokenFrame(Exception):
    """Raised when a frame announces an impossible length (a corrupt or foreign stream)."""


def encode(message: Any) -> bytes:
    """``message`` as one frame."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _length(header: bytes) -> int:
    (length,) = _LENGTH.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise BrokenFrame(f"a frame of {length} bytes announced; at most {MAX_FRAME_BYTES} are expected")
    return length


def send(stream: BinaryIO, message: Any) -> None:
    """Write ``message`` as one frame to a blocking stream."""
    stream.write(encode(message))
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if data is None or len(data) < size:
        raise EOFError("the other end closed the pipe")
    return data


def receive(stream: BinaryIO) -> Any:
    """The next message from a blocking stream; ``EOFError`` once the other end has closed it."""
    length = _length(_read_exactly(stream, _LENGTH.size))
    return pickle.loads(_read_exactly(stream, length))


async def read(reader: asyncio.StreamReader) -> Any:
    """The next message from the event loop's reader; ``EOFError`` once the other end has closed it."""
    import asyncio

    try:
        length = _length(await reader.readexactly(_LENGTH.size))
        data = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise EOFError("the other end closed the pipe") from None
    return pickle.loads(data)
