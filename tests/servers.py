"""Real servers on loopback for tests: ``painlink serve`` as a user starts it, and what every real
server of the suite shares (a free port, "wait until it answers", stop).

``launch(workdir, *options, ...)`` runs the installed ``painlink serve`` console script (the
command scripts/serve runs: uvicorn with uvloop and httptools) on a free loopback port, waits until
``/sparql`` answers ``ASK {}`` and returns a :class:`Server`: ``base_url``, ``sparql_url``,
``store_url``, ``token``, ``auth`` (the Authorization header), ``log()`` (its output so far),
``select()`` / ``update()``, and ``stop()`` (SIGTERM, then SIGKILL), ``kill()``, ``terminate()``,
``wait()``. ``run_serve(workdir, *options)`` runs the command to its end, for start-up refusals.

Configurable: the store (``--memory`` unless ``data_dir`` or ``store`` options say otherwise), any
``painlink serve`` option, ``PAINLINK_*`` variables (``env``; the caller's own ``PAINLINK_*`` never
leak in), the update token (in the environment, never on the command line; ``None``: read-only), the
port (to restart on the same one) and how long to wait.

Fixtures (registered for every suite by tests/conftest.py):

* ``live_server`` (session) -- one shared server: in-memory store with the shipped ontology, updates
  enabled with :data:`TOKEN`, query timeout 2 s. Tests that write must put things back (or start a
  server of their own).
* ``start_server`` -- a factory: ``start_server(*options, data_dir=None, store=None, env=None,
  token=TOKEN, port=None, timeout=90)`` starts a server of the test's own, in ``tmp_path/cwd``, with
  the ``server_env`` fixture's variables under ``env``; ``start_server.run(*options)`` runs
  ``painlink serve`` to its end. Whatever is still running after the test is stopped.
* ``server_env`` -- the ``PAINLINK_*`` variables a test's own servers start with (query timeout 2 s);
  a suite overrides it in its conftest.py (tests/hardening: one query worker, the default timeout).

The store servers (``oxigraph serve`` in tests/conftest.py, Virtuoso in tests/virtuoso_server.py)
use :func:`free_port`, :func:`wait_until_answering` and :func:`stop_process` from here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

__all__ = [
    "AUTH",
    "SPARQL_JSON",
    "TOKEN",
    "Server",
    "Starter",
    "free_port",
    "launch",
    "live_server",
    "painlink_command",
    "run_serve",
    "server_env",
    "start_server_fixture",
    "stop_process",
    "wait_until_answering",
]

#: The update token servers accept unless a test says otherwise, and the header that sends it.
TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPARQL_JSON = "application/sparql-results+json"


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


def painlink_command() -> list[str]:
    """The ``painlink`` console script beside this interpreter (what scripts/serve runs; scripts/test
    does not activate the venv), or the same entry point through ``-m`` when it is not installed."""
    script = Path(sys.executable).parent / "painlink"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "painlink.cli"]


def _environment(token: str | None, env: dict[str, str] | None) -> dict[str, str]:
    # The caller's PAINLINK_* settings must not leak into a test's server.
    variables = {key: value for key, value in os.environ.items() if not key.startswith("PAINLINK_")}
    if token is not None:
        variables["PAINLINK_UPDATE_TOKEN"] = token
    return variables | (env or {})


@dataclass
class Server:
    """A running ``painlink serve``."""

    base_url: str
    process: subprocess.Popen
    log_path: Path
    port: int
    token: str | None = None

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
        """What the server wrote so far (standard output and error)."""
        return self.log_path.read_text(errors="replace")

    def update(self, text: str, *, client: httpx.Client | None = None, timeout: float = 30) -> httpx.Response:
        """POST a SPARQL update with the token."""
        headers = {"Content-Type": "application/sparql-update", **self.auth}
        send = client.post if client is not None else httpx.post
        return send(self.sparql_url, content=text.encode(), headers=headers, timeout=timeout)

    def select(
        self, query: str, *, client: httpx.Client | None = None, timeout: float = 30
    ) -> list[dict[str, str]]:
        """Run a SELECT; rows as {variable: value}."""
        get = client.get if client is not None else httpx.get
        response = get(
            self.sparql_url, params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=timeout
        )
        assert response.status_code == 200, response.text
        return [
            {name: cell["value"] for name, cell in row.items()}
            for row in response.json()["results"]["bindings"]
        ]

    def stop(self) -> None:
        """SIGTERM (in-flight requests finish), SIGKILL if it has not stopped within 15 s."""
        stop_process(self.process)

    def kill(self) -> None:
        """SIGKILL: no chance to flush, close or answer anything."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        """SIGTERM without waiting (see :meth:`wait`)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float = 30) -> int:
        return self.process.wait(timeout=timeout)


