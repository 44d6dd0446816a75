"""Issue 10, finding 1: no query makes the server call out, however it is written -- by construction.

Two layers, each tested on its own, with a loopback listener as the witness that nothing left:

* the check fails closed: a query that names a remote SERVICE in any spelling (comments, strings,
  IRIs, nesting, ``\\u`` escapes, whitespace, case, prefixed names, the reported
  ``FILTER(?d<2)SERVICEex:x#>`` trick beside a local ``SERVICE <urn:painlink:paths>``) is refused by
  the check itself with a 400 saying why -- never evaluated -- on a real ``painlink serve``;
* beneath it, the query worker (the real ``python -m painlink.service.replica`` the service starts)
  has no network: a SERVICE it is handed anyway fails with "Network is unreachable". Started with
  ``--network`` (what ``--allow-service`` does) it reaches the listener, and so does a real server
  with ``--allow-service``: the operator's choice still works.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painlink.service import wire
from painlink.service.messages import Failed, Query, Reply

SPARQL_JSON = "application/sparql-results+json"
#: What the check says when it refuses (security.refuse_outbound, limits.check_nesting): a refusal
#: by the check, not an evaluation that failed on the way out.
REFUSALS = ("are disabled on this server", "could not be checked", "reads differently", "levels deep")
LOCAL_PATHS = (
    'SERVICE SILENT <urn:painlink:paths> { [] <https://w3id.org/painlink/vocab#from> "foot pain" ; '
    '<https://w3id.org/painlink/vocab#to> "back pain" ; <https://w3id.org/painlink/vocab#path> ?n }'
)


def reported_query(url: str, nesting: int = 30) -> str:
    """The query of the report: a local SERVICE, a BIND nested past rdflib's limit, and a remote
    SERVICE that the tokenizer reads as one IRI."""
    nest = "(" * nesting + "1" + ")" * nesting
    return (
        f"PREFIX ex: <{url}/>\nSELECT * WHERE {{\n  {LOCAL_PATHS}\n  BIND({nest} AS ?d)\n"
        "  FILTER(?d<2)SERVICEex:x#>\n  { ?s ?p ?o }\n}"
    )


@pytest.fixture
def served(start_server):
    return start_server(token=None)


def test_the_reported_query_is_refused_by_the_check_and_nothing_leaves(served, listener) -> None:
    response = httpx.post(served.sparql_url, data={"query": reported_query(listener.url)}, timeout=30)
    assert response.status_code == 400, response.text
    assert any(reason in response.text for reason in REFUSALS), response.text
    assert listener.settle() == []


# --- generated spellings -------------------------------------------------------------------------------
def _spell_keyword(draw) -> str:
    """SERVICE in any case, some letters as \\u escapes."""
    letters = []
    for letter in "SERVICE":
        choice = draw(st.sampled_from(["upper", "lower", "escape"]))
        if choice == "escape":
            letters.append(f"\\u{ord(letter):04X}")
        else:
            letters.append(letter if choice == "upper" else letter.lower())
    return "".join(letters)


@st.composite
def outbound_queries(draw, url: str) -> str:
    gap = draw(st.sampled_from([" ", "\t", "\n", " # SERVICE <urn:painlink:paths>\n", "\r\n  ", ""]))
    target = draw(st.sampled_from([f"<{url}/sparql>", "ex:x", "ex:", f"<{url}/a(b)#c>"]))
    silent = draw(st.sampled_from(["", "SILENT ", "silent\n"]))
    keyword = "SERVICE" if draw(st.booleans()) else _spell_keyword(draw)
    nesting = draw(st.integers(0, 40))
    nest = "(" * nesting + "1" + ")" * nesting
    decoys = draw(
        st.lists(
            st.sampled_from([
                LOCAL_PATHS,
                f'BIND("SERVICE <{url}/>" AS ?q)',
                f"# SERVICE <{url}/> {{ ?s ?p ?o }}\n",
                f"BIND({nest} AS ?d)",
                f"?s <{url}/SERVICE> ?o .",
                "FILTER(1<2)",
            ]),
            max_size=3,
        )
    )
    call = f"{keyword}{gap if target != 'ex:x' or gap else ' '}{silent}{target} {{ ?s ?p ?o }}"
    how = draw(st.sampled_from(["plain", "trick", "trick-hash", "group", "optional"]))
    if how == "trick":  # the tokenizer sees one IRI from '<' to '#>'
        call = f"BIND(1 AS ?d) FILTER(?d<2){keyword}{silent.strip() and silent.strip() + ' '}ex:x#>\n{{ ?s ?p ?o }}"
    elif how == "trick-hash":  # the same with a long string the engine reads as code
        call = f'BIND(1 AS ?d) FILTER(?d<2)#>"""\n{call}\n#"""'
    elif how == "group":
        depth = draw(st.integers(1, 5))
        call = "{ " * depth + call + " }" * depth
    elif how == "optional":
        call = f"OPTIONAL {{ {call} }}"
    parts = [*decoys, call]
    order = draw(st.permutations(parts))
    return f"PREFIX ex: <{url}/>\nSELECT * WHERE {{\n" + "\n".join(order) + "\n}"


