"""Where SPARQL queries run: off the event loop, under a timeout that really stops the work.

pyoxigraph's ``Store.query`` cannot be interrupted (no timeout or cancellation parameter, and a
Python thread cannot be killed), so a query such as a COUNT over a four-way cartesian product would
keep a core busy long after the client was told it timed out. :class:`ProcessEvaluator` therefore
runs queries in worker processes (:mod:`painlink.service.replica`), each with its own read replica of
the store (:mod:`.replicas`), and *kills* the process whose query overruns; a fresh one takes its
place (:mod:`.pool`). Other queries go to the other workers meanwhile, so one pathological query
never holds up the rest. :class:`InlineEvaluator` serves stores that are not embedded (a remote
SPARQL server): the remote server does the work, the HTTP client's timeout bounds the wait.

The parts:

* :mod:`.answers` -- :class:`QuerySpec` (what the endpoint asks) and :class:`Answer` (what it gets);
* :mod:`.base` -- :class:`Evaluator` (writes under one lock, the outbound check's second reading)
  and :class:`InlineEvaluator`;
* :mod:`.process` -- :class:`ProcessEvaluator`: queries, checks and rehearsed updates on workers;
* :mod:`.pool` -- the workers: one free for each query, more when slow queries hold them all;
* :mod:`.replicas` -- each worker's replica kept at the store's version;
* :mod:`.worker` -- one process and its pipe; the messages are :mod:`painlink.service.messages`.

Replies travel as frames (:mod:`painlink.service.wire`) read by the event loop, so a reply of any size
is awaited until whole. An answer longer than :data:`SPOOL_ABOVE` bytes does not travel in a frame at
all: the worker writes it to a file in the scratch directory and replies with its path; the service
opens the file, unlinks it at once (it then lives only as long as the open file) and streams it to the
client in :data:`CHUNK_BYTES` pieces. So the main process never holds a large answer whole, and the
worker is free for the next query as soon as its answer is written, however slowly the client reads.

The overhead of the process hop on a simple query is measured in bench/README.md ("/sparql
evaluation overhead").
"""

from __future__ import annotations

from painlink.graph.stores import OxigraphStore, Store
from painlink.service.evaluator.answers import CHUNK_BYTES, SPOOL_ABOVE, Answer, QuerySpec, UnacceptableAnswer
from painlink.service.evaluator.base import Evaluator, InlineEvaluator
from painlink.service.evaluator.process import ProcessEvaluator

__all__ = [
    "CHUNK_BYTES",
    "SPOOL_ABOVE",
    "Answer",
    "Evaluator",
    "InlineEvaluator",
    "ProcessEvaluator",
    "QuerySpec",
    "UnacceptableAnswer",
    "evaluator_for",
]


def evaluator_for(
    store: Store,
    *,
    timeout: float,
    max_rows: int,
    workers: int,
    prefixes: dict[str, str],
    max_workers: int | None = None,
    network: bool = False,
) -> Evaluator:
    """The evaluator that fits ``store``: worker processes for the embedded store, the store itself
    for anything else."""
    if isinstance(store, OxigraphStore):
        return ProcessEvaluator(
            store, timeout=timeout, max_rows=max_rows, workers=workers, max_workers=max_workers,
            prefixes=prefixes, network=network,
        )
    return InlineEvaluator(store, timeout=timeout, max_rows=max_rows)
