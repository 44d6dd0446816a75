"""Fixtures of the hardening suite.

* ``painlink_serve`` -- starts real ``painlink serve`` subprocesses (the command a user runs, with a
  persistent data directory and an update token from ``PAINLINK_UPDATE_TOKEN``) and stops whatever is
  still running at the end of the test. ``painlink_serve(data_dir)`` returns a :class:`Served` once
  the server answers; ``painlink_serve.run(args)`` runs the command to its end (for start-up failures).
* ``app_client`` (module) -- the app in-process (Starlette's TestClient, lifespan run), in-memory
  store, updates enabled with :data:`TOKEN`, one query worker: for fuzzing many requests fast.
* ``listener`` (tests/listener.py, shared by every suite) -- the "nothing reached the network" witness.

Servers run with the working directory in ``tmp_path`` so the source checkout never shadows the
installed package and ``./data`` is never the user's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import wait_until_answering

from painlink.service.app import create_app
from painlink.service.settings import Settings

TOKEN = "hardening-token-7f3a9c1e5b"
SPARQL_JSON = "application/sparql-results+json"


def serve_command(*args: str) -> list[str]:
    """``painlink serve ARGS`` as this interpreter runs it (the console script's own entry point)."""
    return [sys.executable, "-m", "painlink.cli", "serve", *args]


def _environment(token: str | None, extra: dict[str, str]) -> dict[str, str]:
    # The caller's PAINLINK_* settings must not leak into a test's server.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAINLINK_")}
    env["PAINLINK_QUERY_WORKERS"] = "1"  # two cores: keep the server small beside the test client
    if token is not None:
        env["PAINLINK_UPDATE_TOKEN"] = token
    return env | extra


@dataclass
class Served:
    """A running ``painlink serve``."""

    process: subprocess.Popen
    base_url: str
    log: Path
    data_dir: Path | None
    token: str | None
    port: int

    @property
    def sparql(self) -> str:
        return self.base_url + "/sparql"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def update(self, text: str, *, client: httpx.Client | None = None, timeout: float = 30) -> httpx.Response:
        """POST a SPARQL update with the token."""
        headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {self.token}"}
        send = client.post if client is not None else httpx.post
        return send(self.sparql, content=text.encode(), headers=headers, timeout=timeout)

    def select(self, query: str, *, client: httpx.Client | None = None, timeout: float = 30) -> list[dict[str, str]]:
        """Run a SELECT; rows as {variable: value}."""
        get = client.get if client is not None else httpx.get
        response = get(self.sparql, params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=timeout)
        assert response.status_code == 200, response.text
        return [{name: cell["value"] for name, cell in row.items()} for row in response.json()["results"]["bindings"]]

    def kill(self) -> None:
        """SIGKILL: no chance to flush, close or answer anything."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float = 30) -> int:
        return self.process.wait(timeout=timeout)


@dataclass
class PainlinkServe:
    """The ``painlink_serve`` fixture (module docstring)."""

    workdir: Path
    port: int
    started: list[Served] = field(default_factory=list)
    _logs: int = 0

    def __call__(
        self,
        data_dir: Path | None,
        *args: str,
        token: str | None = TOKEN,
        env: dict[str, str] | None = None,
        port: int | None = None,
        ready_timeout: float = 90,
    ) -> Served:
        port = port or self.port
        self._logs += 1
        log = self.workdir / f"serve-{self._logs}.log"
        where = ["--data-dir", str(data_dir)] if data_dir is not None else ["--memory"]
        command = serve_command("--port", str(port), *where, *args)
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                command, cwd=self.workdir, stdout=log_file, stderr=subprocess.STDOUT, env=_environment(token, env or {})
            )
        served = Served(process, f"http://127.0.0.1:{port}", log, data_dir, token, port)
        self.started.append(served)
        wait_until_answering(process, served.sparql, timeout=ready_timeout, what="painlink serve", output=served.output)
        return served

    def run(self, args: Sequence[str], *, token: str | None = TOKEN, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run ``painlink serve ARGS`` to its end (it is expected to refuse to start)."""
        try:
            return subprocess.run(
                serve_command("--port", str(self.port), *args), cwd=self.workdir, env=_environment(token, {}),
                capture_output=True, text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"painlink serve {' '.join(args)} started serving instead of refusing to start")

    def stop_all(self) -> None:
        for served in self.started:
            if served.process.poll() is None:
                served.kill()


@pytest.fixture
def painlink_serve(tmp_path: Path, unused_port: int) -> Iterator[PainlinkServe]:
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    starter = PainlinkServe(workdir, unused_port)
    yield starter
    starter.stop_all()


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    app = create_app(Settings(memory=True, update_token=TOKEN, query_workers=1, query_timeout=3))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
