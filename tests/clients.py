"""The painlink app in-process for tests: one way to build it, a client over it (Starlette's
``TestClient``: the lifespan runs, so the store, the engine and the query workers are the real ones).

``client_for(**settings)`` builds ``create_app(Settings(...))`` from :data:`DEFAULTS` (an in-memory
store with the shipped ontology, updates enabled with the token of tests/servers.py, one query
worker) with the given ``Settings`` fields over them (``update_token=None``: read-only; ``data=[...]``:
more files; any cap), and optionally ``store=`` (a :class:`~painlink.graph.stores.Store` of any kind
the test opened, e.g. the parametrised ``store`` fixture) and ``raise_server_exceptions=False`` (to
see the 500 a client would). Enter it (``with client_for() as client``) to run the lifespan.
``app_for(**settings)`` is the app alone (for schemathesis).

Fixtures (registered for every suite by tests/conftest.py):

* ``app_client`` (module) -- one client with the suite's options; read-only tests share it.
* ``make_client`` -- ``make_client(**settings)``: a client of the test's own (entered), closed after it.
* ``app_options`` (module) -- the options over :data:`DEFAULTS` those two use; a suite overrides it in
  its conftest.py (tests/service: two query workers; tests/hardening: 3 s query timeout, server
  errors answered rather than raised).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from servers import TOKEN

from painlink.graph.stores import Store
from painlink.service.app import create_app
from painlink.service.settings import Settings

__all__ = ["DEFAULTS", "app_client", "app_for", "app_options", "client_for", "make_client"]

#: The settings every in-process app starts from.
DEFAULTS: dict[str, object] = {"memory": True, "update_token": TOKEN, "query_workers": 1}


def app_for(*, store: Store | None = None, **settings: object) -> FastAPI:
    """``create_app`` with :data:`DEFAULTS` and ``settings`` over them, serving ``store`` if given."""
    return create_app(Settings(**{**DEFAULTS, **settings}), store=store)


def client_for(
    *, store: Store | None = None, raise_server_exceptions: bool = True, **settings: object
) -> TestClient:
    """A client over :func:`app_for` (not yet entered: ``with client_for(...) as client``)."""
    return TestClient(app_for(store=store, **settings), raise_server_exceptions=raise_server_exceptions)


@pytest.fixture(scope="module")
def app_options() -> dict[str, object]:
    """What a suite's ``app_client`` and ``make_client`` put over :data:`DEFAULTS` (none here)."""
    return {}


@pytest.fixture(scope="module")
def app_client(app_options: dict[str, object]) -> Iterator[TestClient]:
    with client_for(**app_options) as client:
        yield client


@pytest.fixture
def make_client(app_options: dict[str, object]) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(**settings: object) -> TestClient:
        client = client_for(**{**app_options, **settings})
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)
