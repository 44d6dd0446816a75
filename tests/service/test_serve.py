"""Against a real server (``painlink serve`` under uvicorn on loopback): a real SPARQL client, the
refusal of SERVICE proved by a listening socket, the timeout that stops the work while other queries
are answered, and the token."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
from listener import Listener
from servers import Server
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

PLI = "https://w3id.org/painlink/id/"
PL = "https://w3id.org/painlink/vocab#"
SELECT = f"""SELECT ?effect ?label WHERE {{
  <{PLI}foot-pain> <{PL}causes> ?effect . ?effect <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"""
CONSTRUCT = f"CONSTRUCT {{ <{PLI}foot-pain> ?p ?o }} WHERE {{ <{PLI}foot-pain> ?p ?o }}"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def expected_select(shipped: ox.Store) -> set[tuple[str, str]]:
    return {(s["effect"].value, s["label"].value) for s in shipped.query(SELECT)}


def wrapper(server: Server, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# --- a real client ----------------------------------------------------------------------------------
def test_sparqlwrapper_select_json(live_server: Server, shipped: ox.Store) -> None:
    result = wrapper(live_server, SELECT, JSON).queryAndConvert()
    got = {(b["effect"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]}
    assert got and got == expected_select(shipped)


def test_sparqlwrapper_select_xml(live_server: Server, shipped: ox.Store) -> None:
    document = wrapper(live_server, SELECT, XML).queryAndConvert()  # an xml.dom.minidom document
    got = set()
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.nodeValue for b in result.getElementsByTagName("binding")}
        got.add((values["effect"], values["label"]))
    assert got == expected_select(shipped)


def test_sparqlwrapper_select_csv(live_server: Server, shipped: ox.Store) -> None:
    body = wrapper(live_server, SELECT, CSV).queryAndConvert()
    table = list(csv.reader(io.StringIO(body.decode())))
    assert table[0] == ["effect", "label"]
    assert {tuple(row) for row in table[1:]} == expected_select(shipped)


def test_sparqlwrapper_construct_turtle(live_server: Server, shipped: ox.Store) -> None:
    body = wrapper(live_server, CONSTRUCT, TURTLE).queryAndConvert()
    got = {str(t) for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert got and got == {str(t) for t in shipped.query(CONSTRUCT)}


def test_sparqlwrapper_post(live_server: Server, shipped: ox.Store) -> None:
    client = wrapper(live_server, SELECT, JSON)
    client.setMethod("POST")
    result = client.queryAndConvert()
    assert {(b["effect"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]} == expected_select(shipped)


# --- SERVICE never reaches the network ----------------------------------------------------------------
def test_service_is_refused_and_nothing_reaches_the_target(live_server: Server, listener: Listener) -> None:
    target = listener.url
    for query in (
        f"SELECT * WHERE {{ SERVICE <{target}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{target}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        response = httpx.get(live_server.sparql_url, params={"query": query})
        assert response.status_code == 400 and "disabled" in response.text
    update = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}/> {{ ?s ?p ?o }} }}"
    refused = httpx.post(live_server.sparql_url, data={"update": update}, headers=live_server.auth)
    assert refused.status_code == 400
    load = httpx.post(live_server.sparql_url, data={"update": f"LOAD <{target}/x.ttl>"}, headers=live_server.auth)
    assert load.status_code == 400
    assert listener.settle(1.0) == [], f"the server connected out: {listener.connections}"


# --- the timeout stops the work; other queries go on --------------------------------------------------
def _replica_pids(server: Server) -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), None)
        if parent == server.process.pid and b"painlink.service.replica" in cmdline:
            pids.add(int(entry.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_a_runaway_query_is_stopped_while_others_are_answered(live_server: Server) -> None:
    before = _replica_pids(live_server)
    assert len(before) >= 2
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        response = httpx.get(live_server.sparql_url, params={"query": ENDLESS}, timeout=60)
        slow.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started,
                    finished=time.monotonic())

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running now
    quick = httpx.get(live_server.sparql_url, params={"query": f"ASK {{ <{PLI}foot-pain> ?p ?o }}"}, timeout=60)
    quick_done = time.monotonic()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert thread.is_alive(), "the simple query must not have waited for the slow one"
    thread.join(timeout=60)
    assert slow["status"] == 503 and "stopped" in slow["text"]
    assert slow["finished"] > quick_done
    assert slow["seconds"] < 2 + 5  # the 2 s timeout, with room for a loaded machine
    # The process that ran it is gone (the work stopped), and a fresh one took its place.
    after = _replica_pids(live_server)
    gone = before - after
    assert len(gone) == 1 and not any(_alive(pid) for pid in gone)
    assert len(after) == len(before)
    assert httpx.get(live_server.sparql_url, params={"query": "ASK {}"}).status_code == 200


# --- the token on a real server -------------------------------------------------------------------
def test_updates_on_a_real_server_need_the_token(live_server: Server) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/live> { <http://example.org/a> <http://example.org/b> 1 } }"
    assert httpx.post(live_server.sparql_url, data={"update": update}).status_code == 401
    assert httpx.post(live_server.sparql_url, data={"update": update},
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert live_server.token not in live_server.log()
    try:
        assert httpx.post(live_server.sparql_url, data={"update": update}, headers=live_server.auth).status_code == 204
        ask = httpx.get(live_server.sparql_url, params={"query": "ASK { GRAPH <http://example.org/live> { ?s ?p 1 } }"})
        assert ask.json()["boolean"] is True
    finally:
        httpx.delete(live_server.store_url, params={"graph": "http://example.org/live"}, headers=live_server.auth)


def test_the_server_reads_data_files_and_env_settings(start_server, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/mine> <http://www.w3.org/2000/01/rdf-schema#label> 'my entity' .\n")
    server = start_server("--data", str(extra), env={"PAINLINK_MAX_RESULT_ROWS": "3"}, token=None)
    ask = httpx.get(server.sparql_url, params={"query": "ASK { <http://example.org/mine> ?p 'my entity' }"})
    assert ask.json()["boolean"] is True
    capped = httpx.get(server.sparql_url, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert capped.status_code == 400 and "more than 3 rows" in capped.text
    read_only = httpx.post(server.sparql_url, data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"})
    assert read_only.status_code == 403


def test_a_bad_data_file_stops_the_start_with_a_message(start_server, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n")
    result = start_server.run("--memory", "--data", str(broken), token=None)
    assert result.returncode != 0
    assert "broken.ttl" in result.stderr and "Traceback" not in result.stderr
