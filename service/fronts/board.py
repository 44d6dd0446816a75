"""The store's version, published by the serving process for its front processes.

A front answers a query from its own replica only while that replica holds every write that finished
before the query arrived. The serving process writes the store's version here *after* each write and
*before* it answers the writer, so a front that reads the same number as its replica's is current;
any other number sends the query to the serving process while the front catches up.

The board is an 8-byte file mapped into memory by every process (one ``mmap`` read per query, no
system call): the writer is one process, readers only compare numbers.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "version")
>>> board = VersionBoard.create(path, 7)
>>> reader = VersionBoard.open(path)
>>> reader.read()
7
>>> board.publish(8); reader.read()
8
>>> board.close(); reader.close()
"""

from __future__ import annotations

import mmap
import os
import struct

__all__ = ["VersionBoard"]

_FORMAT = struct.Struct("<q")


class VersionBoard:
    """One published integer in a shared file (module docstring)."""

    def __init__(self, path: str, *, writable: bool) -> None:
        self.path = path
        descriptor = os.open(path, os.O_RDWR if writable else os.O_RDONLY)
        try:
            access = mmap.ACCESS_WRITE if writable else mmap.ACCESS_READ
            self._map = mmap.mmap(descriptor, _FORMAT.size, access=access)
        finally:
            os.close(descriptor)

    @classmethod
    def create(cls, path: str, version: int) -> VersionBoard:
        """A new board at ``path`` (readable by its owner only) showing ``version``."""
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as file:
            file.write(_FORMAT.pack(version))
        return cls(path, writable=True)

    @classmethod
    def open(cls, path: str) -> VersionBoard:
        """The board at ``path``, for reading."""
        return cls(path, writable=False)

    def publish(self, version: int) -> None:
        """Show ``version`` (an aligned 8-byte store: readers see the old number or the new one)."""
        _FORMAT.pack_into(self._map, 0, version)

    def read(self) -> int:
        return _FORMAT.unpack_from(self._map, 0)[0]

    def close(self) -> None:
        self._map.close()
