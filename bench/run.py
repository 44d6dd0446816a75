"""painlink's benchmark: one command, prints a table (a benchmark, not a timed test).

    python bench/run.py --sizes 1k,10k,100k

Per size of the synthetic graph (bench/generate.py) and per store it measures load time and triples/s
with peak RSS, start-up time to the first answered request, SPARQL latency for four query shapes,
path-query latency (``/api/paths``, k=10, max length 5) and throughput with concurrent clients on
loopback for ``/sparql`` and ``/api/paths`` (p50/p99, errors). Side by side, in the same run, with the
same data, queries and client: rdflib-endpoint and ``oxigraph serve``. Everything runs on 127.0.0.1;
every server is a subprocess this script starts and stops.

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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # (bench/ is a folder of scripts, not a package)
from client import hammer

RESULTS = HERE / "results"
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


# --- processes ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binary(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"bench: `{name}` is missing: pip install -e '.[bench]'")
    return found


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command to the end: wall seconds, peak RSS in MiB (from the kernel's rusage), stderr."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr[-2000:]}")
    return seconds, usage.ru_maxrss // 1024, stderr


def peak_rss_mib(pid: int) -> int:
    """The peak RSS (VmHWM) in MiB of a live process plus that of each of its live descendants
    (painlink's query workers are child processes with their own replica of the store)."""
    import psutil

    total = 0
    try:
        family = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in family:
        try:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:  # exited meanwhile
            pass
    return total // 1024


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    query_url: str
    paths_url: str | None = None
    startup: float = 0.0

    def stop(self) -> int:
        rss = peak_rss_mib(self.process.pid) if self.process.poll() is None else 0
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return rss


def start_server(name: str, command: list[str], query_url: str, timeout: float = 600) -> Server:
    """Start a server and time it to its first answered SPARQL request."""
    log = RESULTS / f"{name.replace(' ', '-').replace(',', '')}.log"
    start = time.perf_counter()
    with open(log, "wb") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    with httpx.Client(timeout=5) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited at start-up; see {log}")
            try:
                response = client.get(query_url, params={"query": "ASK { ?s ?p ?o }"},
                                      headers={"Accept": "application/sparql-results+json"})
                if response.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() - start > timeout:
                process.kill()
                raise RuntimeError(f"{name} did not answer within {timeout} s")
            time.sleep(0.02)
    return Server(name, process, query_url, startup=time.perf_counter() - start)


# --- clients ---------------------------------------------------------------------------------------
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


# --- the run ---------------------------------------------------------------------------------------
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


def bench_data(label: str, entities: int) -> Path:
    """The file every system loads at this size: the shipped ontology followed by the synthetic graph.

    painlink puts the shipped ontology (its schema: which predicates are causal and how strong) in
    every store it opens, and the path engine needs it; the peers and the remote store's server get
    the same triples from this file, so all of them hold exactly the same data."""
    synthetic = RESULTS / "data" / f"synthetic-{label}.nt"
    if not synthetic.exists():
        print(f"[{label}] generating {synthetic.name}", file=sys.stderr)
        generate.write(entities, synthetic)
    data = RESULTS / "data" / f"bench-{label}.nt"
    if not data.exists() or data.stat().st_mtime < synthetic.stat().st_mtime:
        import pyoxigraph as ox

        from painlink.graph.stores import OxigraphStore, sync_shipped
        from painlink.ontology import SHIPPED_FILES

        store = OxigraphStore()
        sync_shipped(store, SHIPPED_FILES)
        with open(data, "wb") as out, open(synthetic, "rb") as graph:
            out.write(store.dump(ox.RdfFormat.N_TRIPLES))
            shutil.copyfileobj(graph, out)
    return data


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

    # Servers.
    servers: list[Server] = []
    port = free_port()
    oxigraph = start_server("oxigraph serve", [binary("oxigraph"), "serve", "--location", str(oxigraph_dir),
                                                "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query")
    servers.append(oxigraph)
    port = free_port()
    servers.append(start_server("painlink persistent", [painlink, "serve", "--data-dir", str(data_dir),
                                                        "--port", str(port)], f"http://127.0.0.1:{port}/sparql"))
    # Front processes (painlink.service.fronts) over a copy of the same store (one process may open it).
    fronts_dir = work / f"painlink-{label}-fronts"
    shutil.copytree(data_dir, fronts_dir)
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
    report["load averages"]["end"] = load_averages()
    report["wall minutes"] = (time.perf_counter() - began) / 60
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(render(report))
    print(f"\n(raw figures: {out.relative_to(HERE.parent)})", file=sys.stderr)
    return 0


#: Front processes of the fronted painlink server (``painlink serve --fronts``): one a core.
FRONTS = 2
SERVERS = ("painlink persistent", f"painlink {FRONTS} fronts", "painlink remote", "rdflib-endpoint", "oxigraph serve")


def _get(row: dict, *keys, default=None):
    for key in keys:
        if not isinstance(row, dict) or key not in row:
            return default
        row = row[key]
    return row


def targets(report: dict) -> list[tuple[str, str, str]]:
    """Issue 5's targets: (target, what was measured, met?)."""
    out = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "MISSED")

    for label, row in report["sizes"].items():
        for ours_name in ("painlink persistent", f"painlink {FRONTS} fronts"):
            ours = _get(row, ours_name, "sparql throughput", "req/s")
            for peer, factor in (("rdflib-endpoint", 5.0), ("oxigraph serve", 0.5)):
                theirs = _get(row, peer, "sparql throughput", "req/s")
                what = f"{label}: /sparql simple SELECT req/s >= {factor:g}x {peer} ({ours_name})"
                if ours and theirs:
                    ratio = ours / theirs
                    out.append((what, f"{ours:,.0f} vs {theirs:,.0f} = {ratio:.2f}x", verdict(ratio >= factor)))
                else:
                    out.append((what, "not run", "n/a"))
    row = report["sizes"].get("100k")
    for store in ("painlink persistent", "painlink remote"):
        p50 = _get(row or {}, store, "paths ms", "p50")
        out.append((f"100k: /api/paths p50 < 50 ms ({store})",
                    "not run" if p50 is None else f"{p50:.1f} ms", verdict(None if p50 is None else p50 < 50)))
    for name, fig in report.get("startup shipped graph", {}).items():
        out.append((f"start-up < 2 s on the shipped graph ({name})",
                    f"median {fig['startup s']:.2f} s, worst {fig['worst s']:.2f} s of {fig['rounds']}",
                    verdict(fig["startup s"] < 2)))
    load = _get(row or {}, "load painlink persistent")
    if load:
        out.append((f"{row['triples']:,} triples loaded (painlink load) in < 60 s within 2 GiB RSS",
                    f"{load['s']:.1f} s, {load['peak MiB']:,} MiB", verdict(load["s"] < 60 and load["peak MiB"] < 2048)))
    else:
        out.append(("1.7M triples loaded in < 60 s within 2 GiB RSS", "not run", "n/a"))
    return out


def render(report: dict) -> str:
    """The report as Markdown (what bench/README.md records)."""
    lines: list[str] = []
    m = report["machine"]
    lines.append(f"Machine: {m['nproc']} cores, {m['memory GiB']} GiB RAM, {m['cpu']}; Python {m['python']}")
    lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    for when, fig in report.get("load averages", {}).items():
        lines.append(f"Load averages at the {when} ({fig['at']}): {fig['1 min']:.2f} / {fig['5 min']:.2f} / "
                     f"{fig['15 min']:.2f} (1 / 5 / 15 min)")
    if "wall minutes" in report:
        lines.append(f"Wall time: {report['wall minutes']:.1f} min; arguments: {json.dumps(report['args'])}")
    lines += ["", "### Targets in this run", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {measured} | {ok} |" for t, measured, ok in targets(report)]
    lines += ["", "### Start-up on the shipped graph (to the first answered /sparql request)", "",
              "| store | median s | worst s | peak RSS MiB (all processes) |", "|---|---:|---:|---:|"]
    for name, fig in report.get("startup shipped graph", {}).items():
        lines.append(f"| painlink {name} | {fig['startup s']:.2f} | {fig['worst s']:.2f} | {fig['peak MiB']} |")
    floor = report.get("asgi floor")
    if floor:
        lines += ["", (f"asgi-floor (a bare uvicorn app answering a fixed result, same client): "
                       f"{floor['req/s']:,.0f} req/s, p50 {floor['p50 ms']:.1f} ms, p99 {floor['p99 ms']:.1f} ms, "
                       f"{floor['errors']} errors")]
    for label, row in report["sizes"].items():
        lines += _render_size(label, row, report["args"]["repeats"])
    return "\n".join(lines)


def _cells(row: dict, names: list[str], get) -> str:
    """One table row's cells: ``get(row[name])`` for each column, n/a where a figure is missing."""
    out = []
    for name in names:
        try:
            out.append(get(row[name]))
        except (KeyError, TypeError, ZeroDivisionError):
            out.append("n/a")
    return " | ".join(out)


def _render_size(label: str, row: dict, repeats: int) -> list[str]:
    """One size: the loads, the servers side by side, the ratios to the peers, the evaluation overhead."""
    lines = ["", f"### {label}: {row['entities']:,} entities, {row['triples']:,} triples", "",
             "| load | s | triples/s | peak RSS MiB |", "|---|---:|---:|---:|"]
    for key, fig in row.items():
        if key.startswith("load "):
            lines.append(f"| {key[5:]} | {fig['s']:.1f} | {fig['triples/s']:,.0f} | {fig['peak MiB']:,} |")
    servers = [name for name in SERVERS if "startup s" in row.get(name, {})]
    if not servers:
        return lines
    shapes_run = list(row[servers[0]]["latency ms"])

    def latency(r: dict, shape: str) -> str:
        n = r["latency n"][shape]
        return f"{r['latency ms'][shape]:.1f}" + ("" if n >= repeats else f" (n={n})")

    table = [
        ("start-up s (to first /sparql answer)", lambda r: f"{r['startup s']:.2f}"),
        ("peak RSS MiB, serving (all processes)", lambda r: f"{r['peak MiB']:,}"),
        *[(f"{shape}, median ms", lambda r, s=shape: latency(r, s)) for shape in shapes_run],
        ("/sparql simple SELECT, req/s", lambda r: f"{r['sparql throughput']['req/s']:,.0f}"),
        (f"large answer ({LARGE_ROWS:,}-row SELECT, JSON), MB/s",
         lambda r: f"{r['large answer']['MB/s']:.1f} ({r['large answer']['bytes'] / 1e6:.1f} MB in "
                   f"{r['large answer']['median s'] * 1000:.0f} ms)"),
        ("/sparql p50 / p99 ms",
         lambda r: f"{r['sparql throughput']['p50 ms']:.1f} / {r['sparql throughput']['p99 ms']:.1f}"),
        ("/sparql errors", lambda r: f"{r['sparql throughput']['errors']}"),
        ("/api/paths first request s (builds the projection)", lambda r: f"{r['paths ms']['first s']:.2f}"),
        ("/api/paths sequential p50 / max ms", lambda r: f"{r['paths ms']['p50']:.1f} / {r['paths ms']['max']:.0f}"),
        ("/api/paths req/s", lambda r: f"{r['paths throughput']['req/s']:,.0f}"),
        ("/api/paths p50 / p99 ms",
         lambda r: f"{r['paths throughput']['p50 ms']:.1f} / {r['paths throughput']['p99 ms']:.1f}"),
        ("/api/paths errors", lambda r: f"{r['paths throughput']['errors']}"),
    ]
    lines += ["", "| | " + " | ".join(servers) + " |", "|---|" + "---:|" * len(servers)]
    lines += [f"| {title} | {_cells(row, servers, get)} |" for title, get in table]

    peers = [peer for peer in ("rdflib-endpoint", "oxigraph serve") if peer in servers]
    ours = [name for name in ("painlink persistent", f"painlink {FRONTS} fronts", "painlink remote") if name in servers]
    if peers and ours:
        # Ratio columns: one per (painlink store, peer); each row's figure is ours/theirs for
        # throughput and theirs/ours for times, so above 1 always means painlink did better.
        pairs = [(o, p) for o in ours for p in peers]
        measures = [("/sparql simple SELECT req/s", lambda r: r["sparql throughput"]["req/s"], True),
                    ("large answer bytes/s", lambda r: r["large answer"]["MB/s"], True),
                    *[(f"{shape} latency", lambda r, s=shape: r["latency ms"][s], False) for shape in shapes_run],
                    ("start-up", lambda r: r["startup s"], False)]
        lines += ["", ("Ratios, painlink over each peer (above 1: painlink does better; throughput ours/theirs, "
                       "latency theirs/ours):"), "",
                  "| | " + " | ".join(f"{o} / {p}" for o, p in pairs) + " |", "|---|" + "---:|" * len(pairs)]
        for title, get, higher_better in measures:
            cells = []
            for o, p in pairs:
                try:
                    a, b = get(row[o]), get(row[p])
                    cells.append(f"{(a / b if higher_better else b / a):.2f}x")
                except (KeyError, TypeError, ZeroDivisionError):
                    cells.append("n/a")
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
    overhead = row.get("evaluation overhead")
    if overhead:
        lines += ["", (f"/sparql evaluation overhead (simple SELECT, median): worker process "
                       f"{overhead['process ms']:.2f} ms, in-thread {overhead['inline ms']:.2f} ms; "
                       f"the process hop costs {overhead['hop ms']:.2f} ms a query")]
    return lines


if __name__ == "__main__":
    sys.exit(main())
