"""What a client can make the server do to others, and what an attacker learns from the token check.

Outbound requests, against a real ``painlink serve`` while a loopback listener records every
connection: remote ``FROM``/``FROM NAMED`` and the dataset parameters, JSON-LD with remote contexts
(``@context`` URL, list, ``@import``) posted to the Graph Store or given as a ``--data`` file, and
IRIs handed to the API never reach it. (``SERVICE`` and ``LOAD`` with the same kind of witness are in
tests/service/test_serve.py::test_service_is_refused_and_nothing_reaches_the_target.)

The update token: never in the server's output, whatever clients send; 401 and 403 say what to do
and nothing about the token (the answer to a near miss is the answer to a wild guess); the comparison
is ``hmac.compare_digest`` (constant time).
"""

from __future__ import annotations

import json

import httpx
import pytest
from servers import TOKEN

from painlink.service import security
from painlink.service.settings import Settings

SPARQL_JSON = "application/sparql-results+json"


def remote_context_documents(url: str) -> dict[str, dict]:
    return {
        "@context URL": {"@context": f"{url}/context.jsonld", "@id": "urn:x", "name": "x"},
        "@context list": {"@context": [f"{url}/a.jsonld", {"n": "urn:n"}], "@id": "urn:x", "n": "x"},
        "@import": {"@context": {"@import": f"{url}/b.jsonld", "n": "urn:n"}, "@id": "urn:x", "n": "x"},
        "nested @context": {"@context": {"n": "urn:n"}, "@id": "urn:x",
                            "n": {"@context": f"{url}/c.jsonld", "@id": "urn:y", "m": "y"}},
        "@graph node context": {"@graph": [{"@context": f"{url}/d.jsonld", "@id": "urn:z", "k": "z"}]},
    }


def quad_count(base: str) -> int:
    response = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"},
                         headers={"Accept": SPARQL_JSON})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_nothing_the_clients_name_is_fetched(start_server, listener) -> None:
    served = start_server()
    url = listener.url
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers: dict[str, int] = {}

    for name, query, params in (
        ("FROM", f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", {}),
        ("FROM NAMED", f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("default-graph-uri", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": f"{url}/d.ttl"}),
        ("named-graph-uri", "ASK { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": f"{url}/n.ttl"}),
        ("CONSTRUCT FROM", f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/x> WHERE {{ ?s ?p ?o }}", {}),
    ):
        response = httpx.get(served.sparql_url, params={"query": query, **params},
                             headers={"Accept": f"{SPARQL_JSON}, text/turtle;q=0.5"})
        answers[name] = response.status_code
        assert response.status_code == 200, (name, response.text)  # a graph name in the store, not a URL to get

    before = quad_count(served.base_url)
    for name, document in remote_context_documents(url).items():
        for method in ("POST", "PUT"):
            response = httpx.request(method, served.base_url + "/store", params={"graph": "urn:jsonld"},
                                     content=json.dumps(document).encode(),
                                     headers={**auth, "Content-Type": "application/ld+json"})
            answers[f"{method} /store JSON-LD {name}"] = response.status_code
            assert response.status_code == 400, (name, method, response.text)
            assert "remote context" in response.text and "not changed" in response.text, response.text
    assert quad_count(served.base_url) == before

    for route, params in (
        (f"/api/entities/{url}/x", {}),
        ("/api/paths", {"from": f"{url}/a", "to": "back-pain"}),
        ("/api/claims", {"about": f"{url}/b"}),
    ):
        response = httpx.get(served.base_url + route, params=params)
        answers[route] = response.status_code
        assert response.status_code == 404, response.text

    assert listener.settle() == [], f"the server connected out: {listener.connections} after {answers}"
    httpx.get(f"{url}/witness")  # the witness itself works: a connection that is made is recorded
    assert len(listener.settle()) == 1


def test_a_data_file_with_a_remote_context_is_refused_without_fetching_it(start_server, listener, tmp_path) -> None:
    for name, document in remote_context_documents(listener.url).items():
        data = tmp_path / "remote.jsonld"
        data.write_text(json.dumps(document))
        result = start_server.run("--memory", "--data", str(data))
        assert result.returncode != 0, name
        assert "remote.jsonld" in result.stderr and "remote context" in result.stderr, result.stderr
    assert listener.settle() == []


# --- the token --------------------------------------------------------------------------------------------
GUESSES = [TOKEN[:-1], TOKEN + "0", TOKEN.upper(), "x", TOKEN[:8], " " + TOKEN + "x", TOKEN[::-1]]


def test_the_token_is_never_in_the_output_and_refusals_leak_nothing(start_server) -> None:
    served = start_server()
    update = "INSERT DATA { GRAPH <urn:auth> { <urn:a> <urn:b> 1 } }"
    unauthorised, forbidden = set(), set()

    for header in ({}, {"Authorization": "Basic " + TOKEN}, {"Authorization": TOKEN}, {"Authorization": "Bearer"},
                   {"Authorization": "Token " + TOKEN}):
        response = httpx.post(served.sparql_url, data={"update": update}, headers=header)
        assert response.status_code == 401, (header, response.text)
        assert response.headers["www-authenticate"] == 'Bearer realm="painlink"'
        unauthorised.add(response.text)
    # The token in the query string or a cookie is not a credential either.
    for extra in ({"params": {"access_token": TOKEN}}, {"cookies": {"token": TOKEN}}):
        assert httpx.post(served.sparql_url, data={"update": update}, **extra).status_code == 401
    for guess in GUESSES:
        for target, kwargs in (
            (served.sparql_url, {"data": {"update": update}}),
            (served.base_url + "/store", {"params": {"graph": "urn:auth"}, "content": b"<urn:a> <urn:b> <urn:c> .",
                                          "headers_extra": {"Content-Type": "text/turtle"}}),
        ):
            extra_headers = kwargs.pop("headers_extra", {})
            response = httpx.post(target, headers={"Authorization": f"Bearer {guess}", **extra_headers}, **kwargs)
            assert response.status_code == 403, (guess, response.text)
            assert guess.strip() not in response.text and TOKEN not in response.text
            forbidden.add(response.text)
    assert served.update(update).status_code == 204
    assert httpx.delete(served.base_url + "/store", params={"graph": "urn:auth"},
                        headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204

    # One message per kind of refusal: a near miss reads exactly like a wild guess.
    assert len(unauthorised) == 1 and len(forbidden) == 1, (unauthorised, forbidden)
    (message,) = forbidden
    assert "not valid" in message
    for word in ("expected", "length", "prefix", "character", "secret", "hmac"):
        assert word not in message.lower()

    served.terminate()
    assert served.wait() == 0
    output = served.log()
    assert "painlink: serving" in output  # the log was captured
    for secret in [TOKEN, *(guess.strip() for guess in GUESSES if len(guess.strip()) > 3)]:
        assert secret not in output, f"{secret!r} is in the server's output"


def test_the_token_is_compared_in_constant_time(monkeypatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = security.hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", recording)
    settings = Settings(update_token="s3cret-token")
    security.check_update_token("Bearer s3cret-token", settings)
    with pytest.raises(security.Forbidden):
        security.check_update_token("Bearer s3cret-tokeN", settings)
    assert calls == [(b"s3cret-token", b"s3cret-token"), (b"s3cret-tokeN", b"s3cret-token")]
