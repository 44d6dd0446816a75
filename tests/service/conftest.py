"""Fixtures for the service suites (the in-process client is tests/clients.py, the real server
tests/servers.py).

* ``app_options`` -- the service suites' ``app_client`` and ``make_client`` run two query workers.
* ``shipped`` (session) -- a pyoxigraph store holding the shipped ontology, to compute expected
  answers independently of the service.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from painlink.ontology import SHIPPED_FILES


@pytest.fixture(scope="module")
def app_options() -> dict[str, object]:
    return {"query_workers": 2}


@pytest.fixture(scope="session")
def shipped() -> ox.Store:
    store = ox.Store()
    for path in SHIPPED_FILES:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
