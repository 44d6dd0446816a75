"""Every write takes the lock an update's rehearsal relies on (issue 10, finding 7), on a real
``painlink serve``.

An update with a ``WHERE`` is first rehearsed on a worker's replica under the query timeout, so an
update too expensive for the timeout is refused (503) before it touches the store. Before, a Graph
Store write did not take the rehearsal's lock: an update sent during a ``PUT`` was rehearsed on the
state *before* the PUT (cheap there), then applied, without any timeout, to the state after it -- an
update that should have been refused at 5 s was applied after 41.5 s. Now it waits for the PUT, is
rehearsed on what the PUT left, and refused.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.slow

#: Items of <urn:x:p> the PUT brings: the update's three-way join over them runs for seconds.
ITEMS = 300
#: Filler triples that make the PUT itself take a while, so the update arrives during it.
FILLER = 60_000
TIMEOUT = 1.0
#: Cheap on the graph before the PUT (no such graph), seconds on the one after it.
EXPENSIVE = ("INSERT { GRAPH <urn:x:g> { <urn:x:result> <urn:x:count> ?n } } WHERE { { SELECT (COUNT(*) AS ?n) "
             "WHERE { GRAPH <urn:x:g> { ?a <urn:x:p> ?x . ?b <urn:x:p> ?y . ?c <urn:x:p> ?z } } } }")


def test_an_update_sent_during_a_put_is_rehearsed_on_what_the_put_leaves(start_server, tmp_path) -> None:
    served = start_server("--query-timeout", str(TIMEOUT), data_dir=tmp_path / "data")
    lines = [f'<urn:x:s{i}> <urn:x:p> "{i}" .' for i in range(ITEMS)]
    lines += [f'<urn:x:f{i}> <urn:x:filler> "filler {i} {"x" * 60}" .' for i in range(FILLER)]
    body = ("\n".join(lines) + "\n").encode()
    auth = {"Authorization": f"Bearer {served.token}"}
    outcome: dict[str, int] = {}

    def put() -> None:
        response = httpx.put(served.base_url + "/store?graph=urn:x:g", content=body, timeout=120,
                             headers={**auth, "Content-Type": "application/n-triples"})
        outcome["put"] = response.status_code

    writer = threading.Thread(target=put)
    writer.start()
    time.sleep(0.5)  # the PUT is being parsed and written
    started = time.monotonic()
    update = httpx.post(served.sparql_url, content=EXPENSIVE, headers={**auth, "Content-Type": "application/sparql-update"}, timeout=60)
    took = time.monotonic() - started
    writer.join(120)
    assert outcome["put"] in (201, 204)
    assert update.status_code == 503, f"{update.status_code} after {took:.1f} s: {update.text}"
    applied = httpx.get(served.sparql_url, params={"query": "ASK { GRAPH ?g { <urn:x:result> ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["boolean"]
    assert applied is False
    print(f"update answered {update.status_code} after {took:.1f} s")
