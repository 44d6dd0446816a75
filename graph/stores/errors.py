"""The errors a store raises about itself.

Not about a query's syntax: that is a ``SyntaxError``, as pyoxigraph raises it, on every backend. What
each class means on every face (HTTP status, wording, exit status) is declared in
:mod:`painlink.service.meanings`.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator

__all__ = [
    "StoreError",
    "StoreOpenError",
    "StoreUnavailableError",
    "StoreReadOnlyError",
    "StoreFullError",
    "ShippedOntologyError",
    "says_disk_full",
    "full_disk_errors",
]


class StoreError(Exception):
    """Base class of the errors a store raises about itself (not about a query's syntax, which is a
    ``SyntaxError`` as pyoxigraph raises it)."""


class StoreOpenError(StoreError):
    """Raised when a data directory cannot be opened: it is a file, unreadable, not an Oxigraph store,
    corrupt, or locked by another process. The message names the path and the problem; nothing in
    the directory has been changed."""


class StoreUnavailableError(StoreError):
    """Raised when a remote SPARQL server cannot be reached, times out or answers with a server error.
    ``status`` is the HTTP status the service answers with: 503 (unreachable, timed out) or 502 (a bad
    answer).
    """

    def __init__(self, message: str, *, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


class StoreReadOnlyError(StoreError):
    """Raised when writing to a store that cannot be written: a remote store configured without an
    update URL."""


class StoreFullError(StoreError):
    """Raised when a write fails because the store's disk (or quota) is full. The write changed
    nothing (each write is one transaction); reads go on (HTTP: 507 Insufficient Storage). RocksDB refuses further writes until the store is reopened: free space, then restart."""


#: What the storage engine's I/O errors say when the disk is full (RocksDB gives no errno).
_FULL_DISK = ("No space left on device", "Disk quota exceeded")


def says_disk_full(message: str) -> bool:
    """Whether an error message of the storage engine says the disk (or quota) is full."""
    return any(text in message for text in _FULL_DISK)


@contextlib.contextmanager
def full_disk_errors(what: str) -> Iterator[None]:
    """Turn an ``OSError`` of a full disk inside the block into :class:`StoreFullError` naming ``what``."""
    try:
        yield
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT) or says_disk_full(str(error)):
            raise StoreFullError(f"{what} failed: the store's disk is full; nothing was changed") from None
        raise


class ShippedOntologyError(StoreError):
    """Raised by :func:`sync_shipped` when the shipped files cannot be kept in a lasting store: they
    contain blank nodes, or one of them does not parse, or the store's record of what was shipped
    before is damaged (the message names the record; nothing is changed)."""
