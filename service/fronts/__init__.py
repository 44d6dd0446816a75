"""Front processes: several processes answering ``/sparql`` queries on one port, beside the serving one.

``painlink serve --fronts N`` starts N front processes that listen on the service's port (``SO_REUSEPORT``:
the kernel spreads connections among them) while the serving process -- the store, the path engine,
every write -- listens on a private Unix socket. A front answers a SPARQL query itself, from a replica
of the store in its own memory, when the query needs nothing else (no painlink extension, no HTML
page) and its replica is current (:mod:`.board`); everything else it forwards to the serving process
unchanged (:mod:`.proxy`). So one Python event loop is no longer the ceiling of ``/sparql``: each core
runs one, and a query costs no hop between processes.

* :mod:`.board` -- the store's version, published after every write (read-your-writes on every front);
* :mod:`.evaluator` -- a front's replica and its queries, in threads under the timeout;
* :mod:`.proxy` -- forwarding a request to the serving process;
* :mod:`.app` -- a front's ASGI app: what it answers and what it forwards;
* :mod:`.process` -- ``python -m painlink.service.fronts.process``, one front;
* :mod:`.supervisor` -- in the serving process: starts, watches and replaces the fronts, and hands
  them their replicas.

A query still runs under the timeout, but pyoxigraph cannot stop a query (see
:mod:`painlink.service.replica`): a front whose query overran answers 503 as the serving process would,
stops taking connections, finishes what it has in hand and exits; the supervisor starts another. The
checks before evaluation (token, limits, SERVICE/LOAD refusal with both readers) are the endpoint's
own: a front runs :func:`painlink.service.sparql.endpoint.sparql_endpoint`.
"""
