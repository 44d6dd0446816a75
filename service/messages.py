"""What the service and its query processes say to each other: one typed message a request, one a reply.

The service (:mod:`painlink.service.evaluator`) sends a request as a frame (:mod:`painlink.service.wire`);
the process (:mod:`painlink.service.replica`) answers each with one reply. Named tuples: typed fields
for both ends, and as cheap to pickle as the plain tuples they replace (a simple query makes two
frames, so this is on the hottest path). Standard library only: the query processes import it.

Requests:

* :class:`Load` -- replace the replica with a fresh in-memory store bulk-loaded from an N-Quads dump
  (a path, or the bytes themselves when no dump could be written: a full disk); :class:`Open` --
  replace it with the on-disk checkpoint in ``directory`` (this process's alone). Reply :class:`Done`.
* :class:`Query` -- evaluate and serialise. Reply :class:`Answered`; or :class:`Spooled` when
  ``spool_directory`` is set and the answer is longer than ``spool_above`` bytes: it was written to
  a new file there, which the service opens, unlinks and streams (a large answer never crosses the
  pipe, nor sits whole in the service).
* :class:`Update` -- apply an update to the replica: a rehearsal that shows the update ends within the
  timeout before the service applies it to the real store. Reply :class:`Done`.
* :class:`Apply` -- replay the service's last writes in order (the changes of
  :mod:`painlink.service.changes`), so the replica follows the store without a reload. Reply :class:`Done`.
* :class:`Verify` -- rdflib's reading of the text's SERVICE targets and LOADs. Reply :class:`Checked`,
  or :class:`Failed` with code ``unreadable`` when rdflib cannot parse it.

Any failure is a :class:`Failed`; its ``code`` is ``syntax`` (the parser's message), ``too_large``
(result cap), ``not_acceptable`` (no negotiated format for this kind of answer, or a format that
cannot hold it; the message starts with the kind), ``eval`` (evaluation failed), ``unreadable`` or
``internal``.

>>> import pickle
>>> pickle.loads(pickle.dumps(Answered("boolean", b"{}")))
Answered(kind='boolean', body=b'{}')
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union

__all__ = [
    "Answered", "Apply", "Checked", "Done", "Failed", "Load", "Open", "Query", "Reply", "Request",
    "Spooled", "Update", "Verify",
]


# --- requests ---------------------------------------------------------------------------------------
class Load(NamedTuple):
    source: str | bytes  # a dump's path, or the dump itself


class Open(NamedTuple):
    directory: str


class Query(NamedTuple):
    """One query: ``default_graph`` / ``named_graphs`` are IRI lists, or None for the store's own
    dataset (``""`` in ``default_graph`` is the store's default graph); ``results_format`` /
    ``graph_format`` what content negotiation chose for a tabular or an RDF answer (None when the
    client accepts none); ``prefixes`` for Turtle/TriG."""

    query: str
    base_iri: str | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    max_rows: int = 100_000
    prefixes: dict[str, str] | None = None
    spool_directory: str | None = None
    spool_above: int = 0


class Update(NamedTuple):
    text: str
    base_iri: str | None


class Apply(NamedTuple):
    changes: list[tuple[Any, ...]]


class Verify(NamedTuple):
    text: str
    is_update: bool


Request = Union[Load, Open, Query, Update, Apply, Verify]


# --- replies ----------------------------------------------------------------------------------------
class Done(NamedTuple):
    pass


class Answered(NamedTuple):
    kind: str  # results (SELECT), boolean (ASK) or graph (CONSTRUCT/DESCRIBE)
    body: bytes


class Spooled(NamedTuple):
    kind: str
    path: str


class Checked(NamedTuple):
    services: tuple[str, ...]
    loads: int


class Failed(NamedTuple):
    code: str
    message: str


Reply = Union[Done, Answered, Spooled, Checked, Failed]
