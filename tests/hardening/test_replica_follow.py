"""The query workers follow writes by replaying them, not by copying the store (issue 10, finding 11),
on a real ``painlink serve`` with two query workers.

Before: every write, however small, made each worker reload a full copy of the store (an N-Quads
dump of the whole store, bulk-loaded again; a checkpoint per worker for a persistent store): on a
200k-triple store each small write took ~4 s (up to 8.5 s) before ``/sparql`` saw it, and queries
waited up to 12.6 s behind the reloads (bench/writes.py). Now a worker replays the writes since its
copy; a write that would not replay the same (``NOW()``, ``UUID()`` ...) still gets a fresh copy.
Either way ``/sparql`` answers exactly what ``GET /store`` holds.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

NT = "application/n-triples"


def _update(served, text: str) -> None:
    response = httpx.post(served.sparql_url, content=text.encode(), timeout=60,
                          headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {served.token}"})
    assert response.status_code == 204, response.text


def _store(served, method: str, params: str, body: bytes = b"", media: str = "text/turtle") -> int:
    response = httpx.request(method, f"{served.base_url}/store?{params}", content=body, timeout=60,
                             headers={"Content-Type": media, "Authorization": f"Bearer {served.token}"})
    assert response.status_code in (200, 201, 204), response.text
    return response.status_code


def _lines(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.strip() and "_:" not in line}


def _agree(served, graph: str = "default") -> None:
    """Every worker's answer (asked several times: the pool hands queries round) is the stored graph."""
    params = "default" if graph == "default" else f"graph={graph}"
    stored = httpx.get(f"{served.base_url}/store?{params}", headers={"Accept": NT}, timeout=60)
    assert stored.status_code == 200
    pattern = "{ ?s ?p ?o }" if graph == "default" else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    for _ in range(4):
        answer = httpx.get(served.sparql_url, params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}"},
                           headers={"Accept": NT}, timeout=60)
        assert answer.status_code == 200
        assert _lines(answer.text) == _lines(stored.text)


@pytest.mark.parametrize("store", ["memory", "persistent"])
def test_workers_answer_what_the_store_holds_after_every_kind_of_write(start_server, tmp_path: Path, store) -> None:
    served = start_server(env={"PAINLINK_QUERY_WORKERS": "2"}, data_dir=None if store == "memory" else tmp_path / "data")
    _agree(served)
    _update(served, 'INSERT DATA { <urn:x:a> <urn:x:p> "one" . <urn:x:b> <urn:x:p> "two" }')
    _agree(served)
    # Rehearsed first (it has a WHERE), then applied: the rehearsing worker must not count it twice.
    _update(served, 'DELETE { ?s <urn:x:p> "one" } INSERT { ?s <urn:x:p> "uno" } WHERE { ?s <urn:x:p> "one" }')
    _agree(served)
    _store(served, "POST", "default", b'<urn:x:c> <urn:x:p> "three" .')
    _store(served, "PUT", "graph=urn:x:g", b'<urn:x:d> <urn:x:p> "four" .')
    _agree(served)
    _agree(served, "urn:x:g")
    _store(served, "PUT", "graph=urn:x:g", b'<urn:x:e> <urn:x:p> "five" .')
    _agree(served, "urn:x:g")
    _store(served, "DELETE", "graph=urn:x:g")
    assert httpx.get(served.sparql_url, params={"query": "ASK { GRAPH <urn:x:g> { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=60).json()["boolean"] is False
    # Not replayable (a new value each time it runs): the workers must take the store's own value.
    _update(served, "INSERT { <urn:x:t> <urn:x:id> ?id } WHERE { BIND(STRUUID() AS ?id) }")
    _agree(served)
    _update(served, 'INSERT DATA { <urn:x:f> <urn:x:p> "after the copy" }')
    _agree(served)


def test_a_small_write_does_not_copy_the_store(start_server, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    served = start_server(env={"PAINLINK_QUERY_WORKERS": "2", "TMPDIR": str(scratch)})
    (folder,) = scratch.glob("painlink-replicas-*")  # where the in-memory store's copies are dumped
    _update(served, 'INSERT DATA { <urn:x:warm> <urn:x:p> "up" }')
    _agree(served)
    dumps = {path.name for path in folder.glob("*.nq")}
    for n in range(10):
        _update(served, f'INSERT DATA {{ <urn:x:w{n}> <urn:x:p> {n} }}')
        assert httpx.get(served.sparql_url, params={"query": f"ASK {{ <urn:x:w{n}> <urn:x:p> {n} }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=60).json()["boolean"]
    assert {path.name for path in folder.glob("*.nq")} == dumps, "a small write made a new copy of the store"
