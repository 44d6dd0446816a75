"""A loopback TCP listener that records every connection made to it: the witness that a test's
"nothing reached the network" is true (registered for every suite by tests/conftest.py as the
``listener`` fixture)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

__all__ = ["Listener", "listener"]


@dataclass
class Listener:
    """A loopback TCP listener that records what connects to it (and answers nothing useful)."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settle(self, seconds: float = 0.3) -> list[bytes]:
        """Wait a moment for stragglers, then what arrived so far."""
        time.sleep(seconds)
        return list(self.connections)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    found = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(1)
                try:
                    found.connections.append(connection.recv(4096) or b"(connected, sent nothing)")
                    # Answer something, so a client that was let through finishes at once.
                    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    found.connections.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(timeout=2)
    server.close()
