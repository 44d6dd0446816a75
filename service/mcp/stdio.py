"""``painlink mcp``: the MCP server over standard input and output, as a desktop assistant launches it.

    painlink mcp [--data FILE ...] [--memory | --data-dir DIR | --store URL] [limits ...]

It takes ``painlink serve``'s options and ``PAINLINK_*`` variables (:mod:`painlink.service.serve`:
one declaration of each), but serves no HTTP: the service app is built and started in this process
(store, evaluator processes, path pool) and the SDK's stdio transport connects the MCP server to it.
Without a store option the graph is the shipped ontology (plus ``--data``) in memory, like the other
``painlink`` commands. Standard output carries the protocol alone; messages go to standard error.
"""

from __future__ import annotations

import argparse
import logging
import sys

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from painlink.service.serve import add_arguments

    parser = argparse.ArgumentParser(
        prog="painlink mcp",
        description="Serve painlink's read-only MCP tools and resources over stdio (for AI assistants). "
        "Takes painlink serve's store and limit options; the listening ones do not apply.",
    )
    add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``painlink mcp`` with ``argv`` (the arguments after ``mcp``) until standard input closes."""
    import anyio

    from painlink.service.app import create_app
    from painlink.service.serve import configure, overrides

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="painlink mcp: %(message)s")
    given = overrides(build_parser().parse_args(argv))
    if not {"memory", "data_dir", "store_url"} & set(given):
        given["memory"] = True  # a desktop assistant's own copy: nothing written to the working directory
    configured = configure("painlink mcp", given)
    if isinstance(configured, int):
        return configured
    settings, store = configured
    try:
        anyio.run(_serve, create_app(settings, store=store))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


async def _serve(app) -> None:  # a FastAPI app
    from mcp.server.stdio import stdio_server

    from painlink.service.mcp.server import build_server

    server = build_server(app)
    # The transport first: while it serves, file descriptors 0 and 1 point away from the wire, so the
    # query processes the app starts next cannot write into the protocol stream.
    async with stdio_server() as (read, write), app.router.lifespan_context(app):
        await server.run(read, write, server.create_initialization_options())
