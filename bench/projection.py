"""The path engine after a write (issue 15, part 3): a full build of its projection against the patch
that follows one small write, and the time from a write to ``/api/paths`` answering with it.

    python bench/projection.py --sizes 1k,10k,100k            # both parts, every size
    python bench/projection.py --sizes 100k --visible-sizes 100k --writes 10

Per size (the shipped ontology plus bench/generate.py's graph, as bench/run.py loads it):

* *in this process*, on an in-memory store: the full build (``build_projection`` plus what a path
  question needs beside it: the name index and the weighted causal graph), then ``--writes`` small
  writes of each kind (a new claim with its evidence, a label changed, a claim deleted), each followed
  by ``ProjectionCache.get()`` and one path question: median and worst seconds of the move forward
  (patch + indexes followed) and of the question after it;
* *write to visible* (sizes in ``--visible-sizes``): the real ``painlink serve --data-dir`` (filled by
  ``painlink load``), ready for path questions, then ``--writes`` SPARQL updates through ``/sparql``,
  each a new causal claim between two entities; after each, ``/api/paths`` is asked until an answer
  holds the new claim. Seconds from sending the update to that answer: median and worst.

A benchmark, not a test: it prints figures (and writes them as JSON with ``--json``); record the
machine and its load beside them (the load averages are printed at the start and the end).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)
from datasets import bench_data  # noqa: E402
from processes import free_port  # noqa: E402
from serving import wait_until_serving  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
PL, PLI, PLC, PLV, PLS = generate.PL, generate.PLI, generate.PLC, generate.PLV, generate.PLS
RDF, RDFS = generate.RDF, generate.RDFS
TOKEN = "bench-projection-token"


def new_claim(number: int, subject: str, obj: str) -> tuple[str, str]:
    """(claim id, a SPARQL update adding it): ``subject`` causes ``obj``, with one supporting item."""
    claim = f"bench-{number}--causes--{obj}"
    evidence = f"bench-{number}"
    return claim, f"""INSERT DATA {{
        <{PLI}{subject}> <{PL}causes> <{PLI}{obj}> .
        <{PLC}{claim}> a <{PL}Claim> ; <{RDF}subject> <{PLI}{subject}> ; <{RDF}predicate> <{PL}causes> ;
            <{RDF}object> <{PLI}{obj}> ; <{PL}statement> "Benchmark claim {number}."@en ;
            <{PL}hasEvidence> <{PLV}{evidence}> .
        <{PLV}{evidence}> a <{PL}Evidence> ; <{PL}source> <{PLS}synthetic-source-1> ;
            <{PL}stance> <{PL}Supports> ; <{PL}summary> "Benchmark evidence {number}."@en . }}"""


def _summary(seconds: list[float]) -> dict:
    return {"median s": round(statistics.median(seconds), 4), "max s": round(max(seconds), 4), "n": len(seconds)}


def in_process(label: str, entities: int, writes: int) -> dict:
    """Full build against following small writes, on an in-memory store in this process."""
    from painlink.graph import Knowledge
    from painlink.graph.projection import build_projection

    knowledge = Knowledge.shipped()
    start = time.perf_counter()
    knowledge.store.load_files([bench_data(label, entities)])
    row: dict = {"load s": round(time.perf_counter() - start, 2)}
    pairs = generate.path_pairs(entities, count=max(writes, 1))
    start = time.perf_counter()
    projection = build_projection(knowledge.store)
    row["build projection s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    knowledge._cache._current = projection  # the cache holds the build just timed
    knowledge.prepare()  # the name index, as a service does at start-up ...
    knowledge.paths(*pairs[0])  # ... and the weighted causal graph the first path question makes
    row["indexes s"] = round(time.perf_counter() - start, 3)
    row["full build s"] = round(row["build projection s"] + row["indexes s"], 3)
    kinds = {
        "new claim": lambda n: new_claim(n, pairs[n % len(pairs)][0], pairs[(n + 1) % len(pairs)][1])[1],
        "label": lambda n: (f"DELETE WHERE {{ <{PLI}{pairs[n % len(pairs)][1]}> <{RDFS}label> ?l }} ; INSERT DATA "
                            f"{{ <{PLI}{pairs[n % len(pairs)][1]}> <{RDFS}label> \"renamed {n}\"@en }}"),
        "delete claim": lambda n: f"DELETE WHERE {{ <{PLC}bench-{n}--causes--{pairs[(n + 1) % len(pairs)][1]}> ?p ?o }}",
    }
    for kind, update in kinds.items():
        moves, questions = [], []
        for number in range(writes):
            knowledge.store.update(update(number))
            start = time.perf_counter()
            knowledge.projection  # noqa: B018 -- moves the projection on: what this measures
            moves.append(time.perf_counter() - start)
            start = time.perf_counter()
            knowledge.paths(*pairs[number % len(pairs)])
            questions.append(time.perf_counter() - start)
        row[f"{kind}: move"] = _summary(moves)
        row[f"{kind}: question after"] = _summary(questions)
    return row


def paths(client: httpx.Client, source: str, target: str, **params) -> str | None:
    """The text of ``/api/paths``' answer; None when it says 503 (busy: a question waited too long for
    the path engine, which the start-up build and a full rebuild make it do)."""
    response = client.get("/api/paths", params={"from": source, "to": target, **params})
    if response.status_code == 503:
        return None
    response.raise_for_status()
    return response.text


def write_to_visible(label: str, entities: int, writes: int, work: Path) -> dict:
    """Seconds from a SPARQL update to ``/api/paths`` answering with it, on the real ``painlink serve``."""
    data_dir = work / f"data-{label}"
    painlink = [sys.executable, "-m", "painlink.cli"]
    start = time.perf_counter()
    subprocess.run([*painlink, "load", "--data-dir", str(data_dir), str(bench_data(label, entities))],
                   check=True, stdout=subprocess.DEVNULL)
    row: dict = {"painlink load s": round(time.perf_counter() - start, 1)}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINLINK_")}
    env["PAINLINK_UPDATE_TOKEN"] = TOKEN
    log_path = work / f"serve-{label}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([*painlink, "serve", "--data-dir", str(data_dir), "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_serving(process, base, log_path, 900)
        pairs = generate.path_pairs(entities, count=max(writes, 1))
        with httpx.Client(base_url=base, timeout=900) as client:
            start = time.perf_counter()
            while paths(client, pairs[0][0], pairs[0][1]) is None:  # the start-up build is still running
                time.sleep(0.5)
            row["first /api/paths s"] = round(time.perf_counter() - start, 2)
            seconds = []
            for number in range(writes):
                subject, obj = pairs[number % len(pairs)][0], pairs[(number + 3) % len(pairs)][1]
                claim, update = new_claim(10_000 + number, subject, obj)
                start = time.perf_counter()
                response = client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
                response.raise_for_status()
                while True:
                    answer = paths(client, subject, obj, max_length=1)
                    if answer is not None and claim in answer:
                        break
                    if time.perf_counter() - start > 600:
                        raise SystemExit(f"claim {claim} not visible to /api/paths after 600 s")
                seconds.append(time.perf_counter() - start)
            row["write to visible"] = _summary(seconds)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:  # busy building: stop it, and let the real error show
            process.kill()
            process.wait()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k, 10k, 100k")
    parser.add_argument("--visible-sizes", default="100k", help="sizes for the write-to-visible part ('' for none)")
    parser.add_argument("--writes", type=int, default=10, help="writes of each kind per size")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    report: dict = {"load averages at start": os.getloadavg(), "cpus": os.cpu_count(), "sizes": {}}
    print(f"load averages {os.getloadavg()}, {os.cpu_count()} cpus", flush=True)
    visible = {s for s in args.visible_sizes.split(",") if s}
    with tempfile.TemporaryDirectory(prefix="painlink-bench-projection-") as tmp:
        for label in args.sizes.split(","):
            entities = SIZES[label]
            row = in_process(label, entities, args.writes)
            print(f"[{label}] in process: {json.dumps(row)}", flush=True)
            if label in visible:
                row.update(write_to_visible(label, entities, args.writes, Path(tmp)))
                print(f"[{label}] write to visible: {json.dumps(row['write to visible'])} "
                      f"(first /api/paths {row['first /api/paths s']} s)", flush=True)
            report["sizes"][label] = row
    report["load averages at end"] = os.getloadavg()
    print(f"load averages {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
