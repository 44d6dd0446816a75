"""A small, lean HTTP/1.1 load client for the benchmark (the same client for every server).

On a 2-core machine the load generator competes with the server for CPU, so a heavy client (httpx
in asyncio costs ~0.5 ms of CPU a request) caps every server at the client's own speed and hides the
differences between them. This client keeps one keep-alive connection per worker, sends pre-encoded
GET requests and reads only the status line, the headers it needs and the body's length
(Content-Length or chunked) -- a few microseconds of Python a request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

__all__ = ["Load", "hammer"]


@dataclass
class Load:
    """What one throughput run saw."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        ordered = sorted(self.latencies) or [float("nan")]
        return {
            "req/s": self.requests / self.seconds if self.seconds else 0.0,
            "p50 ms": ordered[len(ordered) // 2],
            "p99 ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "errors": self.errors,
        }


def _request(url: str, params: dict[str, object], accept: str) -> bytes:
    parts = urlsplit(url)
    target = parts.path + ("?" + urlencode(params) if params else "")
    return (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: {accept}\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked = None, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _run(
    url: str, make_params: Callable[[int], dict[str, object]], total: int, concurrency: int,
    limit_seconds: float, accept: str,
) -> Load:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [_request(url, make_params(n), accept) for n in range(total)]
    load = Load()
    numbers = iter(range(total))
    start = time.perf_counter()

    async def worker() -> None:
        reader = writer = None
        for number in numbers:
            if time.perf_counter() - start > limit_seconds:
                break
            began = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(requests[number])
                ok = await _read_response(reader) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                ok = False
                if writer is not None:
                    writer.close()
                reader = writer = None
            load.latencies.append((time.perf_counter() - began) * 1000)
            load.requests += 1
            load.errors += 0 if ok else 1
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    load.seconds = time.perf_counter() - start
    return load


def hammer(
    url: str,
    make_params: Callable[[int], dict[str, object]],
    total: int,
    concurrency: int,
    *,
    limit_seconds: float = 60.0,
    accept: str = "application/sparql-results+json, application/json",
) -> Load:
    """Send ``total`` GET requests to ``url`` (query parameters ``make_params(n)``) from
    ``concurrency`` keep-alive connections; stop early after ``limit_seconds``."""
    return asyncio.run(_run(url, make_params, total, concurrency, limit_seconds, accept))
