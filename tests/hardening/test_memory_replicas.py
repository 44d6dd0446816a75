"""In ``--memory`` mode the query workers follow every acknowledged write (issue 10, finding 8), on a
real ``painlink serve``.

Before: a literal that makes its N-Quads line longer than 16 MiB (pyoxigraph's file reader stops
there) made every reload of the workers' replicas fail; the workers were kept with their old copy,
so later acknowledged writes were invisible to /sparql (ASK false) while ``GET /store`` showed them.
"""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow

ASK = "application/sparql-results+json"


def ask(served, query: str) -> bool:
    response = httpx.get(served.sparql_url, params={"query": query}, headers={"Accept": ASK}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_writes_after_a_literal_longer_than_16_mib_in_n_quads_are_visible(start_server) -> None:
    served = start_server()  # --memory
    auth = {"Authorization": f"Bearer {served.token}"}
    # 9 MiB of line breaks: a 9 MiB upload, an 18 MiB N-Quads line (each break is written "\n").
    long_literal = b'<urn:x:big> <urn:x:text> """' + b"\n" * (9 << 20) + b'""" .\n'
    response = httpx.post(served.base_url + "/store?default", content=long_literal, timeout=120,
                          headers={**auth, "Content-Type": "text/turtle"})
    assert response.status_code == 204, response.text
    assert ask(served, "ASK { <urn:x:big> <urn:x:text> ?t FILTER(STRLEN(?t) = %d) }" % (9 << 20))
    update = httpx.post(served.sparql_url, content=b'INSERT DATA { <urn:x:after> <urn:x:p> "acknowledged" }',
                        headers={**auth, "Content-Type": "application/sparql-update"}, timeout=60)
    assert update.status_code == 204, update.text
    assert ask(served, 'ASK { <urn:x:after> <urn:x:p> "acknowledged" }')
    stored = httpx.get(served.base_url + "/store?default", headers={"Accept": "application/n-triples"}, timeout=60)
    assert b"<urn:x:after>" in stored.content
