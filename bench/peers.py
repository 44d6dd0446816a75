"""Start rdflib-endpoint (the closest peer: rdflib + FastAPI) on a file, for the benchmark.

    python bench/peers.py rdflib-endpoint DATA.nt --port 8123

It parses the file into an in-memory ``rdflib.Graph`` (rdflib-endpoint's usual setup) and serves the
SPARQL endpoint at ``/sparql`` with uvicorn, one worker, like ``painlink serve``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serve a file with rdflib-endpoint")
    parser.add_argument("peer", choices=["rdflib-endpoint"])
    parser.add_argument("data")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    graph = rdflib.Graph()
    graph.parse(args.data)
    app = SparqlEndpoint(graph=graph, path="/sparql", public_url=f"http://127.0.0.1:{args.port}/sparql")
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
