"""A real painlink server on loopback for tests: ``painlink serve`` in a subprocess on a free port.

Fixtures (registered for every suite by tests/conftest.py):

* ``live_server`` (session) -- one shared server: in-memory store with the shipped ontology, updates
  enabled with the token :data:`TOKEN`, query timeout 2 s. Tests that write must put things back
  (or use a server of their own).
* ``start_server`` -- a factory: ``start_server(*args, env={...}, token=...)`` starts a server of your
  own with extra ``painlink serve`` options or ``PAINLINK_*`` variables; stopped after the test.

Either gives a :class:`LiveServer` with ``base_url``, ``sparql_url``, ``store_url``, ``token``,
``auth`` (the Authorization header dict) and ``log()`` (its output so far).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

__all__ = [
    "TOKEN",
    "LiveServer",
    "free_port",
    "live_server",
    "start_live_server",
    "start_server",
    "stop_process",
    "wait_until_answering",
]

#: The update token the shared server accepts.
TOKEN = "test-token-0123456789"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(
    process: subprocess.Popen, query_url: str, *, timeout: float, what: str, output: Callable[[], str]
) -> None:
    """Wait until the SPARQL server ``process`` answers ``ASK {}`` at ``query_url``; fail the test with
    its ``output()`` if it exits first or stays silent for ``timeout`` seconds (it is then stopped)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{output()}")
        try:
            if httpx.get(query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_process(process)
            pytest.fail(f"{what} did not answer within {timeout:g} s:\n{output()}")
        time.sleep(0.05)


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ask ``process`` to stop (SIGTERM), and kill it if it has not within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class LiveServer:
    base_url: str
    process: subprocess.Popen
    log_path: Path
    token: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)


def start_live_server(
    workdir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    token: str | None = TOKEN,
    timeout: float = 60,
    data_dir: Path | None = None,
    store: list[str] | None = None,
) -> LiveServer:
    """Start ``painlink serve --memory`` (or ``--data-dir data_dir``, or the ``store`` options such as
    ``--store URL``, plus ``args``) on a free loopback port and wait until it answers a query; the
    token travels in the environment, never on the command line."""
    port = free_port()
    if store is None:
        store = ["--memory"] if data_dir is None else ["--data-dir", str(data_dir)]
    variables = {"PAINLINK_QUERY_TIMEOUT": "2", **(env or {})}
    if token is not None:
        variables["PAINLINK_UPDATE_TOKEN"] = token
    log_path = workdir / f"server-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "painlink.cli", "serve", *store, "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **variables},
            cwd=workdir,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path, token, variables)
    wait_until_answering(process, server.sparql_url, timeout=timeout, what="painlink serve", output=server.log)
    return server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path_factory.mktemp("live-server"))
    yield server
    server.stop()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(*args: str, env: dict[str, str] | None = None, token: str | None = TOKEN) -> LiveServer:
        server = start_live_server(tmp_path, *args, env=env, token=token)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
