"""Issue 10, finding 2: nothing heavy runs on the event loop for /sparql, so one request cannot freeze
every route.

A 40 KB query with "service" in a comment and ``BIND(1+1+...+1)`` froze the whole server for 33 s
(the outbound check's second reading ran on the loop); a 16.5 MB form body of ``a=&a=&...`` froze it
10 s (the form was split on the loop). Now the reading runs on a query worker under the query
timeout, the form is split in a thread after a bound on its fields. The tests: a cheap page answers
*while* the heavy request is still being worked on (no timing thresholds; the figures are in
bench/loop_latency.py).
"""

from __future__ import annotations

import threading

import httpx

HEAVY_QUERY = "# a comment that says service\nSELECT * WHERE { BIND(1" + "+1" * 20_000 + " AS ?x) }"


def test_a_cheap_page_answers_while_a_heavy_query_is_checked(start_server) -> None:
    served = start_server(token=None)
    heavy: dict[str, httpx.Response] = {}

    def send_heavy() -> None:
        heavy["response"] = httpx.post(served.sparql_url, data={"query": HEAVY_QUERY}, timeout=120)

    thread = threading.Thread(target=send_heavy)
    thread.start()
    try:
        # Give the heavy request time to arrive and start; then ask for cheap pages, one by one.
        thread.join(timeout=1.0)
        answered = []
        for path in ("/static/painlink.css", "/api/entities?q=foot", "/api/entities/foot-pain"):
            response = httpx.get(served.base_url + path, timeout=60)
            answered.append((path, response.status_code, thread.is_alive()))
    finally:
        thread.join(timeout=120)
    assert all(status == 200 for _, status, _ in answered), answered
    assert all(still_running for _, _, still_running in answered), (
        f"the cheap requests waited for the heavy one: {answered}"
    )
    # The heavy one ended by itself: refused by the timeout (the check took too long) or answered.
    assert heavy["response"].status_code in (200, 503), heavy["response"].text


def test_a_form_body_of_millions_of_fields_is_refused_before_it_is_split(start_server) -> None:
    served = start_server(token=None)
    body = b"a=&" * (16_500_000 // 3)
    response = httpx.post(
        served.sparql_url, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=120
    )
    assert response.status_code == 413, response.text
    assert "fields" in response.text and "1000" in response.text
    # And a form under the bound still works.
    small = httpx.post(served.sparql_url, data={"query": "ASK {}", **{f"x{i}": "" for i in range(50)}}, timeout=30)
    assert small.status_code == 200, small.text
