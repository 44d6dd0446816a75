"""``painlink serve``: run the service with uvicorn.

    painlink serve [--host 127.0.0.1] [--port 8000] [--data FILE ...] [--update-token TOKEN]
                   [--memory | --data-dir DIR | --store URL [--store-update URL]]

Every option has a ``PAINLINK_*`` environment variable (:class:`~painlink.service.settings.Settings`);
an option given on the command line wins. The store is opened (and the ``--data`` files loaded) before
the server starts listening, so a bad file or an unusable data directory ends the command with a
message naming it and a non-zero status, and nothing is served half-built.

>>> args = build_parser().parse_args(["--port", "9000", "--data", "a.ttl", "--data", "b.ttl", "--memory"])
>>> overrides(args)
{'port': 9000, 'data': ['a.ttl', 'b.ttl'], 'memory': True}
"""

from __future__ import annotations

import argparse
import signal
import sys

from pydantic import ValidationError

__all__ = ["add_arguments", "build_parser", "configure", "main", "overrides"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` options (for a ``painlink`` subcommand parser). Defaults are None so that only
    options actually given override the environment."""
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the service's address as clients reach it, e.g. behind a reverse proxy "
                             "(default http://HOST:PORT); used for the service description and redirects")
    parser.add_argument("--data", action="append", metavar="FILE",
                        help="an extra RDF file to serve beside the shipped ontology (repeatable)")
    parser.add_argument("--update-token", metavar="TOKEN",
                        help="enable SPARQL Update and Graph Store writes for clients sending "
                             "'Authorization: Bearer TOKEN' (prefer PAINLINK_UPDATE_TOKEN: a command "
                             "line is visible to other users of the machine)")
    store = parser.add_argument_group("store (default: the persistent store in --data-dir)")
    store.add_argument("--memory", action="store_true", default=None,
                       help="keep the graph in memory only (lost when the server stops)")
    store.add_argument("--data-dir", metavar="DIR", help="directory of the persistent store (default ./data)")
    store.add_argument("--store", dest="store_url", metavar="URL",
                       help="use the SPARQL 1.1 server at this query URL as the store")
    store.add_argument("--store-update", dest="store_update_url", metavar="URL",
                       help="that server's update URL (without it the remote store is read-only)")
    store.add_argument("--store-refresh-interval", type=float, metavar="SECONDS",
                       help="how often to check the remote store for writes by other clients (default 5)")
    store.add_argument("--store-timeout", type=float, metavar="SECONDS",
                       help="how long to wait for the remote store before answering 503 (default 30)")
    limits = parser.add_argument_group("limits and security")
    limits.add_argument("--query-timeout", type=float, metavar="SECONDS",
                        help="stop a query after this long and answer 503 (default 5)")
    limits.add_argument("--max-result-rows", type=int, metavar="N",
                        help="largest answer, in rows or triples (default 100000)")
    limits.add_argument("--max-body-bytes", type=int, metavar="N",
                        help="largest request body: query, update or upload (default 16 MiB)")
    limits.add_argument("--max-query-length", type=int, metavar="N",
                        help="longest query or update, in characters (default 100000)")
    limits.add_argument("--max-path-length", type=int, metavar="N",
                        help="longest causal chain a path search may ask for, 1 to 10 (default 8)")
    limits.add_argument("--max-answers", type=int, metavar="N",
                        help="most paths, hits or explanations one request may ask for, 1 to 100 (default 50)")
    limits.add_argument("--header-timeout", type=float, metavar="SECONDS",
                        help="close a connection whose request head takes longer than this (default 10)")
    limits.add_argument("--body-timeout", type=float, metavar="SECONDS",
                        help="close a connection whose request body takes longer than this (default 60)")
    limits.add_argument("--max-connections", type=int, metavar="N",
                        help="most connections open at once; more are answered 503 (default 1000)")
    limits.add_argument("--max-requests", type=int, metavar="N",
                        help="most requests in progress at once; more are answered 503 (default 200)")
    limits.add_argument("--path-max-expansions", type=int, metavar="N",
                        help="most search steps one path question may take before it answers 503 (default 3000000)")
    limits.add_argument("--path-max-candidates", type=int, metavar="N",
                        help="most candidates one explain or interventions question may weigh (default 5000)")
    limits.add_argument("--path-questions", type=int, metavar="N",
                        help="path questions computed at once (default 2)")
    limits.add_argument("--path-queue", type=int, metavar="N",
                        help="path questions that may wait for one of those; more answer 503 (default 8)")
    limits.add_argument("--query-workers", type=int, metavar="N",
                        help="processes evaluating queries (default: one a core, at least 2)")
    limits.add_argument("--query-workers-max", type=int, metavar="N",
                        help="most query processes when slow queries hold all the others "
                             "(default twice --query-workers)")
    limits.add_argument("--fronts", type=int, metavar="N",
                        help="front processes answering SPARQL queries on the port beside this one, each "
                             "from its own replica (embedded stores only; default 0: one process answers all)")
    limits.add_argument("--cors-origin", dest="cors_origins", action="append", metavar="ORIGIN",
                        help="allow browsers on this origin to call the service (repeatable; off by default)")
    limits.add_argument("--allow-service", action="store_true", default=None,
                        help="allow federated queries (SERVICE): the server will fetch the URLs queries name")
    limits.add_argument("--allow-load", action="store_true", default=None,
                        help="allow SPARQL LOAD: the server will fetch the URLs updates name")
    limits.add_argument("--mcp-http", action="store_true", default=None,
                        help="offer the read-only MCP tools for AI assistants at /mcp (streamable HTTP; "
                             "requests from other origins are refused)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="painlink serve", description="Serve painlink over HTTP.")
    add_arguments(parser)
    return parser


def overrides(args: argparse.Namespace) -> dict:
    """The settings the command line gives (options left out are not included)."""
    return {name: value for name, value in vars(args).items() if value is not None and name != "command"}


def main(argv: list[str] | None = None) -> int:
    """Run ``painlink serve`` with ``argv`` (the arguments after ``serve``)."""
    return run(build_parser().parse_args(argv))


def _raise_file_limit() -> None:
    """Let the process open as many files as the system allows it: each connection is one, and the
    default soft limit (often 1,024) is below what max_connections admits."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else max(soft, 65536), hard))
    except (ImportError, ValueError, OSError):  # not on this platform, or not allowed: keep the limit
        pass


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def configure(prog: str, given: dict) -> tuple | int:
    """``(settings, store)`` for the options ``given`` (and the ``PAINLINK_*`` environment): the
    store opened and the ``--data`` files admitted. On a bad option or refused data, the reason is
    printed as ``prog: ...`` and the exit status returned instead (2 for an option, 1 for the data
    or the store). Shared by ``painlink serve`` and ``painlink mcp``."""
    from painlink.graph.exceptions import DataRejectedError
    from painlink.graph.stores import StoreError
    from painlink.service.app import open_configured_store
    from painlink.service.settings import Settings

    try:
        settings = Settings(**given)
    except ValidationError as error:
        for problem in error.errors():
            option = "-".join(map(str, problem["loc"])).replace("_", "-")
            print(f"{prog}: --{option}: {problem['msg']}" if option else f"{prog}: {problem['msg']}",
                  file=sys.stderr)
        return 2
    try:
        return settings, open_configured_store(settings)
    except DataRejectedError as error:
        print(f"{prog}: cannot start: {error.explain()}", file=sys.stderr)
        return 1
    except (StoreError, SyntaxError, ValueError, OSError) as error:
        print(f"{prog}: cannot start: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    """Serve with parsed arguments until interrupted; the exit status."""
    import uvicorn

    from painlink.service.app import create_app
    from painlink.service.connections import protocol_for

    configured = configure("painlink serve", overrides(args))
    if isinstance(configured, int):
        return configured
    settings, store = configured
    where = (
        f"remote store {settings.store_url}" if settings.store_url
        else "in-memory store" if settings.memory
        else f"persistent store in {getattr(store, 'path', None)}"
    )
    mode = "updates enabled (token required)" if settings.updates_enabled else "read-only"
    if settings.mcp_http:
        mode += "; MCP for AI assistants at /mcp"
    print(f"painlink: serving http://{settings.host}:{settings.port}/ from the {where}, {mode}", file=sys.stderr)
    # uvicorn stops gracefully on SIGINT/SIGTERM (in-flight requests finish), then raises the signal
    # again for whoever embeds it; with the default handlers that would end the process before the
    # store is closed (or print a KeyboardInterrupt traceback). Here a stop signal means "done":
    # leave through the finally below (a signal before uvicorn took over lands here too).
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _stopped)
    _raise_file_limit()
    try:
        if settings.fronts:
            return _run_with_fronts(settings, store)
        uvicorn.run(create_app(settings, store=store), host=settings.host, port=settings.port,
                    log_level="info", access_log=False, http=protocol_for(settings))
    finally:
        store.close()
    return 0


def _run_with_fronts(settings, store) -> int:  # type: ignore[no-untyped-def]
    """Serve on a private Unix socket while ``settings.fronts`` front processes take the port
    (:mod:`painlink.service.fronts`)."""
    import asyncio
    import shutil
    import tempfile
    from pathlib import Path

    import uvicorn

    from painlink.service.app import create_app
    from painlink.service.connections import protocol_for
    from painlink.service.fronts.process import bind, until_started
    from painlink.service.fronts.supervisor import Supervisor

    try:
        # Held (bound, not listening) while the service runs: the port is checked here, at once,
        # and no process of another user can take it between the fronts' restarts.
        reserved = bind(settings.host, settings.port)
    except OSError as error:
        print(f"painlink serve: cannot listen on {settings.host}:{settings.port}: {error.strerror}", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="painlink-fronts-"))  # private: mode 0700
    socket_path = str(folder / "serving.sock")
    app = create_app(settings, store=store)
    supervisor = Supervisor(app, settings, folder=folder, socket_path=socket_path)
    # Only the fronts reach this socket (the folder is private), and they say who the client was.
    config = uvicorn.Config(app, uds=socket_path, log_level="info", access_log=False, http=protocol_for(settings),
                            proxy_headers=True, forwarded_allow_ips="*")
    server = uvicorn.Server(config)

    async def serve() -> None:
        async def fronts_when_ready() -> None:
            await until_started(server)
            await supervisor.run()

        fronts = asyncio.get_running_loop().create_task(fronts_when_ready())
        try:
            await server.serve()
        finally:
            fronts.cancel()
            await supervisor.stop()

    try:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(serve())
    finally:
        reserved.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0
