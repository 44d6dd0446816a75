"""How a remote store notices writes it did not make: by other painlink front-ends, and by other clients.

SPARQL has no standard "last modified", so :attr:`RemoteStore.version
<painlink.graph.stores.remote.RemoteStore.version>` compares a *fingerprint* of the server at most
once every ``refresh_interval`` seconds (default 5; ``None`` turns the check off) when someone reads
the version, and moves the version when the fingerprint moved. The fingerprint has two parts:

* **the change stamp**: every write painlink makes ends with one more operation, in the same request,
  that replaces a random stamp in painlink's records graph (:func:`with_stamp`). So a write through
  any painlink front-end over the same server -- even one that replaces a label one for one -- is
  noticed by every other front-end within the interval. This is what makes several front-ends over
  one store sound (README, "One store, several front-ends").
* **the number of quads**: a write by a client that is not painlink (no stamp) is noticed when it
  adds or removes triples; one that replaces triples one for one is noticed with the next change of
  either part. A stronger fingerprint (a sum over every object's string) was measured at 6 s on 1.7
  million triples against 0.9 s for the count, too slow to poll.

Painlink's own writes move the version at once and take the fingerprint right after (a write by
someone else in the milliseconds between the two is noticed with the next change).
"""

from __future__ import annotations

import uuid

__all__ = ["STAMP_SUBJECT", "STAMP_VALUE", "with_stamp", "stamp_update", "stamp_query"]

STAMP_SUBJECT = "urn:painlink:record:change"
STAMP_VALUE = "urn:painlink:record:value"


def stamp_update(records_graph: str) -> str:
    """The update that replaces the change stamp with a new random one."""
    return (
        f"DELETE WHERE {{ GRAPH <{records_graph}> {{ <{STAMP_SUBJECT}> <{STAMP_VALUE}> ?stamp }} }} ;\n"
        f'INSERT DATA {{ GRAPH <{records_graph}> {{ <{STAMP_SUBJECT}> <{STAMP_VALUE}> "{uuid.uuid4().hex}" }} }}'
    )


def with_stamp(sparql: str, records_graph: str) -> str:
    """``sparql`` (an update) followed by :func:`stamp_update`, as one request.

    >>> print(with_stamp("INSERT DATA { <http://e/a> <http://e/p> 1 } ; # a comment;", "urn:r")[:60])
    INSERT DATA { <http://e/a> <http://e/p> 1 } ; # a comment
    ;
    """
    # A request may end with one ';' (the grammar allows it) but not hold two in a row; a ';' ending a
    # comment is the comment's, and dropping it changes nothing.
    text = sparql.rstrip()
    if text.endswith(";"):
        text = text[:-1]
    return f"{text}\n;\n{stamp_update(records_graph)}"


def stamp_query(records_graph: str) -> str:
    """The SELECT of the current stamp(s) (``?stamp``)."""
    return f"SELECT ?stamp WHERE {{ GRAPH <{records_graph}> {{ <{STAMP_SUBJECT}> <{STAMP_VALUE}> ?stamp }} }}"
