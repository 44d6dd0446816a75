"""The service works the same on every store (memory, persistent, remote), and a remote store that
goes away gives clear 503s, never a 500."""

from __future__ import annotations

from clients import client_for
from fastapi.testclient import TestClient
from servers import AUTH

from painlink.graph.stores import RemoteStore, Store, sync_shipped
from painlink.ontology import SHIPPED_FILES

PLI = "https://w3id.org/painlink/id/"
PL = "https://w3id.org/painlink/vocab#"
JSON = {"Accept": "application/sparql-results+json"}


def ask(client: TestClient, pattern: str) -> bool:
    response = client.get("/sparql", params={"query": f"ASK {{ {pattern} }}"}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_the_service_answers_and_writes_on_every_store(store: Store) -> None:
    sync_shipped(store, SHIPPED_FILES)
    with client_for(store=store) as client:
        assert ask(client, f"<{PLI}foot-pain> <{PL}causes> <{PLI}altered-gait>")
        new = f"<{PLI}test-only-entity> <{PL}causes> <{PLI}back-pain>"
        response = client.post(
            "/sparql",
            content=f"INSERT DATA {{ {new} }}",
            headers={"Content-Type": "application/sparql-update", **AUTH},
        )
        assert response.status_code in (200, 204), response.text
        assert ask(client, new)
        page = client.get("/entity/foot-pain")
        assert page.status_code == 200 and "foot pain" in page.text.lower()
    assert bool(store.query(f"ASK {{ {new} }}"))  # the write reached the store itself


def test_a_remote_store_that_goes_away_answers_503(private_oxigraph_server) -> None:
    server = private_oxigraph_server
    store = RemoteStore(server.query_url, update_url=server.update_url, refresh_interval=0, timeout=5)
    sync_shipped(store, SHIPPED_FILES)
    try:
        with client_for(store=store, raise_server_exceptions=False) as client:
            assert ask(client, f"<{PLI}foot-pain> <{PL}causes> <{PLI}altered-gait>")
            server.stop()
            for path, params, headers in (
                ("/sparql", {"query": "ASK { ?s ?p ?o }"}, JSON),
                ("/entity/foot-pain", {}, {"Accept": "text/html"}),
                ("/store", {"default": ""}, {"Accept": "text/turtle"}),
                ("/api/paths", {"from": "foot-pain", "to": "back-pain"}, {"Accept": "application/json"}),
            ):
                response = client.get(path, params=params, headers=headers)
                assert response.status_code == 503, (path, response.status_code, response.text[:300])
                assert "cannot reach the sparql server" in response.text.lower()
                assert "Traceback" not in response.text
                if path.startswith("/api/"):
                    assert "cannot reach" in response.json()["detail"].lower()  # the declared ErrorMessage
    finally:
        store.close()
