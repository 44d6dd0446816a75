"""A bounded load test of ``painlink serve`` on loopback (issue 6): a fixed number of requests at a
fixed concurrency over a realistic mix, with and without slow queries running beside it.

    python bench/load.py                       # starts painlink serve --memory on a free port
    python bench/load.py --url http://127.0.0.1:8000 --requests 3000 --concurrency 32

The mix (weights in :data:`MIX`): SPARQL SELECTs, ``/api/paths``, entity pages, the graph page, the
search page and large answers (the whole graph by ``SELECT *`` in each result format and ``CONSTRUCT``). Two phases run the same fast mix:

1. *baseline* -- the fast mix alone;
2. *with slow queries* -- the same, while ``--slow-lanes`` clients keep sending a query that takes
   about a second (a filtered Cartesian product of the shipped graph, well under the 5 s timeout).

For each phase it prints throughput, p50/p99 latency per kind and in total, and the error count (any
answer but 200, or a transport error); the slow lanes report theirs too. The process exits 1 if
anything failed, so "errors must be 0" is checked, not just printed. Fast requests "not starved" means
their p99 with slow queries running stays within a small factor of the baseline's (printed as the
ratio; the README records the figures).

This is a benchmark, not a test: run it by hand, on a quiet machine, and record the machine with the
figures (bench/README.md, "Load test (issue 6)").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from serving import wait_until_serving

__all__ = ["MIX", "SLOW_QUERY", "Phase", "main", "run_phase"]

PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SPARQL_JSON = "application/sparql-results+json"

#: kind -> (weight, [(path, params, accept)]); a request picks a kind by weight, then one of its URLs.
MIX: dict[str, tuple[int, list[tuple[str, dict[str, str], str]]]] = {
    "sparql select": (40, [
        ("/sparql", {"query": f"SELECT ?e ?l WHERE {{ <{PLI}foot-pain> <{PL}causes> ?e . ?e <{RDFS}label> ?l }}"}, SPARQL_JSON),
        ("/sparql", {"query": f"SELECT ?s ?l WHERE {{ ?s a <{PL}Symptom> ; <{RDFS}label> ?l }} ORDER BY ?l"}, SPARQL_JSON),
        ("/sparql", {"query": f"SELECT ?c ?st WHERE {{ ?c a <{PL}Claim> ; <{PL}statement> ?st }} LIMIT 50"}, SPARQL_JSON),
        ("/sparql", {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{PL}causes>+ <{PLI}back-pain> }}"}, SPARQL_JSON),
    ]),
    "api paths": (25, [
        ("/api/paths", {"from": "foot-pain", "to": "back-pain"}, "application/json"),
        ("/api/paths", {"from": "flat-feet", "to": "back-pain", "max_length": "5"}, "application/json"),
        ("/api/paths", {"from": "foot-pain", "to": "sciatica", "limit": "3"}, "application/json"),
    ]),
    "entity page": (20, [
        ("/entity/foot-pain", {}, "text/html"),
        ("/entity/back-pain", {}, "text/html"),
        ("/entity/sciatic-nerve", {}, "text/html"),
        ("/entity/orthotic-shoes", {}, "text/html"),
    ]),
    "graph page": (10, [
        ("/graph", {}, "text/html"),
        ("/graph", {"from": "foot-pain", "to": "back-pain"}, "text/html"),
    ]),
    "search page": (5, [("/search", {"q": "pain"}, "text/html")]),
    # The whole shipped graph (70-440 KB an answer), which answered 503 nine times in ten before
    # issue 11 (replies larger than the pipe's buffer, under uvloop).
    "sparql large": (5, [
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"}, accept)
        for accept in (SPARQL_JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values")
    ] + [("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "text/turtle")]),
}
#: About a second of evaluation on the shipped graph (1.2 million joined rows filtered by string length).
SLOW_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
              "FILTER(STRLEN(STR(?c)) > STRLEN(STR(?f))) }")


@dataclass
class Phase:
    """What one phase saw: latencies (ms) by kind, errors, wall time."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    slow: list[float] = field(default_factory=list)
    slow_errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def summary(self) -> dict:
        every = [value for values in self.latencies.values() for value in values]
        return {
            "phase": self.name,
            "requests": self.count,
            "seconds": round(self.seconds, 2),
            "req/s": round(self.count / self.seconds, 1) if self.seconds else 0.0,
            "p50 ms": percentile(every, 50),
            "p99 ms": percentile(every, 99),
            "errors": len(self.errors),
            "by kind": {kind: {"n": len(values), "p50 ms": percentile(values, 50), "p99 ms": percentile(values, 99)}
                        for kind, values in sorted(self.latencies.items())},
            "slow queries": {"n": len(self.slow), "p50 ms": percentile(self.slow, 50),
                             "max ms": round(max(self.slow), 1) if self.slow else None, "errors": len(self.slow_errors)},
        }


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of ``values``, in ms rounded to 0.1.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50), percentile([5.0, 1.0, 3.0, 2.0, 4.0], 99)
    (3.0, 5.0)
    >>> percentile([], 50) is None
    True
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least the first
    return round(ordered[int(rank) - 1], 1)


def plan(requests: int, seed: int) -> list[tuple[str, str, dict[str, str], str]]:
    """The fixed request list: the same kinds in the same order for every phase and every run."""
    chooser = random.Random(seed)
    kinds = list(MIX)
    weights = [MIX[kind][0] for kind in kinds]
    chosen = []
    for kind in chooser.choices(kinds, weights, k=requests):
        path, params, accept = chooser.choice(MIX[kind][1])
        chosen.append((kind, path, params, accept))
    return chosen


