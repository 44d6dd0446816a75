"""Fixtures for the MCP face: real servers, driven with the MCP SDK's own client.

* ``mcp_http_server`` (session) -- ``painlink serve --memory --mcp-http`` on a free loopback port
  (tests/servers.py), with operator caps below the engine's (:data:`CAPS`) so the tools' bounds
  can be told from the declarations' defaults.
* ``connect`` -- parametrised over ``stdio`` (a real ``painlink mcp`` subprocess with the same caps,
  launched by the SDK's stdio client) and ``http`` (the server above at ``/mcp``):
  ``async with connect() as client`` gives a connected :class:`mcp.Client`.

The tests are ``async`` and run on asyncio through anyio's pytest plugin (``anyio_backend``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client
from mcp_servers import cap_options, stdio_parameters
from servers import Server, launch


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the service's path pool waits with asyncio


@pytest.fixture(scope="session")
def mcp_http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = launch(tmp_path_factory.mktemp("mcp-server"), "--mcp-http", *cap_options(), token=None,
                    env={"PAINLINK_QUERY_TIMEOUT": "2"})  # as the stdio server's
    yield server
    server.stop()


@pytest.fixture(params=["stdio", "http"])
def transport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def connect(transport: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[Client]]:
    if transport == "http":
        server: Server = request.getfixturevalue("mcp_http_server")
        return lambda: Client(f"{server.base_url}/mcp")
    log = open(tmp_path / "painlink-mcp.log", "w")  # the server's standard error, for a failing test
    request.addfinalizer(log.close)
    return lambda: Client(stdio_client(stdio_parameters(tmp_path), errlog=log))
