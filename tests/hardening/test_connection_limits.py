"""Slow and idle clients cannot use the server up (issue 10, finding 9), on a real ``painlink serve``
with loopback sockets (bounded in number and time).

Before: 300 idle, 300 header-drip and 50 body-drip connections were all still open after 30 s, and
with 1,024 file descriptors 1,100 idle sockets made normal requests fail. Now a request's head and
body have deadlines (``--header-timeout``, ``--body-timeout``), and past ``--max-requests`` requests
in progress or ``--max-connections`` connections a client gets a 503 that says so.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

pytestmark = pytest.mark.slow

TIMEOUT = 2.0
SLACK = 3.0


def _connect(served) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=5)
    return sock


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` within ``within`` seconds (EOF or reset)."""
    sock.settimeout(within)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


class Drip:
    """Sends one byte on each socket every half second until stopped (a slowloris client)."""

    def __init__(self, sockets: list[socket.socket], payload: bytes) -> None:
        self.sockets, self.payload = sockets, payload
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        position = 0
        while not self.stop.wait(0.5) and position < len(self.payload):
            for sock in self.sockets:
                try:
                    sock.send(self.payload[position:position + 1])
                except OSError:
                    pass
            position += 1


@pytest.fixture
def sockets() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def test_idle_and_dripping_connections_are_closed_and_normal_requests_answer(start_server, sockets) -> None:
    served = start_server("--header-timeout", str(TIMEOUT), "--body-timeout", str(TIMEOUT))
    idle = [sockets.enter_context(_connect(served)) for _ in range(50)]
    heads = [sockets.enter_context(_connect(served)) for _ in range(20)]
    bodies = [sockets.enter_context(_connect(served)) for _ in range(10)]
    for sock in bodies:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000\r\n\r\nASK")
    head_drip = Drip(heads, b"GET /api/entities?q=foot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100)
    body_drip = Drip(bodies, b" { ?s ?p ?o }" + b" " * 100)
    head_drip.thread.start()
    body_drip.thread.start()
    started = time.monotonic()
    try:
        with httpx.Client(timeout=5) as client:
            for _ in range(10):  # normal requests answer while the slow clients hold their sockets
                response = client.get(served.base_url + "/api/entities", params={"q": "foot"})
                assert response.status_code == 200
        # Every slow socket is closed by the server soon after its deadline, although it kept sending.
        for sock in idle + heads + bodies:
            left = TIMEOUT + SLACK - (time.monotonic() - started)
            assert _closed_by_server(sock, max(left, 0.1)), "a slow connection was still open after its deadline"
    finally:
        head_drip.stop.set()
        body_drip.stop.set()
    assert httpx.get(served.base_url + "/api/entities", params={"q": "foot"}, timeout=5).status_code == 200
    assert served.process.poll() is None


def test_past_the_request_and_connection_limits_a_client_gets_a_503_that_says_so(start_server, sockets) -> None:
    served = start_server("--header-timeout", str(TIMEOUT), "--body-timeout", str(TIMEOUT),
                            "--max-requests", "3", "--max-connections", "20")
    # Three requests in progress (their bodies never come): the fourth is refused at once.
    for _ in range(3):
        sock = sockets.enter_context(_connect(served))
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")
    time.sleep(0.3)
    busy = httpx.get(served.base_url + "/api/entities", params={"q": "foot"}, timeout=5)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    assert "max_requests" in busy.text
    # Their body deadline passes, they are closed, and the server answers again.
    time.sleep(TIMEOUT + 1)
    assert httpx.get(served.base_url + "/api/entities", params={"q": "foot"}, timeout=5).status_code == 200
    # Twenty idle connections: the next one is answered 503 and closed.
    for _ in range(20):
        sockets.enter_context(_connect(served))
    time.sleep(0.3)
    extra = sockets.enter_context(_connect(served))
    extra.settimeout(5)
    answer = extra.recv(4096)
    assert answer.startswith(b"HTTP/1.1 503")
    assert b"max_connections" in answer
