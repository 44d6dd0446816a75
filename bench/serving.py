"""Waiting for a benchmark's own ``painlink serve`` to answer: one loop for every bench script."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

__all__ = ["wait_until_serving"]


def wait_until_serving(process: subprocess.Popen, url: str, log: Path, seconds: float) -> None:
    """Return once ``url`` answers a SPARQL ASK; stop with a message naming ``log`` if the server exits,
    or kill it and stop if it has not answered within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"painlink serve exited with {process.returncode}; see {log}")
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"painlink serve did not answer within {seconds:g} s")
