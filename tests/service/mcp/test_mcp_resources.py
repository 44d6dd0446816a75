"""Entities and claims as MCP resources (``painlink://entity/{id}``, ``painlink://claim/{id}``), read
through the SDK's client over both transports."""

from __future__ import annotations

import json

import httpx
import pytest
from mcp import MCPError

pytestmark = pytest.mark.anyio


async def test_entities_and_claims_are_listed_and_read_like_the_api(connect, mcp_http_server) -> None:
    async with connect() as client:
        listed = {str(resource.uri): resource for resource in (await client.list_resources()).resources}
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        entity = await client.read_resource("painlink://entity/cauda-equina-syndrome")
        claim = await client.read_resource("painlink://claim/foot-pain--causes--altered-gait")
    assert templates == {"painlink://entity/{id}", "painlink://claim/{id}"}
    assert listed["painlink://entity/foot-pain"].title == "foot pain"
    assert listed["painlink://entity/foot-pain"].meta == {"iri": "https://w3id.org/painlink/id/foot-pain"}
    assert "painlink://claim/foot-pain--causes--altered-gait" in listed
    # Every entity and claim the API knows is listed.
    base = mcp_http_server.base_url
    for hit in httpx.get(f"{base}/api/claims", params={"about": "foot pain"}, timeout=30).json()["claims"]:
        assert f"painlink://claim/{hit['id']}" in listed

    by_type = {part.mime_type: part.text for part in entity.contents}
    assert json.loads(by_type["application/json"]) == httpx.get(
        f"{base}/api/entities/cauda-equina-syndrome", timeout=30).json()
    assert by_type["text/plain"].startswith("RED FLAG (EMERGENCY)")  # reading it about the condition warns too
    body = json.loads(next(part.text for part in claim.contents if part.mime_type == "application/json"))
    assert body == httpx.get(f"{base}/api/claims/foot-pain--causes--altered-gait", timeout=30).json()


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("painlink://entity/sciatc", "did you mean: sciatic nerve, sciatica"),
        ("painlink://claim/foot-pain--causes--back-pian", "did you mean: foot-pain--"),
        ("painlink://symptom/foot-pain", "painlink://entity/{id}"),
        ("https://w3id.org/painlink/id/foot-pain", "not a painlink resource"),
    ],
)
async def test_an_unknown_resource_is_a_protocol_error_with_suggestions(connect, address: str, says: str) -> None:
    async with connect() as client:
        with pytest.raises(MCPError) as refused:
            await client.read_resource(address)
    assert says in refused.value.message