def test_generated_spellings_of_a_remote_service_are_refused_and_nothing_leaves(served, listener) -> None:
    outcomes: dict[int, int] = {}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(outbound_queries(listener.url))
    def check(query: str) -> None:
        response = httpx.post(served.sparql_url, data={"query": query}, timeout=30)
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400), (query, response.status_code, response.text)
        if response.status_code == 200:
            # Only when the engine reads no SERVICE to the listener at all (a variant that is not one).
            assert "unreachable" not in response.text
        else:
            assert "unreachable" not in response.text, f"the check let it through to the worker:\n{query}"
        assert listener.connections == [], f"the server connected out for:\n{query}"

    check()
    assert listener.settle() == []
    assert outcomes.get(400, 0) > 0, outcomes


# --- the worker has no network -----------------------------------------------------------------------
def _worker(*flags: str):
    """The query worker exactly as painlink.service.evaluator starts it, and the two ends of its pipes."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "painlink.service.replica", str(to_child_r), str(from_child_w), *flags],
        pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    os.close(to_child_r)
    os.close(from_child_w)
    return process, open(to_child_w, "wb"), open(from_child_r, "rb")


def _ask(send, receive, message: Query) -> Reply:
    wire.send(send, message)
    assert select.select([receive], [], [], 30)[0], "the worker did not answer"
    return wire.receive(receive)


def _service_query(url: str) -> Query:
    return Query(f"SELECT * {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", results_format="json",
                 graph_format=None, max_rows=10)


def test_a_query_worker_cannot_reach_the_network_even_when_handed_a_service(listener) -> None:
    process, send, receive = _worker()
    try:
        reply = _ask(send, receive, _service_query(listener.url))
    finally:
        send.close()
        receive.close()
        process.wait(timeout=10)
        with process.stderr:
            said = process.stderr.read()
    assert isinstance(reply, Failed) and "unreachable" in reply.message.lower(), reply
    assert listener.settle() == []
    assert b"in-process" not in said, "no network namespace could be made here"


def test_a_worker_started_with_network_reaches_it(listener) -> None:
    """The control: the same query from a worker that keeps the network (--allow-service) arrives."""
    process, send, receive = _worker("--network")
    try:
        _ask(send, receive, _service_query(listener.url))
    finally:
        send.close()
        receive.close()
        process.wait(timeout=10)
        process.stderr.close()
    assert len(listener.settle()) == 1


def test_allow_service_still_federates_and_paths_still_answer(start_server, listener) -> None:
    served = start_server("--allow-service", token=None)
    response = httpx.post(served.sparql_url, data={"query": _service_query(listener.url).query}, timeout=30)
    assert response.status_code == 400 and "404" in response.text  # the listener's answer came back
    assert len(listener.settle()) == 1
    paths = httpx.post(served.sparql_url, data={"query": f"SELECT ?n WHERE {{ {LOCAL_PATHS} }}"},
                       headers={"Accept": SPARQL_JSON}, timeout=30)
    assert paths.status_code == 200 and paths.json()["results"]["bindings"], paths.text


def test_the_local_path_service_answers_on_the_isolated_workers(served) -> None:
    query = f"SELECT ?n WHERE {{ {LOCAL_PATHS} }} ORDER BY ?n"
    response = httpx.post(served.sparql_url, data={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=30)
    assert response.status_code == 200, response.text
    assert {row["n"]["value"] for row in response.json()["results"]["bindings"]} >= {"1", "2"}
