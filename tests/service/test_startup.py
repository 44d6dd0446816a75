"""Start-up: the path engine's view of the graph is built as the service starts, not by its first user."""

from __future__ import annotations

import pytest

from painlink.graph import projection


def test_the_first_path_question_finds_the_engine_prepared(make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client()
    client.app.state.warm_up.join(timeout=30)
    assert not client.app.state.warm_up.is_alive()

    builds: list[object] = []
    real_build = projection.build_projection

    def counting_build(store):
        builds.append(store)
        return real_build(store)

    monkeypatch.setattr(projection, "build_projection", counting_build)
    response = client.get("/api/paths", params={"from": "foot pain", "to": "back pain", "limit": 1})
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["paths"][0]["nodes"]] == [
        "foot-pain", "altered-gait", "spinal-misalignment", "back-pain",
    ]
    assert builds == [], "the first /api/paths rebuilt the projection instead of using the one built at start-up"


def test_after_a_write_the_engine_sees_the_change(make_client) -> None:
    from service_auth import AUTH

    client = make_client()
    client.app.state.warm_up.join(timeout=30)
    update = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX pli: <https://w3id.org/painlink/id/> "
        'INSERT DATA { pli:foot-pain rdfs:label "sore sole of the foot"@en }'
    )
    response = client.post("/sparql", content=update, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text
    hits = client.get("/api/entities", params={"q": "sore sole"}).json()["hits"]
    assert [hit["entity"]["id"] for hit in hits] == ["foot-pain"]
