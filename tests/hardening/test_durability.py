"""Faults and durability with the persistent store, on a real ``painlink serve`` subprocess.

* SIGKILL in the middle of a stream of updates, restart: every acknowledged update is there, none is
  there in part (and a torn end of the write-ahead log, as a crash can leave it, loses whole updates
  only).
* Two writers at once are serialised (no lost update), and readers see the state before or after
  each update, never half of one.
* SIGTERM lets in-flight requests finish (a running query, an upload still being sent) before the
  server exits with status 0.

Start-up failures (a corrupt store, a bad ``--data`` file) are in test_startup_errors.py.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from painlink.graph.stores import OxigraphStore

pytestmark = pytest.mark.slow

NS = "urn:painlink-test:"
#: Triples each batch update writes: its type and this many members.
BATCH_MEMBERS = 40
BATCH_TRIPLES = BATCH_MEMBERS + 1
COUNTER = f"<{NS}counter> <{NS}value>"
INCREMENT = f"DELETE {{ {COUNTER} ?n }} INSERT {{ {COUNTER} ?m }} WHERE {{ {COUNTER} ?n BIND(?n + 1 AS ?m) }}"
_SIZES = f"""SELECT ?batch (COUNT(*) AS ?triples) WHERE {{
  ?batch ?p ?o FILTER(STRSTARTS(STR(?batch), "{NS}batch/"))
}} GROUP BY ?batch"""
#: Triples per batch subject.
BATCH_SIZES = _SIZES
#: The counter and every batch's size in one query, so in one state of the store.
STATE = f"SELECT ?v ?batch ?triples WHERE {{ {{ {COUNTER} ?v }} UNION {{ {_SIZES} }} }}"


def batch_update(name: str) -> str:
    """One update that writes ``BATCH_TRIPLES`` triples about one subject: all of them or none."""
    members = ", ".join(str(n) for n in range(BATCH_MEMBERS))
    return f"INSERT DATA {{ <{NS}batch/{name}> a <{NS}Batch> ; <{NS}member> {members} }}"


def batch_sizes(rows: list[dict[str, str]]) -> dict[str, int]:
    return {row["batch"].rsplit("/", 1)[1]: int(row["triples"]) for row in rows}


@dataclass
class Stream:
    """What one writer thread sent and which of its updates were acknowledged (204)."""

    sent: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    cut: bool = False  # the connection broke under it (the server died mid-stream)
    refused: list[str] = field(default_factory=list)  # answered, but not 204


def write_stream(served, stream: Stream, make: callable, names: Iterator[str], stop: threading.Event) -> None:
    with httpx.Client(timeout=30) as client:
        for name in names:
            if stop.is_set():
                return
            stream.sent.append(name)
            try:
                response = served.update(make(name), client=client)
            except httpx.TransportError:
                stream.cut = True
                return
            if response.status_code == 204:
                stream.acknowledged.append(name)
            else:
                stream.refused.append(f"{name}: {response.status_code} {response.text}")


def test_sigkill_mid_stream_keeps_every_acknowledged_update_and_no_partial_one(start_server, tmp_path: Path) -> None:
    data = tmp_path / "data"
    served = start_server(data_dir=data)
    assert served.update(f"INSERT DATA {{ {COUNTER} 0 }}").status_code == 204

    batches = [Stream() for _ in range(3)]
    counter = Stream()
    stop = threading.Event()
    threads = [
        threading.Thread(target=write_stream, args=(served, s, batch_update, (f"{w}-{n}" for n in range(10**6)), stop))
        for w, s in enumerate(batches)
    ]
    threads.append(threading.Thread(target=write_stream, args=(served, counter, lambda _: INCREMENT, map(str, range(10**6)), stop)))
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while sum(len(s.acknowledged) for s in batches) < 60 or len(counter.acknowledged) < 5:
        assert time.monotonic() < deadline, "the server acknowledged too few updates to test anything"
        assert all(t.is_alive() for t in threads), [s.refused for s in [*batches, counter]]
        time.sleep(0.02)
    served.kill()  # while every writer is still sending
    for thread in threads:
        thread.join(timeout=30)
    stop.set()
    streams = [*batches, counter]
    assert all(not s.refused for s in streams), [s.refused for s in streams]
    assert all(s.cut for s in streams), "every writer should have been cut off mid-stream by the kill"

    restarted = start_server(data_dir=data)
    present = batch_sizes(restarted.select(BATCH_SIZES))
    acknowledged = {name for s in batches for name in s.acknowledged}
    sent = {name for s in batches for name in s.sent}
    assert acknowledged - present.keys() == set(), "acknowledged updates were lost"
    assert present.keys() <= sent
    partial = {name: size for name, size in present.items() if size != BATCH_TRIPLES}
    assert partial == {}, "updates were applied in part"
    values = [int(row["v"]) for row in restarted.select(f"SELECT ?v WHERE {{ {COUNTER} ?v }}")]
    assert len(values) == 1, f"the counter has {values}: an increment was applied in part"
    assert len(counter.acknowledged) <= values[0] <= len(counter.sent)
    # The shipped graph came through the crash too.
    assert restarted.select("SELECT ?l WHERE { <https://w3id.org/painlink/id/foot-pain> "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")


# --- a torn write-ahead log -----------------------------------------------------------------------
#: A process that writes batches to a store directly, printing each one's number once it is committed.
WRITER = """
import sys
from painlink.graph.stores import OxigraphStore
store = OxigraphStore(sys.argv[1])
for n in range(10**6):
    store.update(sys.argv[2].replace("NAME", str(n)))
    print(n, flush=True)
