"""``GET /store`` of a large graph streams in bounded memory (issue 10, finding 12), on a real
``painlink serve`` of a persistent store filled by ``painlink load``.

Before: each GET serialised the whole graph in memory first; 8 parallel GETs of a 1M-triple graph
returned 87 MB each and the server peaked at 1.8 GB. Now the dump is streamed through a small queue:
the server's peak resident memory grows by far less than one answer per request.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import httpx
import pytest
from bench_generator import bench_generator
from servers import painlink_command

pytestmark = pytest.mark.slow

ENTITIES = 12_000  # about 215,000 triples, a 37 MB N-Triples answer
PARALLEL = 8


def peak_rss(pid: int) -> int:
    """The process's peak resident set size so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc")


def test_parallel_reads_of_a_large_graph_stay_in_bounded_memory(start_server, tmp_path: Path) -> None:
    data = tmp_path / "large.nt"
    triples = bench_generator().write(ENTITIES, data)
    data_dir = tmp_path / "data"
    loaded = subprocess.run([*painlink_command(), "load", str(data), "--data-dir", str(data_dir)],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    served = start_server(data_dir=data_dir)
    with httpx.Client(timeout=120) as client:  # warm up: caches, the path engine's first build
        client.get(served.base_url + "/api/entities", params={"q": "synthetic"})
        one = client.get(served.base_url + "/store?default", headers={"Accept": "application/n-triples"})
    assert one.status_code == 200
    size = len(one.content)
    assert one.content.count(b"\n") >= triples  # the whole graph (and the shipped ontology)
    before = peak_rss(served.process.pid)
    sizes: list[int] = []

    def read() -> None:
        with httpx.stream("GET", served.base_url + "/store?default", headers={"Accept": "application/n-triples"},
                          timeout=120) as response:
            assert response.status_code == 200
            sizes.append(sum(len(chunk) for chunk in response.iter_bytes()))

    readers = [threading.Thread(target=read) for _ in range(PARALLEL)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(180)
    growth = peak_rss(served.process.pid) - before
    assert sizes == [size] * PARALLEL
    print(f"{PARALLEL} parallel GET /store of {size / 1e6:.0f} MB each: peak RSS grew {growth / 1e6:.0f} MB")
    assert growth < PARALLEL * size / 4, f"peak RSS grew {growth / 1e6:.0f} MB for {PARALLEL} answers of {size / 1e6:.0f} MB"
