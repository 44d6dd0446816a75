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
import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)
from client import hammer  # noqa: E402

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
    """A live process's peak RSS (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


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
    log = open(RESULTS / f"{name.replace(' ', '-')}.log", "wb")
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    with httpx.Client(timeout=5) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited at start-up; see {log.name}")
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
def sparql_latency(url: str, query: str, repeats: int) -> float:
    """Median milliseconds of ``repeats`` sequential requests (after one warm-up)."""
    timings = []
    with httpx.Client(timeout=120) as client:
        for index in range(repeats + 1):
            start = time.perf_counter()
            response = client.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
            response.raise_for_status()
            if index:
                timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


# --- the run ---------------------------------------------------------------------------------------
def painlink_has_api(base: str) -> bool:
    try:
        return httpx.get(f"{base}/openapi.json", timeout=5).text.find('"/api/paths"') >= 0
    except httpx.HTTPError:
        return False


def engine_paths_latency(data_dir: Path, pairs: list[tuple[str, str]]) -> dict[str, float] | None:
    """Path latency through the engine in this process, for when the service has no /api/paths."""
    try:
        from painlink.graph import Knowledge  # type: ignore[attr-defined]
        from painlink.graph.store import OxigraphStore
    except ImportError:
        return None
    store = OxigraphStore(data_dir)
    try:
        knowledge = Knowledge(store)
        timings = []
        for source, target in pairs:
            start = time.perf_counter()
            knowledge.paths(source, target, max_length=5, limit=10)
            timings.append((time.perf_counter() - start) * 1000)
        return {"p50 ms": statistics.median(timings), "max ms": max(timings)}
    finally:
        store.close()


def bench_size(label: str, entities: int, args: argparse.Namespace, work: Path, report: dict) -> None:
    data = RESULTS / "data" / f"synthetic-{label}.nt"
    if not data.exists():
        print(f"[{label}] generating {data.name}", file=sys.stderr)
        generate.write(entities, data)
    triples = sum(1 for _ in open(data, "rb"))
    row: dict = {"entities": entities, "triples": triples}
    report["sizes"][label] = row
    painlink = binary("painlink")

    # Loading: each loader in its own process, so its peak RSS is its own.
    data_dir = work / f"painlink-{label}"
    seconds, rss, said = run_measured([painlink, "load", "--data-dir", str(data_dir), str(data)])
    row["load painlink persistent"] = {"s": seconds, "triples/s": triples / seconds, "peak MiB": rss,
                                       "said": said.strip().splitlines()[-1]}
    seconds, rss, _ = run_measured([sys.executable, "-c", (
        "import sys; from painlink.graph.store import OxigraphStore; "
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
            result: dict = {"startup s": server.startup, "latency ms": {}}
            for name, query in queries.items():
                result["latency ms"][name] = sparql_latency(server.query_url, query, args.repeats)
            rng = random.Random(1)
            selects = [simple_select(entities, rng) for _ in range(args.requests)]
            result["sparql throughput"] = hammer(
                server.query_url, lambda n: {"query": selects[n]}, args.requests, args.concurrency).row()
            base = server.query_url.rsplit("/", 1)[0]
            if server.name.startswith("painlink") and painlink_has_api(base):
                paths = f"{base}/api/paths"
                timings = []
                with httpx.Client(timeout=120) as client:
                    for source, target in pairs:
                        start = time.perf_counter()
                        client.get(paths, params={"from": source, "to": target, "max_length": 5, "limit": 10}
                                   ).raise_for_status()
                        timings.append((time.perf_counter() - start) * 1000)
                result["paths ms"] = {"p50": statistics.median(timings), "max": max(timings), "via": "/api/paths"}
                result["paths throughput"] = hammer(
                    paths, lambda n: {"from": pairs[n % len(pairs)][0], "to": pairs[n % len(pairs)][1],
                                      "max_length": 5, "limit": 10},
                    args.requests, args.concurrency).row()
            row[server.name] = result
            print(f"[{label}] {server.name}: " + json.dumps(result), file=sys.stderr)
    finally:
        # Stop only at the end: painlink's remote store is served by the oxigraph peer.
        for server in servers:
            if server.process.poll() is None:
                rss = server.stop()
                row.setdefault(server.name, {})["peak MiB"] = rss
    if "paths ms" not in row.get("painlink persistent", {}):
        engine = engine_paths_latency(data_dir, pairs)
        if engine is not None:
            row["painlink persistent"]["paths ms"] = {"p50": engine["p50 ms"], "max": engine["max ms"],
                                                      "via": "engine in-process"}


def bench_startup(report: dict, work: Path) -> None:
    """Start-up to the first answered request on the shipped graph (memory and a fresh data dir)."""
    painlink = binary("painlink")
    figures = {}
    for name, extra in (("memory", ["--memory"]), ("persistent, first start", ["--data-dir", str(work / "shipped")]),
                        ("persistent, restart", ["--data-dir", str(work / "shipped")])):
        port = free_port()
        server = start_server(f"painlink {name}", [painlink, "serve", *extra, "--port", str(port)],
                              f"http://127.0.0.1:{port}/sparql")
        figures[name] = {"startup s": server.startup, "peak MiB": server.stop()}
    report["startup shipped graph"] = figures
    print("[shipped] startup: " + json.dumps(figures), file=sys.stderr)


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
    parser.add_argument("--path-pairs", type=int, default=20)
    parser.add_argument("--rdflib-max", type=int, default=10_000,
                        help="largest size (entities) to run rdflib-endpoint on: it needs minutes and GiBs above")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size not in generate.SIZES:
            parser.error(f"unknown size {size!r}: use {', '.join(generate.SIZES)}")
    RESULTS.mkdir(exist_ok=True)
    report: dict = {"machine": machine(), "args": vars(args), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="painlink-bench-") as folder:
        work = Path(folder)
        bench_startup(report, work)
        for size in sizes:
            bench_size(size, generate.SIZES[size], args, work, report)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(render(report))
    print(f"\n(raw figures: {out.relative_to(HERE.parent)})", file=sys.stderr)
    return 0


def render(report: dict) -> str:
    """The report as Markdown tables (what bench/README.md records)."""
    lines = []
    m = report["machine"]
    lines.append(f"Machine: {m['nproc']} cores, {m['memory GiB']} GiB, {m['cpu']}, Python {m['python']}")
    lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    lines.append("")
    lines.append("Start-up on the shipped graph (to the first answered /sparql request):")
    lines.append("")
    lines.append("| store | start-up s | peak MiB |")
    lines.append("|---|---:|---:|")
    for name, fig in report.get("startup shipped graph", {}).items():
        lines.append(f"| painlink {name} | {fig['startup s']:.2f} | {fig['peak MiB']} |")
    for label, row in report["sizes"].items():
        lines.append("")
        lines.append(f"### {label} entities ({row['entities']:,} entities, {row['triples']:,} triples)")
        lines.append("")
        lines.append("| load | s | triples/s | peak MiB |")
        lines.append("|---|---:|---:|---:|")
        for key, fig in row.items():
            if key.startswith("load "):
                lines.append(f"| {key[5:]} | {fig['s']:.1f} | {fig['triples/s']:,.0f} | {fig['peak MiB']} |")
        servers = [k for k, v in row.items() if isinstance(v, dict) and "startup s" in v]
        if not servers:
            continue
        lines.append("")
        lines.append("| server | " + " | ".join(servers) + " |")
        lines.append("|---|" + "---:|" * len(servers))

        def cells(get) -> str:
            out = []
            for name in servers:
                try:
                    out.append(get(row[name]))
                except (KeyError, TypeError):
                    out.append("n/a")
            return " | ".join(out)

        lines.append("| start-up s (loaded store) | " + cells(lambda r: f"{r['startup s']:.2f}") + " |")
        lines.append("| peak RSS MiB (serving) | " + cells(lambda r: f"{r['peak MiB']}") + " |")
        for shape in next(iter(row[s]["latency ms"] for s in servers)):
            lines.append(f"| {shape} ms (median) | " + cells(lambda r, s=shape: f"{r['latency ms'][s]:.1f}") + " |")
        lines.append("| /sparql simple SELECT req/s | " + cells(lambda r: f"{r['sparql throughput']['req/s']:.0f}") + " |")
        lines.append("| /sparql p50 / p99 ms | " + cells(
            lambda r: f"{r['sparql throughput']['p50 ms']:.1f} / {r['sparql throughput']['p99 ms']:.1f}") + " |")
        lines.append("| /sparql errors | " + cells(lambda r: f"{r['sparql throughput']['errors']}") + " |")
        lines.append("| paths p50 ms (k=10, max 5) | " + cells(
            lambda r: f"{r['paths ms']['p50']:.1f} ({r['paths ms']['via']})") + " |")
        lines.append("| /api/paths req/s, p50 / p99 ms, errors | " + cells(
            lambda r: f"{r['paths throughput']['req/s']:.0f}, {r['paths throughput']['p50 ms']:.0f} / "
                      f"{r['paths throughput']['p99 ms']:.0f}, {r['paths throughput']['errors']}") + " |")
        ours = row.get("painlink persistent", {}).get("sparql throughput", {}).get("req/s")
        if ours:
            for peer in ("rdflib-endpoint", "oxigraph serve"):
                theirs = row.get(peer, {}).get("sparql throughput", {}).get("req/s")
                if theirs:
                    lines.append("")
                    lines.append(f"Ratio /sparql throughput painlink persistent / {peer}: {ours / theirs:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