"""


def test_a_torn_log_tail_loses_whole_updates_only(tmp_path: Path) -> None:
    """A crash can leave the last record of the write-ahead log half-written; whatever the cut,
    the store opens and holds each update whole or not at all."""
    data = tmp_path / "data"
    acknowledged = []
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), batch_update("NAME")],
        stdout=subprocess.PIPE, text=True, cwd=tmp_path,
    ) as writer:
        assert writer.stdout is not None
        for line in writer.stdout:
            acknowledged.append(line.strip())
            if len(acknowledged) == 150:
                writer.send_signal(signal.SIGKILL)  # mid-stream: the next update may be half-written
                break
    assert len(acknowledged) == 150
    log = max((data / "oxigraph").glob("*.log"), key=lambda p: int(p.stem))  # the newest
    size = log.stat().st_size
    for cut in sorted({size * k // 9 for k in range(1, 9)} | {size - 1, size - 7}):
        copy = tmp_path / f"cut-{cut}"
        shutil.copytree(data, copy)
        with open(copy / "oxigraph" / log.name, "r+b") as stream:
            stream.truncate(cut)
        store = OxigraphStore(copy)
        try:
            rows = store.select(BATCH_SIZES)
            sizes = {row["batch"].value.rsplit("/", 1)[1]: int(row["triples"].value) for row in rows}
        finally:
            store.close()
        assert {name: n for name, n in sizes.items() if n != BATCH_TRIPLES} == {}, f"cut at {cut} of {size}"
        # What survives is a prefix of the stream: nothing after a lost update.
        kept = sorted(int(name) for name in sizes)
        assert kept == list(range(len(kept))), f"cut at {cut}: {kept}"
    # Uncut, every acknowledged update is there.
    store = OxigraphStore(data)
    try:
        rows = store.select(BATCH_SIZES)
    finally:
        store.close()
    assert {row["batch"].value.rsplit("/", 1)[1] for row in rows} >= set(acknowledged)


# --- two writers, and readers -------------------------------------------------------------------------
def test_concurrent_writers_are_serialised_and_readers_see_whole_states(start_server, tmp_path: Path) -> None:
    served = start_server(env={"PAINLINK_QUERY_WORKERS": "2"}, data_dir=tmp_path / "data")
    assert served.update(f"INSERT DATA {{ {COUNTER} 0 }}").status_code == 204
    increments_each, batches_each = 12, 12
    problems: list[str] = []
    writing = threading.Event()

    def incrementer() -> None:
        with httpx.Client(timeout=30) as client:
            for _ in range(increments_each):
                response = served.update(INCREMENT, client=client)
                if response.status_code != 204:
                    problems.append(f"increment: {response.status_code} {response.text}")

    def batcher(worker: int) -> None:
        with httpx.Client(timeout=30) as client:
            for n in range(batches_each):
                response = served.update(batch_update(f"{worker}-{n}"), client=client)
                if response.status_code != 204:
                    problems.append(f"batch: {response.status_code} {response.text}")

    reads: list[tuple[int, dict[str, int]]] = []

    def reader() -> None:
        with httpx.Client(timeout=30) as client:
            while writing.is_set():
                rows = served.select(STATE, client=client)
                values = [int(row["v"]) for row in rows if "v" in row]
                sizes = {row["batch"]: int(row["triples"]) for row in rows if "batch" in row}
                if len(values) != 1:
                    problems.append(f"a reader saw the counter as {values}")
                    continue
                reads.append((values[0], sizes))

    writing.set()
    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=incrementer) for _ in range(2)]
    writers += [threading.Thread(target=batcher, args=(w,)) for w in range(2)]
    for thread in [*readers, *writers]:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    writing.clear()
    for thread in readers:
        thread.join(timeout=30)

    assert problems == []
    final = served.select(f"SELECT ?v WHERE {{ {COUNTER} ?v }}")
    assert [int(row["v"]) for row in final] == [2 * increments_each], "an increment was lost: writers overlapped"
    assert len(batch_sizes(served.select(BATCH_SIZES))) == 2 * batches_each
    assert len(reads) > 5, "the readers should have read while the writers wrote"
    for value, sizes in reads:
        assert 0 <= value <= 2 * increments_each
        half = {name: n for name, n in sizes.items() if n != BATCH_TRIPLES}
        assert half == {}, f"a reader saw a batch in part: {half}"


# --- SIGTERM ----------------------------------------------------------------------------------------
#: About a second of work on the shipped graph (a bounded slice of a three-way product).
SLOW_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 8000000 } }"
)


def test_sigterm_finishes_in_flight_requests_then_exits_cleanly(start_server, tmp_path: Path) -> None:
    data = tmp_path / "data"
    served = start_server("--query-timeout", "60", data_dir=data)
    outcome: dict[str, object] = {}

    def slow_query() -> None:
        response = httpx.get(served.sparql_url, params={"query": SLOW_QUERY},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
        outcome["query"] = (time.monotonic(), response.status_code, response.text)

    def slow_upload() -> Iterator[bytes]:
        yield b"<urn:painlink-test:upload> <urn:painlink-test:part> 1 .\n"
        outcome["upload began"] = time.monotonic()
        for part in range(2, 6):
            time.sleep(0.3)
            yield f"<urn:painlink-test:upload> <urn:painlink-test:part> {part} .\n".encode()

    def upload() -> None:
        response = httpx.post(
            served.base_url + "/store", params={"graph": f"{NS}uploaded"}, content=slow_upload(),
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {served.token}"}, timeout=60,
        )
        outcome["upload"] = (time.monotonic(), response.status_code, response.text)

    threads = [threading.Thread(target=slow_query), threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    while "upload began" not in outcome:
        time.sleep(0.01)
    time.sleep(0.2)  # the query is running, the upload half sent
    signalled = time.monotonic()
    served.terminate()
    for thread in threads:
        thread.join(timeout=60)
    assert served.wait(timeout=60) == 0, served.log()

    finished, status, text = outcome["query"]
    assert finished > signalled and status == 200, (status, text)
    assert '"value":"8000000"' in text
    finished, status, text = outcome["upload"]
    assert finished > signalled and status == 201, (status, text)
    # The server is gone (no new connections) ...
    with pytest.raises(httpx.TransportError):
        httpx.get(served.sparql_url, params={"query": "ASK {}"}, timeout=2)
    # ... and what it acknowledged while shutting down is in the store.
    restarted = start_server(data_dir=data)
    parts = restarted.select(f"SELECT ?n WHERE {{ GRAPH <{NS}uploaded> {{ ?s ?p ?n }} }}")
    assert sorted(int(row["n"]) for row in parts) == [1, 2, 3, 4, 5]
