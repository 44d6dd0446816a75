"""What a write costs the readers (issue 10, finding 11): how long until queries see a small write,
what small writes do to ``/sparql`` latency, and the memory a 16 MB upload takes.

Starts ``painlink serve --memory`` (or ``--data-dir``), fills it with a synthetic graph
(bench/generate.py, through Graph Store POSTs), then:

* 40 small ``INSERT DATA`` updates, a quarter second apart; after each, the seconds until ``ASK`` on
  ``/sparql`` sees it; meanwhile another client asks a simple SELECT every 100 ms (its latency);
* one 16 MB Turtle upload (POST to a named graph) and the peak resident memory of the server and its
  query workers together (sampled every 50 ms from /proc) until a query sees the upload.

Usage::

    python bench/writes.py [--entities 11000] [--persistent] [--port 8767]
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

TOKEN = "bench-writes-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its children (the query workers)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def start(port: int, workdir: Path, persistent: bool) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINLINK_")}
    env["PAINLINK_UPDATE_TOKEN"] = TOKEN
    where = ["--data-dir", str(workdir / "data")] if persistent else ["--memory"]
    log = open(workdir / "serve.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "painlink.cli", "serve", "--port", str(port), *where],
                               cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit((workdir / "serve.log").read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def ask(client: httpx.Client, base: str, query: str) -> bool:
    response = client.get(base + "/sparql", params={"query": query}, headers=JSON)
    return response.status_code == 200 and response.json()["boolean"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=11_000, help="synthetic entities (11k: about 200k triples)")
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--persistent", action="store_true")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="painlink-bench-writes-") as folder:
        workdir = Path(folder)
        process = start(args.port, workdir, args.persistent)
        base = f"http://127.0.0.1:{args.port}"
        try:
            with httpx.Client(timeout=300) as client:
                lines = list(generate.generate(args.entities))
                for part in range(0, len(lines), 80_000):
                    body = ("\n".join(lines[part:part + 80_000]) + "\n").encode()
                    assert client.post(base + "/store?default", content=body,
                                       headers={**AUTH, "Content-Type": "application/n-triples"}).status_code in (201, 204)
                count = client.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers=JSON)
                rows.append(("triples in the store", count.json()["results"]["bindings"][0]["n"]["value"]))
                ask(client, base, "ASK { ?s ?p ?o }")
                latencies: list[float] = []
                stop = threading.Event()

                def reader() -> None:
                    with httpx.Client(timeout=300) as own:
                        while not stop.wait(0.1):
                            began = time.monotonic()
                            own.get(base + "/sparql", params={"query": "SELECT ?s WHERE { ?s a ?t } LIMIT 5"}, headers=JSON)
                            latencies.append(time.monotonic() - began)

                thread = threading.Thread(target=reader)
                thread.start()
                visible: list[float] = []
                for n in range(args.writes):
                    began = time.monotonic()
                    done = client.post(base + "/sparql", content=f'INSERT DATA {{ <urn:bench:w{n}> <urn:bench:p> {n} }}'.encode(),
                                       headers={**AUTH, "Content-Type": "application/sparql-update"})
                    assert done.status_code == 204, done.text
                    while not ask(client, base, f"ASK {{ <urn:bench:w{n}> <urn:bench:p> {n} }}"):
                        time.sleep(0.02)
                    visible.append(time.monotonic() - began)
                    time.sleep(0.25)  # paced, so the reader's latency is sampled between writes too
                stop.set()
                thread.join()
                rows.append((f"{args.writes} small writes: seconds until /sparql sees each, median / worst",
                             f"{statistics.median(visible):.2f} / {max(visible):.2f}"))
                rows.append((f"/sparql simple SELECT during them, median / worst ({len(latencies)} requests)",
                             f"{statistics.median(latencies):.3f} / {max(latencies):.3f}"))
                # A 16 MB Turtle upload: peak memory of the server and its workers until a query sees it.
                upload = generate.generate(args.entities // 2, seed=7)
                turtle = ("\n".join(upload) + "\n").encode()[: 16 * 1024 * 1024 - 1024]
                turtle = turtle[: turtle.rfind(b"\n") + 1]
                peak = [tree_rss(process.pid)]
                sampling = threading.Event()

                def sample() -> None:
                    while not sampling.wait(0.05):
                        peak.append(tree_rss(process.pid))

                sampler = threading.Thread(target=sample)
                before = peak[0]
                sampler.start()
                began = time.monotonic()
                done = client.post(base + "/store?graph=urn:bench:upload", content=turtle,
                                   headers={**AUTH, "Content-Type": "text/turtle"})
                assert done.status_code in (201, 204), done.text
                while not ask(client, base, "ASK { GRAPH <urn:bench:upload> { ?s ?p ?o } }"):
                    time.sleep(0.05)
                took = time.monotonic() - began
                time.sleep(1)
                sampling.set()
                sampler.join()
                rows.append((f"{len(turtle) / 1e6:.1f} MB Turtle upload: seconds until a query sees it", f"{took:.1f}"))
                rows.append(("  server + workers resident memory: before / peak",
                             f"{before / 1e6:.0f} MB / {max(peak) / 1e6:.0f} MB"))
        finally:
            process.terminate()
            process.wait(60)
    print(f"| {'persistent' if args.persistent else 'memory'} store | figure |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
