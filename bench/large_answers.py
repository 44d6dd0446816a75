"""Peak memory of ``painlink serve``'s main process while it serves one large answer (issue 11).

    python bench/large_answers.py                    # 20,000 generated entities, ~50 MB answers
    python bench/large_answers.py --entities 10000   # smaller

Generates a synthetic graph (bench/generate.py), loads it with ``painlink load`` into a data directory
in a temporary folder, starts ``painlink serve`` on it (uvicorn on uvloop, default settings: the
answers stay within the default result cap of 100,000 rows) and, for each query below, streams the
answer once as a client would while sampling the resident set size of the main process (psutil, every
5 ms; the query workers are separate processes and not counted). It prints the answer's size, the RSS
before the request and at its peak, and the growth. Before issue 11 the reply crossed the pipe as one
pickled message and the body was kept in a Response: the main process held a large answer two to three
times over; now answers above ``SPOOL_ABOVE`` stream from the worker's spool file a piece at a time.

A benchmark, not a test: it prints figures (bench/README.md, "Large answers (issue 11)").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from serving import wait_until_serving
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from load import _free_port, machine  # noqa: E402  (bench/load.py)

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: (name, Accept, query): each within the default cap of 100,000 rows or triples.
WIDE = (f"SELECT ?s ?p ?o ?label ?kind ?text WHERE {{ ?s ?p ?o ; <{RDFS}label> ?label ; a ?kind BIND(STR(?o) AS ?text) }} "
        "LIMIT 100000")
QUERIES = [
    ("SELECT 6 columns, JSON", "application/sparql-results+json", WIDE),
    ("SELECT 6 columns, XML", "application/sparql-results+xml", WIDE),
    ("CONSTRUCT, N-Triples", "application/n-triples",
     "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 100000"),
]


class Sampler(threading.Thread):
    """Samples a process's RSS until stopped; ``peak`` is the largest seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = self.process.memory_info().rss
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def serve(workdir: Path, entities: int) -> tuple[subprocess.Popen, str]:
    data = workdir / "synthetic.nt"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--entities", str(entities), "--out", str(data)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "painlink.cli", "load", str(data), "--data-dir", str(workdir / "data")],
                   check=True, capture_output=True, cwd=workdir)
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAINLINK_")}
    env["PAINLINK_QUERY_TIMEOUT"] = "60"
    log = open(workdir / "serve.log", "wb")  # noqa: SIM115 -- open for the server's lifetime
    process = subprocess.Popen(
        [sys.executable, "-m", "painlink.cli", "serve", "--data-dir", str(workdir / "data"), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(process, url, workdir / 'serve.log', 120)
    return process, url


def settle(pid: int, *, within: float = 2 << 20, seconds: float = 3, limit: float = 90) -> None:
    """Wait until the process's RSS stays within ``within`` bytes for ``seconds`` (the path engine is
    built in the background after the start), at most ``limit`` seconds."""
    process = psutil.Process(pid)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        first = process.memory_info().rss
        time.sleep(seconds)
        if abs(process.memory_info().rss - first) <= within:
            return


def fetch(url: str, accept: str, query: str) -> tuple[int, int, float]:
    """Stream one answer, discarding it: (status, bytes, seconds)."""
    started = time.perf_counter()
    size = 0
    with httpx.stream("GET", url + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=300) as response:
        for piece in response.iter_bytes():
            size += len(piece)
    return response.status_code, size, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="requests per query (the worst peak is kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="painlink-large-") as folder:
        process, url = serve(Path(folder), args.entities)
        try:
            settle(process.pid)
            print(f"machine: {machine()}")
            for name, accept, query in QUERIES:
                fetch(url, accept, query)  # warm-up: replicas loaded, caches filled
                worst = None
                for _ in range(args.repeat):
                    before = psutil.Process(process.pid).memory_info().rss
                    sampler = Sampler(process.pid)
                    sampler.start()
                    status, size, seconds = fetch(url, accept, query)
                    peak = sampler.stop()
                    if status != 200:
                        print(f"{name}: status {status}")
                        return 1
                    if worst is None or peak - before > worst[1] - worst[0]:
                        worst = (before, peak, size, seconds)
                before, peak, size, seconds = worst
                mib = 1 << 20
                print(f"{name:<24} answer {size / mib:6.1f} MiB in {seconds:5.2f} s; main process RSS "
                      f"{before / mib:6.1f} MiB before, peak {peak / mib:6.1f} MiB (+{(peak - before) / mib:.1f} MiB)")
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
