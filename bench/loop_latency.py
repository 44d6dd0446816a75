"""Does a heavy /sparql request hold up every other route? (issue 10, finding 2)

Starts a real ``painlink serve --memory`` on loopback, then for each heavy request (a query with
"service" in a comment and a long ``BIND(1+1+...+1)``, 10 KB and 40 KB; a 16.5 MB form body of
``a=&a=&...``) sends it while a prober asks for a cheap page (``/static/painlink.css`` and
``/api/entities?q=foot`` in turn) every 20 ms, and prints the heavy request's time and status and
the cheap requests' latencies meanwhile. The goal: the cheap page within 100 ms.

    .venv/bin/python bench/loop_latency.py [--port 8123]
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

import httpx

HEAVY = {
    "query 10 KB, 'service' in a comment": (
        {"query": "# service\nSELECT * WHERE { BIND(1" + "+1" * 5_000 + " AS ?x) }"}, None),
    "query 40 KB, 'service' in a comment": (
        {"query": "# service\nSELECT * WHERE { BIND(1" + "+1" * 20_000 + " AS ?x) }"}, None),
    "form body 16.5 MB of a=&": (None, b"a=&" * (16_500_000 // 3)),
}
CHEAP = ("/static/painlink.css", "/api/entities?q=foot")


def start(port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINLINK_")}
    log = open(os.path.join(tempfile.gettempdir(), "painlink-loop-bench.log"), "wb")
    process = subprocess.Popen([sys.executable, "-m", "painlink.cli", "serve", "--memory", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def measure(base: str, form: dict | None, body: bytes | None) -> tuple[float, int, list[float]]:
    done = threading.Event()
    latencies: list[float] = []

    def probe() -> None:
        with httpx.Client(timeout=120) as client:
            turn = 0
            while not done.is_set():
                began = time.perf_counter()
                client.get(base + CHEAP[turn % len(CHEAP)])
                latencies.append(time.perf_counter() - began)
                turn += 1
                time.sleep(0.02)

    prober = threading.Thread(target=probe)
    began = time.perf_counter()
    prober.start()
    if body is not None:
        response = httpx.post(base + "/sparql", content=body, timeout=300,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        response = httpx.post(base + "/sparql", data=form, timeout=300)
    elapsed = time.perf_counter() - began
    done.set()
    prober.join()
    return elapsed, response.status_code, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    process = start(args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        print("| heavy request | its time | its status | cheap requests meanwhile | cheap p50 | cheap max |")
        print("|---|---|---|---|---|---|")
        for name, (form, body) in HEAVY.items():
            elapsed, status, latencies = measure(base, form, body)
            print(f"| {name} | {elapsed:.2f} s | {status} | {len(latencies)} | "
                  f"{statistics.median(latencies) * 1000:.0f} ms | {max(latencies) * 1000:.0f} ms |", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
