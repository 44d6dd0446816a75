"""``/mcp`` on ``painlink serve``: off unless enabled, and only for the service's own origin and host
(the protocol's security notes: a server MUST validate Origin; DNS rebinding)."""

from __future__ import annotations

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

#: A JSON-RPC request any MCP server answers, sent by hand to test the HTTP layer around the SDK.
PING = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
           "MCP-Protocol-Version": "2025-11-25"}


def test_mcp_is_off_unless_enabled(live_server) -> None:
    refused = httpx.post(f"{live_server.base_url}/mcp", json=PING, headers=HEADERS, timeout=10)
    assert refused.status_code == 404


def test_a_foreign_origin_is_refused(mcp_http_server) -> None:
    url = f"{mcp_http_server.base_url}/mcp"
    foreign = httpx.post(url, json=PING, headers={**HEADERS, "Origin": "https://evil.example"}, timeout=10)
    assert foreign.status_code == 403
    assert "tools" not in foreign.text
    own = httpx.post(url, json=PING, headers={**HEADERS, "Origin": mcp_http_server.base_url}, timeout=10)
    assert own.status_code == 200, own.text
    assert "explain" in {tool["name"] for tool in own.json()["result"]["tools"]}
    without = httpx.post(url, json=PING, headers=HEADERS, timeout=10)  # not from a browser: no Origin
    assert without.status_code == 200


def test_a_foreign_host_is_refused(mcp_http_server) -> None:
    # DNS rebinding: evil.example resolving to 127.0.0.1 sends its own name as Host.
    port = mcp_http_server.base_url.rsplit(":", 1)[1]
    answer = httpx.post(f"{mcp_http_server.base_url}/mcp", json=PING,
                        headers={**HEADERS, "Host": f"evil.example:{port}"}, timeout=10)
    assert answer.status_code == 421


@pytest.mark.anyio
async def test_the_sdk_client_from_a_foreign_origin_gets_nothing(mcp_http_server, anyio_backend) -> None:
    async with httpx2.AsyncClient(headers={"Origin": "https://evil.example"}) as http:
        with pytest.raises(Exception):  # noqa: B017 - which error the SDK raises is its own business
            async with Client(streamable_http_client(f"{mcp_http_server.base_url}/mcp", http_client=http)) as client:
                await client.list_tools()
