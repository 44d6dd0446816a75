"""Path questions on a densely linked graph (issue 10, finding 3): how long the expensive ones take, and
whether a cheap route answers while they run.

Starts ``painlink serve --memory --data DENSE.nt`` (bench/generate.py, ``--causal-degree 10``), then
measures, one after another:

* ``/api/interventions`` and ``/api/explain`` on the dense graph (status and seconds);
* one SPARQL query with 20 ``SERVICE <urn:painlink:paths>`` blocks;
* 45 concurrent ``/api/explain`` requests, with ``/api/entities?q=`` asked every 100 ms meanwhile
  (its median and worst latency, and how many of the 45 got 200 / 503).

Usage::

    python bench/path_budget.py [--entities 200] [--degree 10] [--timeout 5] [--client-timeout 150]

It prints a table; the figures of the run before and after the change are in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (bench/generate.py, beside this file)

PL_PREFIX = "PREFIX pl: <https://w3id.org/painlink/vocab#>\nPREFIX pli: <https://w3id.org/painlink/id/>\n"


def service_query(blocks: int, entities: int) -> str:
    """A SELECT with ``blocks`` SERVICE <urn:painlink:paths> blocks between dense-graph entities."""
    body = []
    for n in range(blocks):
        source, target = generate.entity_id(n, entities), generate.entity_id(100 + n % 30, entities)
        body.append(f"{{ SERVICE <urn:painlink:paths> {{ [] pl:from pli:{source} ; pl:to pli:{target} ; "
                    f"pl:maxLength 8 ; pl:limit 50 ; pl:path ?p{n} }} }}")
    return PL_PREFIX + "SELECT * WHERE { " + " UNION ".join(body) + " } LIMIT 1"


def timed(client: httpx.Client, method: str, url: str, **kwargs) -> tuple[str, float]:
    start = time.monotonic()
    try:
        status = str(client.request(method, url, **kwargs).status_code)
    except httpx.TimeoutException:
        status = "client timeout"
    return status, time.monotonic() - start


def start(data: Path, port: int, timeout: float, workdir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINLINK_")}
    env["PAINLINK_QUERY_WORKERS"] = "1"
    log = open(workdir / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "painlink.cli", "serve", "--memory", "--port", str(port), "--data", str(data),
         "--query-timeout", str(timeout)], cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"painlink serve exited: {(workdir / 'serve.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/entities?q=synthetic", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("painlink serve did not answer in 180 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=200)
    parser.add_argument("--degree", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --query-timeout")
    parser.add_argument("--client-timeout", type=float, default=150.0)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="painlink-bench-") as folder:
        workdir = Path(folder)
        data = workdir / "dense.nt"
        triples = generate.write(args.entities, data, causal_degree=args.degree)
        print(f"dense graph: {args.entities} entities, {args.degree} causal claims each, {triples} triples", file=sys.stderr)
        process = start(data, args.port, args.timeout, workdir)
        base = f"http://127.0.0.1:{args.port}"
        rows = []
        try:
            with httpx.Client(timeout=args.client_timeout) as client:
                cause = generate.entity_id(120, args.entities)
                symptoms = [generate.entity_id(n, args.entities) for n in (3, 5)]
                rows.append(("/api/interventions (dense)", *timed(client, "GET", f"{base}/api/interventions", params={"for": cause})))
                rows.append(("/api/explain (dense)", *timed(client, "GET", f"{base}/api/explain", params=[("symptom", s) for s in symptoms])))
                rows.append(("20 SERVICE blocks", *timed(client, "POST", f"{base}/sparql", content=service_query(20, args.entities),
                                                          headers={"Content-Type": "application/sparql-query",
                                                                   "Accept": "application/sparql-results+json"})))
            statuses: list[str] = []
            latencies: list[float] = []
            done = threading.Event()

            def explain(n: int) -> None:
                with httpx.Client(timeout=args.client_timeout) as own:
                    symptom = generate.entity_id(n % 60, args.entities)
                    statuses.append(timed(own, "GET", f"{base}/api/explain", params={"symptom": symptom})[0])

            threads = [threading.Thread(target=explain, args=(n,)) for n in range(45)]
            began = time.monotonic()
            for thread in threads:
                thread.start()
            with httpx.Client(timeout=args.client_timeout) as cheap:
                while any(t.is_alive() for t in threads) and time.monotonic() - began < args.client_timeout:
                    status, seconds = timed(cheap, "GET", f"{base}/api/entities", params={"q": "synthetic heel"})
                    latencies.append(seconds if status == "200" else float("inf"))
                    time.sleep(0.1)
            for thread in threads:
                thread.join()
            done.set()
            took = time.monotonic() - began
            counts = {s: statuses.count(s) for s in sorted(set(statuses))}
            rows.append(("45 concurrent /api/explain", ", ".join(f"{k}: {v}" for k, v in counts.items()), took))
            if latencies:
                rows.append(("/api/entities meanwhile: median", f"{len(latencies)} requests", statistics.median(latencies)))
                rows.append(("/api/entities meanwhile: worst", "", max(latencies)))
        finally:
            process.terminate()
            process.wait(30)
    print(f"| request (query timeout {args.timeout:g} s) | status | seconds |")
    print("|---|---|---|")
    for name, status, seconds in rows:
        print(f"| {name} | {status} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