async def run_phase(base_url: str, name: str, requests: list, concurrency: int, slow_lanes: int) -> Phase:
    phase = Phase(name)
    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=concurrency + slow_lanes, max_keepalive_connections=concurrency + slow_lanes)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:

        async def fast_worker() -> None:
            while not queue.empty():
                kind, path, params, accept = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.get(path, params=params, headers={"Accept": accept})
                    await response.aread()
                    if response.status_code != 200:
                        phase.errors.append(f"{kind} {path} {params}: {response.status_code} {response.text[:200]}")
                except httpx.HTTPError as error:
                    phase.errors.append(f"{kind} {path}: {type(error).__name__} {error}")
                phase.latencies[kind].append((time.perf_counter() - started) * 1000)

        async def slow_worker() -> None:
            while not done.is_set():
                started = time.perf_counter()
                try:
                    response = await client.get("/sparql", params={"query": SLOW_QUERY}, headers={"Accept": SPARQL_JSON})
                    if response.status_code != 200:
                        phase.slow_errors.append(f"{response.status_code} {response.text[:200]}")
                except httpx.HTTPError as error:
                    phase.slow_errors.append(f"{type(error).__name__} {error}")
                phase.slow.append((time.perf_counter() - started) * 1000)

        slow = [asyncio.create_task(slow_worker()) for _ in range(slow_lanes)]
        if slow_lanes:
            await asyncio.sleep(0.5)  # let the slow queries get going first
        started = time.perf_counter()
        await asyncio.gather(*(fast_worker() for _ in range(concurrency)))
        phase.seconds = time.perf_counter() - started
        done.set()
        await asyncio.gather(*slow)
    return phase


# --- the server ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path, workers: int | None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAINLINK_")}
    env["PAINLINK_QUERY_TIMEOUT"] = "5"
    if workers:
        env["PAINLINK_QUERY_WORKERS"] = str(workers)
    log = open(workdir / "painlink-load.log", "wb")  # noqa: SIM115 -- open for the server's lifetime
    process = subprocess.Popen(
        [sys.executable, "-m", "painlink.cli", "serve", "--memory", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(process, url, workdir / 'painlink-load.log', 90)
    return process, url


def machine() -> dict[str, str]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next(line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpus": str(os.cpu_count()), "cpu": model, "memory": memory, "python": platform.python_version(),
            "load average": " ".join(f"{value:.2f}" for value in os.getloadavg())}


def print_phase(summary: dict) -> None:
    print(f"\n{summary['phase']}: {summary['requests']} requests in {summary['seconds']} s = "
          f"{summary['req/s']} req/s, p50 {summary['p50 ms']} ms, p99 {summary['p99 ms']} ms, errors {summary['errors']}")
    for kind, row in summary["by kind"].items():
        print(f"  {kind:<14} n={row['n']:<5} p50 {row['p50 ms']:>7} ms   p99 {row['p99 ms']:>7} ms")
    slow = summary["slow queries"]
    if slow["n"]:
        print(f"  slow queries   n={slow['n']:<5} p50 {slow['p50 ms']:>7} ms   max {slow['max ms']:>7} ms   errors {slow['errors']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running server (default: start painlink serve --memory)")
    parser.add_argument("--requests", type=int, default=2000, help="fast requests per phase (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="fast clients at once (default 16)")
    parser.add_argument("--slow-lanes", type=int, default=1, help="clients sending the slow query in phase 2 (default 1)")
    parser.add_argument("--workers", type=int, help="PAINLINK_QUERY_WORKERS for the started server")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    process = None
    workdir = Path(__file__).parent / "results"
    workdir.mkdir(exist_ok=True)
    if args.url:
        url = args.url.rstrip("/")
    else:
        process, url = start_server(workdir, args.workers)
    try:
        requests = plan(args.requests, args.seed)
        asyncio.run(run_phase(url, "warm-up", requests[:100], args.concurrency, 0))
        before = machine()
        baseline = asyncio.run(run_phase(url, "baseline (fast mix only)", requests, args.concurrency, 0))
        loaded = asyncio.run(run_phase(url, f"with {args.slow_lanes} slow-query lane(s)", requests,
                                       args.concurrency, args.slow_lanes))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)

    summaries = [baseline.summary(), loaded.summary()]
    print(f"machine: {before['cpus']} CPUs ({before['cpu']}), {before['memory']} memory, "
          f"load average before the run {before['load average']}")
    print(f"mix: {args.requests} requests a phase at concurrency {args.concurrency}: "
          + ", ".join(f"{kind} {weight}%" for kind, (weight, _) in MIX.items()))
    for summary in summaries:
        print_phase(summary)
    ratio = (summaries[1]["p99 ms"] or 0) / (summaries[0]["p99 ms"] or 1)
    print(f"\nfast p99 with slow queries / without: {ratio:.2f}x")
    for line in (baseline.errors + loaded.errors + loaded.slow_errors)[:10]:
        print("error:", line)
    if args.json:
        args.json.write_text(json.dumps({"machine": before, "args": vars(args) | {"json": str(args.json)},
                                         "phases": summaries, "p99 ratio": round(ratio, 2)}, indent=2))
    failed = len(baseline.errors) + len(loaded.errors) + len(loaded.slow_errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
