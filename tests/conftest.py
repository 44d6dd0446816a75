"""Fixtures shared by every suite.

Stores (owned by the stores work, issue 5):

* ``oxigraph_server`` (session) -- a real ``oxigraph serve`` on a free loopback port, torn down at the
  end; an :class:`OxigraphServer` with ``query_url``, ``update_url``, ``store_url``, ``update()`` (a
  write by another client) and ``clear()``. ``private_oxigraph_server`` is one of a test's own, which it may ``stop()``.
* ``virtuoso_server`` (session) -- a real Virtuoso on free loopback ports (tests/virtuoso_server.py),
  with the same surface; ``remote_server(request, store_kind)`` (tests/store_kinds.py) is the server of
  a remote kind.
* ``store`` -- parametrised over the backends, ids ``memory``, ``persistent`` (a data directory
  in tmp_path), ``remote`` (the Oxigraph server above, emptied first) and ``virtuoso`` (the Virtuoso
  server, emptied first). A test that takes ``store`` runs once on each. ``store_kind`` says which
  one a test got; ``REMOTE_KINDS`` (tests/store_kinds.py) are the two over a server.
* ``unused_port`` -- a loopback port nothing listens on.
* ``reopen_store`` -- a callable that closes ``store`` and opens the same data again (the persistent
  directory, the same server), for tests of what survives a restart.

A real painlink server (tests/servers.py, the one launcher of ``painlink serve``):

* ``live_server`` (session) -- ``painlink serve --memory`` on a free loopback port, updates enabled
  with ``live_server.token`` (send ``headers=live_server.auth``), query timeout 2 s.
* ``start_server`` -- ``start_server(*serve_options, data_dir=..., env={"PAINLINK_...": ...}, token=...)``:
  a server of your own; ``start_server.run(*serve_options)`` for one that must refuse to start.
  ``server_env`` holds the variables those start with (a suite's conftest.py may override it).

The app in-process (tests/clients.py, the one in-process client):

* ``app_client`` (module) -- a ``TestClient`` over the app (in-memory store, updates enabled with the
  token of tests/servers.py); ``make_client(**settings)`` -- a client of your own with those settings;
  ``app_options`` -- what a suite's conftest.py puts over the defaults of both.

* ``listener`` (tests/listener.py) -- a loopback TCP listener recording every connection made to it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from clients import app_client, app_options, make_client  # noqa: F401  (fixtures, tests/clients.py)
from listener import listener  # noqa: F401  (fixture, tests/listener.py)
from servers import (  # noqa: F401  (fixtures, tests/servers.py)
    free_port,
    live_server,
    server_env,
    start_server_fixture,
    stop_process,
    wait_until_answering,
)
from store_kinds import REMOTE_KINDS, STORE_KINDS, remote_server
from virtuoso_server import VirtuosoServer, start_virtuoso

from painlink.graph.stores import OxigraphStore, RemoteStore, Store


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (for "server unreachable" tests)."""
    return free_port()


def oxigraph_binary() -> str:
    """The ``oxigraph`` command from the `oxigraph` PyPI package (test extra): beside this python
    (scripts/test does not activate the venv) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` server is missing: install the test extra (pip install -e '.[test]')")
    return found


@dataclass
class OxigraphServer:
    base_url: str
    process: subprocess.Popen

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def update(self, sparql: str) -> None:
        """Write to the server directly, as another client would (behind painlink's back)."""
        response = httpx.post(
            self.update_url, content=sparql.encode(), headers={"Content-Type": "application/sparql-update"}
        )
        response.raise_for_status()

    def clear(self) -> None:
        self.update("DROP ALL")

    def stop(self) -> None:
        stop_process(self.process, timeout=10)


def start_oxigraph(location: Path) -> OxigraphServer:
    """Start ``oxigraph serve`` on ``location`` and a free loopback port; wait until it answers."""
    log = location.parent / f"{location.name}.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{free_port()}"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    port = process.args[-1].rsplit(":", 1)[1]
    server = OxigraphServer(f"http://127.0.0.1:{port}", process)
    wait_until_answering(
        process, server.query_url, timeout=20, what="oxigraph serve", output=lambda: log.read_text(errors="replace")
    )
    return server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture
def private_oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An ``oxigraph serve`` of this test's own, which the test may stop (to see a server go away)."""
    server = start_oxigraph(tmp_path / "private-oxigraph")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    server.stop()


def _open(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    if kind == "memory":
        return OxigraphStore()
    if kind == "persistent":
        return OxigraphStore(tmp_path / "data")
    server = remote_server(request, kind)
    # refresh_interval=0: check for outside writes on every read, so tests see them at once.
    return RemoteStore(server.query_url, update_url=server.update_url, refresh_interval=0)


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    if store_kind in REMOTE_KINDS:
        remote_server(request, store_kind).clear()
    opened = _open(store_kind, tmp_path, request)
    request.node.stash[_OPEN_STORES] = [opened]
    yield opened
    for each in request.node.stash[_OPEN_STORES]:
        each.close()


_OPEN_STORES = pytest.StashKey[list]()


@pytest.fixture
def reopen_store(
    store: Store, store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[], Store]:
    """Close ``store`` (or the store the last call returned) and open its data again, as a
    restarted service would."""

    def reopen() -> Store:
        request.node.stash[_OPEN_STORES][-1].close()  # the latest one: reopen may be called again
        opened = _open(store_kind, tmp_path, request)
        request.node.stash[_OPEN_STORES].append(opened)
        return opened

    return reopen
