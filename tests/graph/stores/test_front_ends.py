"""Several `painlink serve` front-ends over one remote store (README, "One store, several
front-ends"): a write through one is answered by the others within the refresh interval.

Two real front-ends (uvicorn, started as `painlink serve` is) over one real `oxigraph serve`, and over
one real Virtuoso. The write
is the hard case for a fingerprint that counts triples: a label replaced one for one, so the number of
triples does not move; then a triple removed, which it does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import Server, launch
from store_kinds import REMOTE_KINDS

REFRESH = 1.0  # seconds: --store-refresh-interval of both front-ends
PLI = "https://w3id.org/painlink/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
QUESTIONS = [
    "/api/paths?from=foot-pain&to=back-pain",
    "/api/explain?symptom=foot-pain",
    "/entity/foot-pain",
]


@pytest.fixture(params=REMOTE_KINDS)
def front_ends(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        server.clear()
    else:
        server = request.getfixturevalue("private_oxigraph_server")
    store = ["--store", server.query_url, "--store-update", server.update_url,
             "--store-refresh-interval", str(REFRESH)]
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            started.append(launch(folder, store=store, env={"PAINLINK_QUERY_TIMEOUT": "30"}))
        yield started[0], started[1]
    finally:
        for front_end in started:
            front_end.stop()


def answers(front_end: Server) -> list[str]:
    texts = []
    for path in QUESTIONS:
        response = httpx.get(front_end.base_url + path, timeout=60)
        assert response.status_code == 200, (path, response.text[:500])
        texts.append(response.text)
    return texts


def update(front_end: Server, sparql: str) -> None:
    response = httpx.post(front_end.sparql_url, data={"update": sparql}, headers=front_end.auth, timeout=60)
    assert response.status_code in (200, 204), response.text[:500]


def wait_until_agreeing(first: Server, second: Server, seconds: float) -> tuple[list[str], float]:
    """Poll both until they give the same answers (the first's after its own write); return those
    and how long it took."""
    start = time.monotonic()
    expected = answers(first)
    while True:
        seen = answers(second)
        if seen == expected:
            return expected, time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"the second front-end still answers differently after {seconds:g} s")
        time.sleep(0.2)


def test_a_write_through_one_front_end_is_answered_by_the_other(front_ends) -> None:
    a, b = front_ends
    assert answers(a) == answers(b)
    # Renamed one for one: the store holds as many triples as before.
    update(a, f'DELETE DATA {{ <{PLI}foot-pain> <{LABEL}> "foot pain"@en }} ;\n'
              f'INSERT DATA {{ <{PLI}foot-pain> <{LABEL}> "pain of the foot"@en }}')
    agreed, _ = wait_until_agreeing(a, b, seconds=REFRESH + 30)
    assert all("pain of the foot" in text for text in agreed)
    # And back through the other one, with a triple fewer.
    update(b, f'DELETE DATA {{ <{PLI}foot-pain> <{LABEL}> "pain of the foot"@en }} ;\n'
              f'INSERT DATA {{ <{PLI}foot-pain> <{LABEL}> "foot pain"@en }}')
    agreed, _ = wait_until_agreeing(b, a, seconds=REFRESH + 30)
    assert not any("pain of the foot" in text for text in agreed)
