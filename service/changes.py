"""The recent writes, as the query workers can replay them on their replicas.

After a write, a worker's replica used to be rebuilt whole (an N-Quads dump of the store bulk-loaded
again, or a fresh checkpoint opened): seconds per worker on a 200k-triple store, for a one-triple
``INSERT DATA``. Instead the evaluator (:mod:`painlink.service.evaluator`) records each write it makes
here, keyed by the store version it started from, as a *change* the worker applies to its replica
(:mod:`painlink.service.replica`):

* ``("update", text, base_iri)`` -- a SPARQL update (Graph Store PUT and DELETE are updates too,
  :func:`painlink.graph.stores.replacement_update`);
* ``("add", data, media_type, graph, base_iri)`` -- a Graph Store POST's body.

A worker behind by a few versions gets the changes between, in order, in one message; the replica
rebuild remains for new workers, for a chain with a gap (a write that cannot be replayed, or one the
evaluator did not make), and for changes that failed. An update is replayable only if running it
again gives the same triples: not with ``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``
(new values each time), ``LOAD`` or ``SERVICE`` (another server's answer), or text the tokenizer
cannot read.

>>> log = ChangeLog()
>>> log.add(3, 4, ("update", "INSERT DATA { <urn:a> <urn:b> 1 }", None))
>>> log.add(4, 5, ("update", "CLEAR DEFAULT", None))
>>> [change[1] for change in log.between(3, 5)]
['INSERT DATA { <urn:a> <urn:b> 1 }', 'CLEAR DEFAULT']
>>> log.between(2, 5) is None   # the write from 2 to 3 is not known: rebuild
True
>>> replayable('INSERT { ?s <urn:at> ?t } WHERE { ?s ?p ?o BIND(NOW() AS ?t) }')
False
"""

from __future__ import annotations

from collections import OrderedDict

from painlink.service.sparql_lexer import tokenize

__all__ = ["MAX_CHANGES", "MAX_CHANGE_BYTES", "ChangeLog", "replayable"]

#: How much of the recent past is kept: a worker further behind is rebuilt.
MAX_CHANGES = 500
MAX_CHANGE_BYTES = 64 * 1024 * 1024
#: Words that make an update give other triples when it runs again (or fetch from elsewhere).
_UNREPEATABLE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE", "LOAD", "SERVICE"})


def replayable(text: str) -> bool:
    """Whether the update ``text`` gives the same triples on a replica as on the store."""
    try:
        tokens = tokenize(text)
    except Exception:  # noqa: BLE001 -- anything the tokenizer cannot read is not replayed
        return False
    return not any(token.keyword in _UNREPEATABLE for token in tokens)


def _size(change: tuple) -> int:
    return sum(len(part) for part in change if isinstance(part, (str, bytes)))


class ChangeLog:
    """The last writes: store version before -> (version after, change). Used from the event loop only."""

    def __init__(self, *, max_changes: int = MAX_CHANGES, max_bytes: int = MAX_CHANGE_BYTES) -> None:
        self._entries: OrderedDict[int, tuple[int, tuple]] = OrderedDict()
        self._bytes = 0
        self.max_changes, self.max_bytes = max_changes, max_bytes

    def add(self, before: int, after: int, change: tuple | None) -> None:
        """Record the write that took the store from ``before`` to ``after``; ``None``: it cannot be
        replayed (workers that were at ``before`` are rebuilt)."""
        if change is None or after != before + 1 or _size(change) > self.max_bytes:
            return
        self._entries[before] = (after, change)
        self._bytes += _size(change)
        while len(self._entries) > self.max_changes or self._bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= _size(dropped)

    def get(self, before: int) -> tuple[int, tuple] | None:
        return self._entries.get(before)

    def between(self, start: int, end: int) -> list[tuple] | None:
        """The changes from version ``start`` to ``end``, in order; None if one is missing."""
        changes = []
        version = start
        while version != end:
            entry = self._entries.get(version)
            if entry is None or entry[0] > end:
                return None
            version, change = entry
            changes.append(change)
        return changes
