"""Fixtures of the hardening suite.

* ``server_env`` -- overrides the shared one (tests/servers.py): the real ``painlink serve`` of a
  hardening test (``start_server``, a persistent data directory with ``data_dir=``) runs with one
  query worker, to stay small beside the test's own clients on two cores, and the default query timeout.
* ``app_client`` (module) -- the app in-process (Starlette's TestClient, lifespan run), in-memory
  store, updates enabled with :data:`TOKEN`, one query worker: for fuzzing many requests fast.
* ``listener`` (tests/listener.py, shared by every suite) -- the "nothing reached the network" witness.

Servers run with the working directory in ``tmp_path/cwd`` so the source checkout never shadows the
installed package and ``./data`` is never the user's.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from painlink.service.app import create_app
from painlink.service.settings import Settings

TOKEN = "hardening-token-7f3a9c1e5b"

@pytest.fixture
def server_env() -> dict[str, str]:
    return {"PAINLINK_QUERY_WORKERS": "1"}  # two cores: keep the server small beside the test client


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    app = create_app(Settings(memory=True, update_token=TOKEN, query_workers=1, query_timeout=3))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
