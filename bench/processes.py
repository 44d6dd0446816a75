"""The benchmark's processes: free ports, the programs to run, a server started and stopped, the
peak memory of a process tree (bench/run.py's part that runs things)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["RESULTS", "Server", "binary", "free_port", "peak_rss_mib", "run_measured", "start_server"]

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


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

