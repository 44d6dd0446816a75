"""Fixtures for the service suites (in-process app; the real server fixtures are in tests/live_server.py).

* ``app_client`` (module) -- a ``TestClient`` over ``create_app`` with an in-memory store holding the
  shipped ontology, updates enabled with :data:`TOKEN`; read-only tests share it.
* ``make_client`` -- ``make_client(**settings)``: a client of your own with those settings (in-memory
  store unless said otherwise), closed after the test. Tests that write use this.
* ``shipped`` (session) -- a pyoxigraph store holding the shipped ontology, to compute expected
  answers independently of the service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from service_auth import TOKEN

from painlink.ontology import SHIPPED_FILES
from painlink.service.app import create_app
from painlink.service.settings import Settings


def client_for(**settings: object) -> TestClient:
    values = {"memory": True, "update_token": TOKEN, "query_workers": 2, **settings}
    return TestClient(create_app(Settings(**values)))


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    with client_for() as client:
        yield client


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(**settings: object) -> TestClient:
        client = client_for(**settings)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def shipped() -> ox.Store:
    store = ox.Store()
    for path in SHIPPED_FILES:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
