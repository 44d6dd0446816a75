"""/store, the SPARQL 1.1 Graph Store HTTP Protocol: every method, the graph parameters, negotiation,
the token, and that a rejected write changes nothing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from servers import AUTH

GRAPH = "http://example.org/graphs/clinic"
TURTLE = b"@prefix e: <http://example.org/> .\ne:heel e:hurts e:walking .\ne:heel e:label 'heel' .\n"


def nt(client: TestClient, **params: str) -> set[str]:
    response = client.get("/store", params=params, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return {line for line in response.text.splitlines() if line.strip()}


def test_get_default_graph_holds_the_shipped_ontology(app_client: TestClient, shipped: ox.Store) -> None:
    expected = {
        f"{q.subject} {q.predicate} {q.object} ." for q in shipped.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert nt(app_client, default="") == expected


@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"])
def test_get_negotiates_the_format(app_client: TestClient, accept: str) -> None:
    response = app_client.get("/store", params={"default": ""}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-triples": ox.RdfFormat.N_TRIPLES}[accept]
    assert len(list(ox.parse(response.content, format=fmt))) == len(nt(app_client, default=""))


def test_graph_parameters_are_checked(app_client: TestClient) -> None:
    neither = app_client.get("/store")
    assert neither.status_code == 400 and "?graph=IRI" in neither.text
    both = app_client.get("/store", params={"default": "", "graph": GRAPH})
    assert both.status_code == 400 and "not both" in both.text
    bad = app_client.get("/store", params={"graph": "no iri"})
    assert bad.status_code == 400 and "absolute IRI" in bad.text


def test_missing_graph_is_404(app_client: TestClient) -> None:
    assert app_client.get("/store", params={"graph": "http://example.org/none"}).status_code == 404
    assert app_client.head("/store", params={"graph": "http://example.org/none"}).status_code == 404


def test_put_post_get_delete_round_trip(make_client) -> None:
    client = make_client()
    created = client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    assert created.status_code == 201
    assert nt(client, graph=GRAPH) == {
        "<http://example.org/heel> <http://example.org/hurts> <http://example.org/walking> .",
        '<http://example.org/heel> <http://example.org/label> "heel" .',
    }
    head = client.head("/store", params={"graph": GRAPH})
    assert head.status_code == 200 and head.content == b""
    added = client.post("/store", params={"graph": GRAPH}, headers={**AUTH, "Content-Type": "application/n-triples"},
                        content=b"<http://example.org/heel> <http://example.org/near> <http://example.org/arch> .\n")
    assert added.status_code == 204
    assert len(nt(client, graph=GRAPH)) == 3
    replaced = client.put("/store", params={"graph": GRAPH}, headers={**AUTH, "Content-Type": "application/n-triples"},
                          content=b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    assert replaced.status_code == 204
    assert nt(client, graph=GRAPH) == {"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."}
    # The graph is visible to SPARQL at once.
    ask = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"})
    assert ask.json()["boolean"] is True
    deleted = client.delete("/store", params={"graph": GRAPH}, headers=AUTH)
    assert deleted.status_code == 204
    assert client.get("/store", params={"graph": GRAPH}).status_code == 404
    assert client.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_writes_need_the_token(make_client) -> None:
    client = make_client()
    headers = {"Content-Type": "text/turtle"}
    assert client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers=headers).status_code == 401
    wrong = client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={**headers, "Authorization": "Bearer x"})
    assert wrong.status_code == 403
    assert client.delete("/store", params={"default": ""}).status_code == 401
    assert client.get("/store", params={"graph": GRAPH}).status_code == 404  # nothing was written
    read_only = make_client(update_token=None)
    refused = read_only.post("/store", params={"default": ""}, content=TURTLE, headers={**headers, **AUTH})
    assert refused.status_code == 403 and "read-only" in refused.text


def test_a_body_that_does_not_parse_changes_nothing(make_client) -> None:
    client = make_client()
    client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    before = nt(client, graph=GRAPH)
    for method in ("put", "post"):
        response = getattr(client, method)("/store", params={"graph": GRAPH}, headers={**AUTH, "Content-Type": "text/turtle"},
                                           content=b"@prefix e: <http://example.org/> .\ne:a e:b e:c .\ne:broken e:b")
        assert response.status_code == 400 and "was not changed" in response.text
        assert nt(client, graph=GRAPH) == before


def test_body_media_type_is_checked(make_client) -> None:
    client = make_client()
    wrong = client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={**AUTH, "Content-Type": "text/csv"})
    assert wrong.status_code == 415 and "text/turtle" in wrong.text
    missing = client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers=AUTH)
    assert missing.status_code == 415


def test_unacceptable_and_unknown_methods(app_client: TestClient) -> None:
    assert app_client.get("/store", params={"default": ""}, headers={"Accept": "image/png"}).status_code == 406
    patch = app_client.patch("/store", params={"default": ""})
    assert patch.status_code == 405 and "PATCH is not allowed" in patch.text
    assert {"GET", "PUT", "POST", "DELETE"} <= {m.strip() for m in patch.headers["allow"].split(",")}


# --- the protocol's MUSTs and SHOULDs, on a real server (issue 11) ------------------------------------
def _live_nt(server, url: str, **params: str) -> set[str]:
    import httpx

    response = httpx.get(url, params=params, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return {line for line in response.text.splitlines() if line.strip()}


def test_put_and_post_resolve_relative_iris_against_the_graph(live_server) -> None:
    import httpx

    graph = "http://example.org/graphs/relative/"
    body = b"<> <#describes> <heel> .\n"
    headers = {"Content-Type": "text/turtle", **live_server.auth}
    try:
        assert httpx.put(live_server.store_url, params={"graph": graph}, content=body, headers=headers).status_code == 201
        expected = {f"<{graph}> <{graph}#describes> <{graph}heel> ."}
        assert _live_nt(live_server, live_server.store_url, graph=graph) == expected
        added = httpx.post(live_server.store_url, params={"graph": graph}, content=b"<toe> <#near> <heel> .", headers=headers)
        assert added.status_code == 204
        assert _live_nt(live_server, live_server.store_url, graph=graph) == expected | {
            f"<{graph}toe> <{graph}#near> <{graph}heel> ."}
    finally:
        httpx.delete(live_server.store_url, params={"graph": graph}, headers=live_server.auth)


def test_a_post_to_the_store_creates_a_graph_at_its_location(live_server) -> None:
    import httpx

    headers = {"Content-Type": "text/turtle", **live_server.auth}
    first = httpx.post(live_server.store_url, content=b"<http://e/a> <http://e/p> <> .", headers=headers)
    second = httpx.post(live_server.store_url, content=b"<http://e/a> <http://e/p> 2 .", headers=headers)
    try:
        assert first.status_code == second.status_code == 201
        location = first.headers["location"]
        assert location.startswith(live_server.store_url + "/") and location != second.headers["location"]
        # The Location is the graph's IRI and its direct address; relative IRIs resolved against it.
        assert _live_nt(live_server, location) == {f"<http://e/a> <http://e/p> <{location}> ."}
        assert _live_nt(live_server, live_server.store_url, graph=location) == _live_nt(live_server, location)
    finally:
        for created in (first, second):
            if "location" in created.headers:
                httpx.delete(created.headers["location"], headers=live_server.auth)


def test_direct_identification_reads_writes_and_deletes(live_server) -> None:
    import httpx

    url = f"{live_server.store_url}/clinic/feet.ttl"
    headers = {"Content-Type": "application/n-triples", **live_server.auth}
    assert httpx.get(url).status_code == 404
    assert httpx.put(url, content=b'<http://e/heel> <http://e/p> "1" .', headers=headers).status_code == 201
    assert _live_nt(live_server, url) == {'<http://e/heel> <http://e/p> "1" .'}
    assert _live_nt(live_server, live_server.store_url, graph=url) == _live_nt(live_server, url)
    both = httpx.get(url, params={"graph": "http://e/other"})
    assert both.status_code == 400 and "takes no ?graph" in both.text
    assert httpx.delete(url, headers=live_server.auth).status_code == 204
    assert httpx.head(url).status_code == 404


def _multipart(*parts: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = "painlink-test-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
        f"Content-Type: {media}\r\n\r\n".encode() + data + b"\r\n"
        for name, media, data in parts
    ) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_multipart_post_adds_every_part_or_none(live_server) -> None:
    import httpx

    graph = "http://example.org/graphs/multipart"
    body, content_type = _multipart(("a.ttl", "text/turtle", b"<http://e/a> <http://e/p> 1 ."),
                                    ("b.nt", "application/n-triples", b'<http://e/b> <http://e/p> "2" .'))
    headers = {"Content-Type": content_type, **live_server.auth}
    try:
        assert httpx.post(live_server.store_url, params={"graph": graph}, content=body, headers=headers).status_code == 201
        before = _live_nt(live_server, live_server.store_url, graph=graph)
        assert len(before) == 2
        broken, broken_type = _multipart(("c.ttl", "text/turtle", b"<http://e/c> <http://e/p> 3 ."),
                                         ("d.ttl", "text/turtle", b"<http://e/d> <http://e/p> "))
        refused = httpx.post(live_server.store_url, params={"graph": graph}, content=broken,
                             headers={"Content-Type": broken_type, **live_server.auth})
        assert refused.status_code == 400 and "'d.ttl'" in refused.text
        odd, odd_type = _multipart(("e.csv", "text/csv", b"a,b"))
        unsupported = httpx.post(live_server.store_url, params={"graph": graph}, content=odd,
                                 headers={"Content-Type": odd_type, **live_server.auth})
        assert unsupported.status_code == 415 and "'e.csv'" in unsupported.text
        assert _live_nt(live_server, live_server.store_url, graph=graph) == before
    finally:
        httpx.delete(live_server.store_url, params={"graph": graph}, headers=live_server.auth)
