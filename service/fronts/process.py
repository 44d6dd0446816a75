"""One front process: ``python -m painlink.service.fronts.process`` (started by :mod:`.supervisor`).

It reads its orders from standard input -- a pickled :class:`Orders`, from the serving process, which
keeps the pipe open for as long as it lives -- binds the service's address with ``SO_REUSEPORT``
beside the other fronts, cuts itself off the network unless federated queries are allowed (like a
query worker, :mod:`painlink.service.sandbox`: the listening socket, already bound, keeps working, as
does the serving process's Unix socket), and serves :func:`~.app.create_front_app` with uvicorn.

It tells the supervisor on standard output when it is ``ready`` (listening) and when it is
``retiring`` (a query overran: the supervisor starts its successor, then stops it). From an overrun on
it forwards every query to the serving process. It ends on SIGTERM (no new connections, the requests
in hand finish) or when the serving process closes the pipe (or dies); after an overrun its exit
status is :data:`RETIRED`.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import socket
import sys
from dataclasses import dataclass

__all__ = ["RETIRED", "Orders", "bind", "main", "until_started"]

#: The exit status of a front that retired after a query overran (the supervisor starts another).
RETIRED = 3
#: Seconds a retiring front gives the requests in hand before it ends anyway.
RETIRE_GRACE = 10.0


@dataclass(frozen=True)
class Orders:
    """What the serving process tells a front."""

    settings: dict  # Settings fields (secrets as SecretStr: the pipe is private)
    name: str
    socket_path: str
    board_path: str
    secret: str


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT`` (not yet listening): every process that
    binds the same way shares the port, and the kernel spreads new connections among those listening."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _tell(word: str) -> None:
    """A line to the supervisor (standard output is its pipe): ``ready``, ``retiring``."""
    try:
        sys.stdout.write(word + "\n")
        sys.stdout.flush()
    except OSError:  # the serving process is gone: standard input says so too
        pass


async def until_started(server) -> None:  # type: ignore[no-untyped-def]
    """Return once the uvicorn ``server`` listens (uvicorn has no event for it, only the flag)."""
    while not server.started:
        await asyncio.sleep(0.02)


async def _ready_when(server) -> None:  # type: ignore[no-untyped-def]
    await until_started(server)
    _tell("ready")


#: How long a thread may hold the GIL while another asks for it (CPython's default: 5 ms). A query
#: thread, between pyoxigraph's calls (which let go of the GIL), waits for the event loop's thread;
#: a shorter turn lets each query finish sooner. Measured, 1k graph, 2 fronts, c=8, load ~4:
#: 5.2-6.4k req/s at 0.5 ms against 4.0k at 5 ms (0.1 ms: 3.7k, the turns themselves cost).
SWITCH_INTERVAL = 0.0005


def main() -> int:
    sys.setswitchinterval(SWITCH_INTERVAL)
    orders: Orders = pickle.load(sys.stdin.buffer)  # noqa: S301 - from the serving process
    from painlink.service.settings import Settings

    settings = Settings(**orders.settings)
    sock = bind(settings.host, settings.port)
    sock.listen(2048)
    if not settings.allow_service:
        from painlink.service import sandbox

        measure = sandbox.isolate()  # before any thread starts (a user namespace needs one thread)
        if not measure.endswith("namespace"):
            print(f"painlink front {orders.name}: {measure}; SERVICE is stopped only by the check", file=sys.stderr)
    return _run(settings, orders, sock)


def _run(settings, orders: Orders, sock: socket.socket) -> int:  # type: ignore[no-untyped-def]
    import uvicorn

    from painlink.service.connections import protocol_for
    from painlink.service.fronts.app import create_front_app
    from painlink.service.fronts.lane import QueryLane, lane_protocol

    retired = False

    def retire() -> None:
        # The overrunning thread goes on until the process ends. This front keeps taking requests,
        # forwarding its queries to the serving process, until its successor is listening (the
        # supervisor then stops it).
        nonlocal retired
        retired = True  # (the evaluator calls this once, for the first overrun)
        print(f"painlink front {orders.name}: a query overran; retiring (another front takes its place)",
              file=sys.stderr)
        _tell("retiring")

    app = create_front_app(settings, socket_path=orders.socket_path, board_path=orders.board_path,
                           secret=orders.secret, name=orders.name, on_overrun=retire)
    protocol = lane_protocol(protocol_for(settings), QueryLane(app))
    config = uvicorn.Config(app, log_level="warning", access_log=False, http=protocol,
                            proxy_headers=False,  # the front is where clients connect: nothing before it
                            timeout_graceful_shutdown=RETIRE_GRACE, lifespan="on")
    server = uvicorn.Server(config)

    async def serve() -> None:
        loop = asyncio.get_running_loop()

        def orphaned() -> None:
            loop.remove_reader(sys.stdin.fileno())
            server.should_exit = True

        # The serving process holds the other end of standard input: end of file means it is gone.
        loop.add_reader(sys.stdin.fileno(), orphaned)
        ready = loop.create_task(_ready_when(server))
        await server.serve(sockets=[sock])
        ready.cancel()

    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(serve())
    sys.stdout.flush()
    sys.stderr.flush()
    # A thread may still be running the overrun query: only the end of the process stops it.
    os._exit(RETIRED if retired else 0)


if __name__ == "__main__":
    sys.exit(main())
