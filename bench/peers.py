"""Servers the benchmark compares painlink with, started as subprocesses.

    python bench/peers.py rdflib-endpoint DATA.nt --port 8123
    python bench/peers.py asgi-floor - --port 8124

``rdflib-endpoint`` parses the file into an in-memory ``rdflib.Graph`` (rdflib-endpoint's usual setup)
and serves the SPARQL endpoint at ``/sparql`` with uvicorn, one worker, like ``painlink serve``.

``asgi-floor`` is not a SPARQL server: a bare ASGI app under the same uvicorn that answers every
``GET /sparql`` with one fixed, tiny SPARQL JSON result. Its throughput is the most any single-worker
Python/uvicorn server can reach on this machine with the benchmark's client -- the ceiling against
which painlink's and rdflib-endpoint's figures should be read.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="start a peer server for the benchmark")
    parser.add_argument("peer", choices=["rdflib-endpoint", "asgi-floor"])
    parser.add_argument("data", help="the file to serve (ignored by asgi-floor: give -)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    import uvicorn

    if args.peer == "asgi-floor":
        uvicorn.run(_floor, host="127.0.0.1", port=args.port, log_level="warning", lifespan="off")
        return 0

    import rdflib
    from rdflib_endpoint import SparqlEndpoint

    graph = rdflib.Graph()
    graph.parse(args.data)
    app = SparqlEndpoint(graph=graph, path="/sparql", public_url=f"http://127.0.0.1:{args.port}/sparql")
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


_FLOOR_BODY = b'{"head":{"vars":["label"]},"results":{"bindings":[{"label":{"type":"literal","value":"x"}}]}}'
_FLOOR_HEADERS = [(b"content-type", b"application/sparql-results+json"),
                  (b"content-length", str(len(_FLOOR_BODY)).encode())]


async def _floor(scope: dict, receive, send) -> None:
    """The whole asgi-floor app: read nothing, answer the fixed result."""
    await send({"type": "http.response.start", "status": 200, "headers": _FLOOR_HEADERS})
    await send({"type": "http.response.body", "body": _FLOOR_BODY})


if __name__ == "__main__":
    sys.exit(main())
