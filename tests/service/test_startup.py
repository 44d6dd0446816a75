"""The path engine's view of the graph is built as the service starts and again after each write
through it, in the background: path questions find it ready rather than building it themselves."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from servers import AUTH

from painlink.graph.projection import cache

RENAME = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX pli: <https://w3id.org/painlink/id/> "
    'INSERT DATA { pli:foot-pain rdfs:label "sore sole of the foot"@en }'
)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every move of the projection to a new store version from now on (a full build, or a patch that
    follows a write), by the thread that made it."""
    made: list[object] = []
    real_advance = cache.advance

    def counting_advance(previous, store):
        made.append(threading.current_thread().name)
        return real_advance(previous, store)

    monkeypatch.setattr(cache, "advance", counting_advance)
    yield made


def test_the_first_path_question_finds_the_engine_prepared(make_client, builds) -> None:
    client = make_client()
    client.app.state.knowledge.wait_prepared(30)
    builds.clear()  # the start-up build may have run before or after the patch
    response = client.get("/api/paths", params={"from": "foot pain", "to": "back pain", "limit": 1})
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["paths"][0]["nodes"]] == [
        "foot-pain", "altered-gait", "spinal-misalignment", "back-pain",
    ]
    assert builds == [], "the first /api/paths built the projection instead of using the one built at start-up"


@pytest.mark.parametrize("write", ["sparql update", "graph store post"])
def test_after_a_write_the_engine_is_prepared_again_and_sees_the_change(make_client, builds, write) -> None:
    client = make_client()
    client.app.state.knowledge.wait_prepared(30)
    builds.clear()
    if write == "sparql update":
        response = client.post("/sparql", content=RENAME, headers={**AUTH, "Content-Type": "application/sparql-update"})
    else:
        body = '<https://w3id.org/painlink/id/foot-pain> <http://www.w3.org/2000/01/rdf-schema#label> "sore sole of the foot"@en .'
        response = client.post("/store?default", content=body, headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code in (201, 204), response.text
    client.app.state.knowledge.wait_prepared(30)
    assert builds == ["painlink-prepare"], "the write did not start a background build"
    hits = client.get("/api/entities", params={"q": "sore sole"}).json()["hits"]
    # the new name is found, first and literally (near misses may follow it)
    assert hits[0]["entity"]["id"] == "foot-pain" and hits[0]["matched"] == "sore sole of the foot"
    assert [hit["entity"]["id"] for hit in hits if hit["score"] >= 0.4] == ["foot-pain"]
    assert builds == ["painlink-prepare"], "the question after the write built the projection itself"
