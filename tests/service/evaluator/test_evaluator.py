"""The worker-process evaluator: replicas follow the store (in memory and persistent), a query past the
timeout kills its process and a fresh one serves the next, and nothing is left behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from painlink.graph.stores import OxigraphStore
from painlink.service import evaluator as evaluator_module
from painlink.service.evaluator import pool as pool_module
from painlink.service.errors import QuerySyntaxError, QueryTimeout
from painlink.service.evaluator import ProcessEvaluator, QuerySpec

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SEED = "INSERT DATA { " + " ".join(f"<http://e/{i}> <http://e/p> {i} ." for i in range(40)) + " }"


def ask(evaluator: ProcessEvaluator, pattern: str) -> bool:
    answer = asyncio.run(evaluator.query(QuerySpec(f"ASK {{ {pattern} }}")))
    return answer.body.endswith(b"true}")


@contextlib.asynccontextmanager
async def running(store: OxigraphStore, **options: object) -> AsyncIterator[ProcessEvaluator]:
    """A started ProcessEvaluator over ``store`` (timeout, max_rows, workers ... as given), closed after."""
    evaluator = ProcessEvaluator(store, **{"max_rows": 1000, **options})
    await evaluator.start()
    try:
        yield evaluator
    finally:
        await evaluator.close()


def seeded() -> OxigraphStore:
    store = OxigraphStore()
    store.update(SEED)
    return store


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.mark.parametrize("kind", ["memory", "persistent"])
def test_replicas_follow_writes(kind: str, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "data" if kind == "persistent" else None)
    store.update(SEED)

    async def scenario() -> None:
        evaluator = ProcessEvaluator(store, timeout=5, max_rows=1000, workers=2)
        await evaluator.start()
        try:
            for round_number in range(3):
                pattern = f"<http://e/new{round_number}> ?p ?o"
                answer = await evaluator.query(QuerySpec(f"ASK {{ {pattern} }}"))
                assert answer.body.endswith(b"false}")
                store.update(f"INSERT DATA {{ <http://e/new{round_number}> <http://e/p> 1 }}")
                # Both workers (queries alternate between them) see the write at once.
                for _ in range(4):
                    answer = await evaluator.query(QuerySpec(f"ASK {{ {pattern} }}"))
                    assert answer.body.endswith(b"true}")
            if kind == "persistent":
                replicas = store.path / "replicas"
                assert len(list(replicas.iterdir())) == 2  # one current checkpoint a worker, old ones removed
        finally:
            await evaluator.close()

    asyncio.run(scenario())
    if kind == "persistent":
        assert not (store.path / "replicas").exists()
    store.close()


def test_timeout_kills_the_process_and_a_fresh_one_serves(tmp_path: Path) -> None:
    store = OxigraphStore()
    store.update(SEED)

    async def scenario() -> None:
        evaluator = ProcessEvaluator(store, timeout=0.5, max_rows=1000, workers=1)
        await evaluator.start()
        try:
            (worker,) = evaluator._all
            pid = worker.process.pid
            with pytest.raises(QueryTimeout, match="stopped"):
                await evaluator.query(QuerySpec(ENDLESS))
            await asyncio.sleep(0.1)
            assert not _alive(pid)
            assert evaluator.timeouts == 1
            answer = await evaluator.query(QuerySpec("ASK { <http://e/1> ?p ?o }"))
            assert answer.body.endswith(b"true}")
            (fresh,) = evaluator._all
            assert fresh.process.pid != pid
            with pytest.raises(QuerySyntaxError, match="does not parse"):
                await evaluator.query(QuerySpec("ASK {"))
        finally:
            await evaluator.close()
        assert all(not _alive(w.process.pid) for w in [fresh])

    asyncio.run(scenario())


def test_a_fast_query_is_not_held_up_by_a_slow_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # One regular worker, on a query that runs until the timeout: a simple query asked meanwhile gets
    # an extra worker and answers while the slow one still runs; the extra stops once idle.
    monkeypatch.setattr(pool_module, "EXTRA_IDLE_SECONDS", 0.3)

    async def scenario() -> None:
        async with running(seeded(), timeout=4, workers=1, max_workers=2) as evaluator:
            slow = asyncio.create_task(evaluator.query(QuerySpec(ENDLESS)))
            await asyncio.sleep(0.3)
            answer = await evaluator.query(QuerySpec("ASK { <http://e/1> ?p ?o }"))
            assert answer.body.endswith(b"true}")
            assert not slow.done(), "the simple query waited for the slow one"
            assert len(evaluator._all) == 2
            with pytest.raises(QueryTimeout):
                await slow
            await asyncio.sleep(0.8)
            assert len(evaluator._all) == 1, "the extra worker was not stopped once idle"

    asyncio.run(scenario())


def test_the_pool_stays_within_its_cap() -> None:
    async def scenario() -> None:
        async with running(seeded(), timeout=2, workers=1, max_workers=1) as evaluator:
            slow = asyncio.create_task(evaluator.query(QuerySpec(ENDLESS)))
            await asyncio.sleep(0.3)
            answer = await evaluator.query(QuerySpec("ASK { <http://e/1> ?p ?o }"))
            assert answer.body.endswith(b"true}")
            assert slow.done(), "a worker beyond max_workers was started"
            assert len(evaluator._all) == 1
            with pytest.raises(QueryTimeout):
                slow.result()

    asyncio.run(scenario())


def test_answers_of_any_size_arrive_whole_under_uvloop(tmp_path: Path) -> None:
    # The service runs on uvloop (uvicorn[standard]), which leaves the workers' pipes non-blocking: a
    # reply longer than the pipe's buffer used to be taken for a dead worker (issue 11). Answers from a
    # few bytes to several MB, each size asked repeatedly, must all come back equal to pyoxigraph's
    # own serialisation; those above SPOOL_ABOVE stream from a file that is gone once read.
    import uvloop

    store = OxigraphStore(tmp_path / "data")
    store.update(
        "INSERT DATA { "
        + " ".join(f'<http://e/s{i}> <http://e/p> "{"x" * 90} {i}" .' for i in range(60_000))
        + " }"
    )
    sizes = [1, 100, 1_000, 10_000, 60_000]

    async def scenario() -> None:
        async with running(store, timeout=20, workers=2, max_rows=100_000) as evaluator:
            for limit in sizes:
                # No ORDER BY (slow on two busy cores): the replica is a copy of the same store, and
                # pyoxigraph walks the same index in the same order.
                query = f"SELECT ?s ?o WHERE {{ ?s <http://e/p> ?o }} LIMIT {limit}"
                expected = store.engine.query(query).serialize(format=ox.QueryResultsFormat.TSV)
                spooled = len(expected) > evaluator_module.SPOOL_ABOVE
                answers = await asyncio.gather(
                    *(evaluator.query(QuerySpec(query, results_format="tsv")) for _ in range(8))
                )
                for answer in answers:
                    assert (answer.spooled is not None) == spooled
                    assert answer.size == len(expected)
                    assert answer.read() == expected, f"LIMIT {limit}: the answer differs"
                assert evaluator.timeouts == 0
            assert not list(evaluator._scratch.glob("answer-*")), "a spooled answer was left on disk"

    uvloop.run(scenario())
