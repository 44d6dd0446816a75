"""The benchmark's queries and the clients that time them (bench/run.py's part that measures)."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import httpx

import generate  # (bench/ is a folder of scripts, not a package)

__all__ = ["LARGE_ROWS", "LARGE_SELECT", "PATH_PARAMS", "PREFIXES", "evaluation_overhead", "large_answer",
           "paths_latency", "shapes", "simple_select", "sparql_latency", "wait_for_paths"]

PLI = generate.PLI
PREFIXES = (
    f"PREFIX pl: <{generate.PL}>\nPREFIX pli: <{PLI}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def shapes(entities: int) -> dict[str, str]:
    """The four SPARQL query shapes, anchored on entities that exist at every size."""
    middle = generate.entity_id(round(entities * 0.5), entities)  # a cause
    symptom = generate.entity_id(round(entities * 0.1), entities)
    return {
        "label search": PREFIXES
        + 'SELECT ?e ?label WHERE { ?e rdfs:label ?label . FILTER(CONTAINS(LCASE(?label), "heel ache")) } LIMIT 20',
        "2-hop join": PREFIXES
        + f"SELECT ?b ?c ?label WHERE {{ pli:{symptom} ?p ?b . ?b ?q ?c . ?c rdfs:label ?label }} LIMIT 100",
        "causes+ path": PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ pli:{middle} pl:causes+ ?x }}",
        "count by type": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    }


def simple_select(entities: int, rng: random.Random) -> str:
    """The throughput query: one entity's label, a different entity each request."""
    node = generate.entity_id(rng.randrange(entities), entities)
    return PREFIXES + f"SELECT ?label WHERE {{ pli:{node} rdfs:label ?label }}"




def sparql_latency(url: str, query: str, repeats: int, budget: float) -> tuple[float, int]:
    """Median milliseconds of up to ``repeats`` sequential requests after one warm-up, and how many
    ran: a slow server stops after ``budget`` seconds (at least 3 timed requests)."""
    timings: list[float] = []
    began = time.perf_counter()
    with httpx.Client(timeout=300) as client:
        for index in range(repeats + 1):
            start = time.perf_counter()
            response = client.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
            response.raise_for_status()
            if index:
                timings.append((time.perf_counter() - start) * 1000)
            if len(timings) >= 3 and time.perf_counter() - began > budget:
                break
    return statistics.median(timings), len(timings)


#: The large answer: 20,000 rows at every size (the 1k graph has fewer triples than that, hence the
#: UNION of the pattern with itself; LIMIT stops every engine at the same count).
LARGE_ROWS = 20_000
LARGE_SELECT = f"SELECT ?s ?p ?o WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ?p ?o }} }} LIMIT {LARGE_ROWS}"


def large_answer(url: str, repeats: int, budget: float) -> dict[str, float]:
    """Bytes per second of a 20,000-row SELECT as SPARQL Results JSON, read to the end: the median of
    up to ``repeats`` sequential requests after one warm-up (at least 3; stops after ``budget`` s).
    The first answer is checked to hold the 20,000 rows."""
    timings: list[float] = []
    size = 0
    began = time.perf_counter()
    with httpx.Client(timeout=600) as client:
        for index in range(repeats + 1):
            start = time.perf_counter()
            response = client.get(url, params={"query": LARGE_SELECT},
                                  headers={"Accept": "application/sparql-results+json"})
            response.raise_for_status()
            elapsed = time.perf_counter() - start
            if index == 0:
                rows = len(response.json()["results"]["bindings"])
                if rows != LARGE_ROWS:
                    raise RuntimeError(f"{url}: the large SELECT gave {rows} rows, not {LARGE_ROWS}")
                size = len(response.content)
                continue
            timings.append(elapsed)
            if len(timings) >= 3 and time.perf_counter() - began > budget:
                break
    median = statistics.median(timings)
    return {"rows": LARGE_ROWS, "bytes": size, "median s": median, "MB/s": size / median / 1e6, "n": len(timings)}




PATH_PARAMS = {"max_length": 5, "limit": 10}


def paths_latency(url: str, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """``/api/paths`` latency, sequential: the first request on its own (it builds the path engine's
    networkx projection of the whole graph), then p50 and max of one request per pair."""
    timings = []
    with httpx.Client(timeout=600) as client:
        for source, target in [pairs[0], *pairs]:
            start = time.perf_counter()
            response = _paths_answer(client, url, source, target)
            if not response.json()["paths"]:
                raise RuntimeError(f"{url}: no path from {source} to {target}: the bench's pairs are wrong")
            timings.append((time.perf_counter() - start) * 1000)
    first, rest = timings[0], timings[1:]
    return {"first s": first / 1000, "p50": statistics.median(rest), "max": max(rest), "n": len(rest)}


def _paths_answer(client: httpx.Client, url: str, source: str, target: str, patience: float = 600) -> httpx.Response:
    """One ``/api/paths`` answer; a 503 (the path engine still building its view of a large graph,
    or its budget taken) is asked again after its ``Retry-After``, for up to ``patience`` seconds."""
    began = time.perf_counter()
    while True:
        response = client.get(url, params={"from": source, "to": target, **PATH_PARAMS})
        if response.status_code != 503 or time.perf_counter() - began > patience:
            response.raise_for_status()
            return response
        time.sleep(float(response.headers.get("retry-after", "1")))


def wait_for_paths(url: str, pair: tuple[str, str]) -> float:
    """Seconds until ``/api/paths`` answers (the path engine's view of the graph is built), so that no
    server is measured while another one's build takes the cores."""
    began = time.perf_counter()
    with httpx.Client(timeout=600) as client:
        _paths_answer(client, url, *pair)
    return time.perf_counter() - began


def evaluation_overhead(data_dir: Path, entities: int, requests: int) -> dict[str, float]:
    """Median ms of the same simple SELECT through painlink's two evaluators over one store: the
    worker-process one the service uses for embedded stores and the in-thread one it uses for remote
    stores. The difference is the cost of the process hop (pipe, pickling, the worker's turn)."""
    import asyncio

    from painlink.graph.stores import OxigraphStore
    from painlink.service.evaluator import InlineEvaluator, ProcessEvaluator, QuerySpec

    rng = random.Random(2)
    specs = [QuerySpec(simple_select(entities, rng)) for _ in range(requests)]

    async def median_ms(evaluator) -> float:
        await evaluator.start()
        try:
            timings = []
            for spec in specs:
                start = time.perf_counter()
                await evaluator.query(spec)
                timings.append((time.perf_counter() - start) * 1000)
            return statistics.median(timings)
        finally:
            await evaluator.close()

    store = OxigraphStore(data_dir)
    try:
        process = asyncio.run(median_ms(ProcessEvaluator(store, timeout=30, max_rows=10_000, workers=2)))
        inline = asyncio.run(median_ms(InlineEvaluator(store, timeout=30, max_rows=10_000)))
    finally:
        store.close()
    return {"process ms": process, "inline ms": inline, "hop ms": process - inline}

