"""painlink's benchmark: one command, prints a table (a benchmark, not a timed test).

    python bench/run.py --sizes 1k,10k,100k

Per size of the synthetic graph (bench/generate.py) and per store it measures load time and triples/s
with peak RSS, start-up time to the first answered request, SPARQL latency for four query shapes,
path-query latency (``/api/paths``, k=10, max length 5) and throughput with concurrent clients on
loopback for ``/sparql`` and ``/api/paths`` (p50/p99, errors). Side by side, in the same run, with the
same data, queries and client: rdflib-endpoint and ``oxigraph serve``. Everything runs on 127.0.0.1;
every server is a subprocess this script starts and stops (bench/processes.py); the queries and the
clients that time them are bench/queries.py, the targets and the Markdown bench/report.py.

Stores measured: painlink's persistent embedded store (the service default, ``--data-dir``), its
in-memory store (load figures; serving with ``--memory`` starts from the shipped graph only) and its
remote store (``painlink serve --store`` in front of the same ``oxigraph serve`` the peer column uses).

Also measured, to explain the figures: ``asgi-floor`` (bench/peers.py), a bare uvicorn app that answers
a fixed result -- the ceiling of any one-worker Python server with this client on this machine -- and
the cost of the process hop painlink's query evaluator makes (the same query through
``ProcessEvaluator`` and ``InlineEvaluator`` on the same store, in this process). The machine's load
averages are recorded at the start and the end: the figures are only as good as the quiet around them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # (bench/ is a folder of scripts, not a package)
from client import hammer
from datasets import bench_data
from processes import RESULTS, Server, binary, free_port, run_measured, start_server
from queries import (
    PATH_PARAMS, evaluation_overhead, large_answer, paths_latency, shapes, simple_select, sparql_latency,
    wait_for_paths,
)
from report import FRONTS, render

__all__ = ["bench_data", "binary", "free_port", "main", "simple_select", "start_server"]


def bench_size(label: str, entities: int, args: argparse.Namespace, work: Path, report: dict) -> None:
    data = bench_data(label, entities)
    with open(data, "rb") as lines:
        triples = sum(1 for _ in lines)
    row: dict = {"entities": entities, "triples": triples}
    report["sizes"][label] = row
    painlink = binary("painlink")

    # Loading: each loader in its own process, so its peak RSS is its own.
    data_dir = work / f"painlink-{label}"
    seconds, rss, said = run_measured([painlink, "load", "--data-dir", str(data_dir), str(data)])
    row["load painlink persistent"] = {"s": seconds, "triples/s": triples / seconds, "peak MiB": rss,
                                       "said": said.strip().splitlines()[-1]}
    seconds, rss, _ = run_measured([sys.executable, "-c", (
        "import sys; from painlink.graph.stores import OxigraphStore; "
        "OxigraphStore().load_files([sys.argv[1]])"), str(data)])
    row["load painlink memory"] = {"s": seconds, "triples/s": triples / seconds, "peak MiB": rss}
    oxigraph_dir = work / f"oxigraph-{label}"
    seconds, rss, _ = run_measured([binary("oxigraph"), "load", "--location", str(oxigraph_dir), "--file", str(data)])
    row["load oxigraph"] = {"s": seconds, "triples/s": triples / seconds, "peak MiB": rss}
    rdflib_ok = entities <= args.rdflib_max
    if rdflib_ok:
        seconds, rss, _ = run_measured([sys.executable, "-c",
                                        "import sys, rdflib; rdflib.Graph().parse(sys.argv[1])", str(data)])
        row["load rdflib"] = {"s": seconds, "triples/s": triples / seconds, "peak MiB": rss}
    print(f"[{label}] loads: " + json.dumps({k: v for k, v in row.items() if k.startswith("load")}), file=sys.stderr)

    # Servers. The fronted painlink (painlink.service.fronts) serves a copy of the same store (one
    # process may open a store), made before any server adds its replicas to the folder.
    fronts_dir = work / f"painlink-{label}-fronts"
    shutil.copytree(data_dir, fronts_dir, ignore=shutil.ignore_patterns("replicas"))
    servers: list[Server] = []
    port = free_port()
    oxigraph = start_server("oxigraph serve", [binary("oxigraph"), "serve", "--location", str(oxigraph_dir),
                                                "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query")
    servers.append(oxigraph)
    port = free_port()
    servers.append(start_server("painlink persistent", [painlink, "serve", "--data-dir", str(data_dir),
                                                        "--port", str(port)], f"http://127.0.0.1:{port}/sparql"))
    port = free_port()
    servers.append(start_server(f"painlink {FRONTS} fronts", [painlink, "serve", "--data-dir", str(fronts_dir),
                                                              "--fronts", str(FRONTS), "--port", str(port)],
                                f"http://127.0.0.1:{port}/sparql"))
    port = free_port()
    servers.append(start_server("painlink remote", [painlink, "serve", "--store", oxigraph.query_url,
                                                    "--port", str(port)], f"http://127.0.0.1:{port}/sparql"))
    if rdflib_ok:
        port = free_port()
        servers.append(start_server("rdflib-endpoint", [sys.executable, str(HERE / "peers.py"), "rdflib-endpoint",
                                                         str(data), "--port", str(port)],
                                    f"http://127.0.0.1:{port}/sparql"))
    try:
        queries = shapes(entities)
        pairs = generate.path_pairs(entities, count=args.path_pairs)
        for server in servers:
            if server.name.startswith("painlink"):
                waited = wait_for_paths(server.query_url.rsplit("/", 1)[0] + "/api/paths", pairs[0])
                print(f"[{label}] {server.name}: path engine ready after {waited:.1f} s", file=sys.stderr)
        for server in servers:
            result: dict = {"startup s": server.startup, "latency ms": {}, "latency n": {}}
            for name, query in queries.items():
                median, count = sparql_latency(server.query_url, query, args.repeats, args.latency_budget)
                result["latency ms"][name], result["latency n"][name] = median, count
            result["large answer"] = large_answer(server.query_url, args.large_repeats, args.latency_budget)
            rng = random.Random(1)
            selects = [simple_select(entities, rng) for _ in range(args.requests)]
            result["sparql throughput"] = hammer(
                server.query_url, lambda n, selects=selects: {"query": selects[n]},
                args.requests, args.concurrency).row()
            if server.name.startswith("painlink"):
                paths = server.query_url.rsplit("/", 1)[0] + "/api/paths"
                result["paths ms"] = paths_latency(paths, pairs)
                result["paths throughput"] = hammer(
                    paths, lambda n: {"from": pairs[n % len(pairs)][0], "to": pairs[n % len(pairs)][1],
                                      **PATH_PARAMS},
                    args.requests, args.concurrency, accept="application/json").row()
            row[server.name] = result
            print(f"[{label}] {server.name}: " + json.dumps(result), file=sys.stderr)
    finally:
        # Stop only at the end: painlink's remote store is served by the oxigraph peer.
        for server in servers:
            if server.process.poll() is None:
                rss = server.stop()
                row.setdefault(server.name, {})["peak MiB"] = rss
    row["evaluation overhead"] = evaluation_overhead(data_dir, entities, 300)
    print(f"[{label}] evaluation overhead: " + json.dumps(row["evaluation overhead"]), file=sys.stderr)


def bench_startup(report: dict, work: Path, rounds: int) -> None:
    """Start-up to the first answered request on the shipped graph (memory, a fresh data dir, the
    same data dir again), ``rounds`` times each: median and worst."""
    painlink = binary("painlink")
    runs: dict[str, list[tuple[float, int]]] = {}
    for round_ in range(rounds):
        data_dir = work / f"shipped-{round_}"
        for name, extra in (("memory", ["--memory"]), ("persistent, first start", ["--data-dir", str(data_dir)]),
                            ("persistent, restart", ["--data-dir", str(data_dir)])):
            port = free_port()
            server = start_server(f"painlink {name}", [painlink, "serve", *extra, "--port", str(port)],
                                  f"http://127.0.0.1:{port}/sparql")
            runs.setdefault(name, []).append((server.startup, server.stop()))
    figures = {name: {"startup s": statistics.median(s for s, _ in got), "worst s": max(s for s, _ in got),
                      "rounds": len(got), "peak MiB": max(m for _, m in got)} for name, got in runs.items()}
    report["startup shipped graph"] = figures
    print("[shipped] startup: " + json.dumps(figures), file=sys.stderr)


def bench_floor(report: dict, args: argparse.Namespace) -> None:
    """Throughput of asgi-floor (bench/peers.py) with the same client: the Python/uvicorn ceiling."""
    port = free_port()
    server = start_server("asgi-floor", [sys.executable, str(HERE / "peers.py"), "asgi-floor", "-",
                                         "--port", str(port)], f"http://127.0.0.1:{port}/sparql")
    try:
        rng = random.Random(1)
        selects = [simple_select(1000, rng) for _ in range(args.requests)]
        report["asgi floor"] = hammer(server.query_url, lambda n: {"query": selects[n]},
                                      args.requests, args.concurrency).row()
    finally:
        server.stop()
    print("[floor] " + json.dumps(report["asgi floor"]), file=sys.stderr)


def load_averages() -> dict:
    """What else the machine was doing: ``uptime``'s 1/5/15-minute load averages, at this moment."""
    one, five, fifteen = os.getloadavg()
    return {"at": time.strftime("%Y-%m-%d %H:%M:%S"), "1 min": one, "5 min": five, "15 min": fifteen}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    from importlib.metadata import version

    versions = {name: version(name) for name in ("painlink", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint",
                                                  "fastapi", "uvicorn", "httpx")}
    return {"nproc": os.cpu_count(), "memory GiB": round(memory / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "versions": versions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k, 10k, 100k")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--visible-sizes", default="100k",
                        help="sizes at which to time a write until /api/paths shows it (bench/projection.py)")
    parser.add_argument("--visible-writes", type=int, default=5, help="writes timed there (0: none)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per throughput run")
    parser.add_argument("--repeats", type=int, default=20, help="sequential runs per latency figure")
    parser.add_argument("--latency-budget", type=float, default=20.0,
                        help="seconds per latency figure before a slow server stops early (at least 3 requests)")
    parser.add_argument("--large-repeats", type=int, default=5,
                        help="sequential requests for the large-answer figure (20,000-row SELECT)")
    parser.add_argument("--startup-rounds", type=int, default=3, help="start-ups per store on the shipped graph")
    parser.add_argument("--path-pairs", type=int, default=20)
    parser.add_argument("--rdflib-max", type=int, default=100_000,
                        help="largest size (entities) to run rdflib-endpoint on (it is the slowest to load)")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size not in generate.SIZES:
            parser.error(f"unknown size {size!r}: use {', '.join(generate.SIZES)}")
    RESULTS.mkdir(exist_ok=True)
    report: dict = {"machine": machine(), "args": vars(args), "load averages": {"start": load_averages()},
                    "sizes": {}}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="painlink-bench-") as folder:
        work = Path(folder)
        bench_startup(report, work, args.startup_rounds)
        bench_floor(report, args)
        for size in sizes:
            bench_size(size, generate.SIZES[size], args, work, report)
            if size in args.visible_sizes.split(",") and args.visible_writes:
                import projection  # (its write-to-visible part: a real painlink serve of its own)

                visible = projection.write_to_visible(size, generate.SIZES[size], args.visible_writes, work)
                report["sizes"][size]["write to visible"] = visible
                print(f"[{size}] write to visible: " + json.dumps(visible), file=sys.stderr)
    report["load averages"]["end"] = load_averages()
    report["wall minutes"] = (time.perf_counter() - began) / 60
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(render(report))
    print(f"\n(raw figures: {out.relative_to(HERE.parent)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