def _store_options(data_dir: Path | None, store: Sequence[str] | None) -> list[str]:
    if store is not None:
        return list(store)
    return ["--memory"] if data_dir is None else ["--data-dir", str(data_dir)]


def launch(
    workdir: Path,
    *options: str,
    data_dir: Path | None = None,
    store: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
    token: str | None = TOKEN,
    port: int | None = None,
    timeout: float = 90,
) -> Server:
    """Start ``painlink serve`` in ``workdir`` on ``port`` (a free one by default) and wait until it
    answers a query.

    Parameters
    ----------
    workdir
        The working directory (so ``./data`` is never the user's), where the log is written too.
    *options
        More ``painlink serve`` options.
    data_dir, store
        ``--data-dir data_dir``, or the ``store`` options (``--store URL ...``); ``--memory`` without either.
    env
        ``PAINLINK_*`` variables (the caller's own are dropped).
    token
        The update token, passed as ``PAINLINK_UPDATE_TOKEN``; ``None`` for a read-only server.
    """
    port = port or free_port()
    variables = _environment(token, env)
    log_path = workdir / f"serve-{port}-{time.monotonic_ns()}.log"
    command = [
        *painlink_command(),
        "serve",
        *_store_options(data_dir, store),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *options,
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=variables, cwd=workdir)
    server = Server(f"http://127.0.0.1:{port}", process, log_path, port, token)
    try:
        wait_until_answering(
            process, server.sparql_url, timeout=timeout, what="painlink serve", output=server.log
        )
    except BaseException:
        stop_process(process)
        raise
    return server


def run_serve(
    workdir: Path,
    *options: str,
    env: dict[str, str] | None = None,
    token: str | None = TOKEN,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """Run ``painlink serve OPTIONS`` to its end (it is expected to refuse to start) on a free port."""
    command = [*painlink_command(), "serve", "--host", "127.0.0.1", "--port", str(free_port()), *options]
    try:
        return subprocess.run(
            command,
            cwd=workdir,
            env=_environment(token, env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"painlink serve {' '.join(options)} started serving instead of refusing to start")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = launch(tmp_path_factory.mktemp("live-server"), env={"PAINLINK_QUERY_TIMEOUT": "2"})
    yield server
    server.stop()


@pytest.fixture
def server_env() -> dict[str, str]:
    """The ``PAINLINK_*`` variables a test's own servers start with (a suite may override it)."""
    return {"PAINLINK_QUERY_TIMEOUT": "2"}


@dataclass
class Starter:
    """The ``start_server`` fixture: starts servers in ``workdir``, stops them after the test."""

    workdir: Path
    env: dict[str, str]
    started: list[Server] = field(default_factory=list)

    def __call__(self, *options: str, env: dict[str, str] | None = None, **how: object) -> Server:
        server = launch(self.workdir, *options, env={**self.env, **(env or {})}, **how)
        self.started.append(server)
        return server

    def run(
        self, *options: str, env: dict[str, str] | None = None, **how: object
    ) -> subprocess.CompletedProcess:
        return run_serve(self.workdir, *options, env={**self.env, **(env or {})}, **how)

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture(name="start_server")
def start_server_fixture(tmp_path: Path, server_env: dict[str, str]) -> Iterator[Starter]:
    workdir = tmp_path / "cwd"
    workdir.mkdir(exist_ok=True)
    starter = Starter(workdir, server_env)
    yield starter
    starter.stop_all()
