"""Fixtures of the hardening suite.

* ``server_env`` -- overrides the shared one (tests/servers.py): the real ``painlink serve`` of a
  hardening test (``start_server``, a persistent data directory with ``data_dir=``) runs with one
  query worker, to stay small beside the test's own clients on two cores, and the default query timeout.
* ``app_options`` -- the hardening suite's ``app_client`` (tests/clients.py: the app in-process, one
  query worker, for fuzzing many requests fast) stops queries after 3 s and answers a server error
  with its 500 (so a test sees it) rather than raising it.
* ``listener`` (tests/listener.py, shared by every suite) -- the "nothing reached the network" witness.

Servers run with the working directory in ``tmp_path/cwd`` so the source checkout never shadows the
installed package and ``./data`` is never the user's.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"PAINLINK_QUERY_WORKERS": "1"}  # two cores: keep the server small beside the test client


@pytest.fixture(scope="module")
def app_options() -> dict[str, object]:
    return {"query_timeout": 3, "raise_server_exceptions": False}
