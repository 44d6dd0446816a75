"""What the endpoint hands an evaluator (:class:`QuerySpec`) and what it gets back (:class:`Answer`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from painlink.service.errors import BadRequest, EvaluatorUnavailable, QuerySyntaxError, ResultTooLarge
from painlink.service.messages import Failed, Query

__all__ = ["CHUNK_BYTES", "SPOOL_ABOVE", "Answer", "QuerySpec", "UnacceptableAnswer", "prepared", "raise_for"]

#: Answers longer than this many bytes are spooled to a file by the worker and streamed from it
#: (:mod:`painlink.service.evaluator`); shorter ones come back in the reply itself.
SPOOL_ABOVE = 1 << 20
#: The pieces a spooled answer is streamed in.
CHUNK_BYTES = 1 << 20


#: One query as the endpoint hands it to an evaluator: the worker's own message
#: (:class:`painlink.service.messages.Query`), whose row cap and spool the evaluator fills in
#: (:func:`prepared`) -- one list of fields, not two.
QuerySpec = Query


def prepared(spec: Query, max_rows: int, *, spool_directory: str | None = None, spool_above: int = 0) -> Query:
    """``spec`` as a worker evaluates it: the evaluator's row cap and spool, and the prefixes only
    where the format uses them."""
    return spec._replace(max_rows=max_rows, prefixes=spec.prefixes if spec.graph_format in ("turtle", "trig") else None,
                         spool_directory=spool_directory, spool_above=spool_above)


@dataclass(frozen=True)
class Answer:
    """A serialised answer: ``kind`` is ``results`` (SELECT), ``boolean`` (ASK) or ``graph``
    (CONSTRUCT/DESCRIBE), in the format the spec asked for that kind. A short answer is ``body``; a
    long one is ``spooled``, an open file (already unlinked) that :meth:`chunks` reads and closes."""

    kind: str
    body: bytes = b""
    spooled: BinaryIO | None = field(default=None, compare=False)

    @property
    def size(self) -> int:
        """The answer's length in bytes."""
        return len(self.body) if self.spooled is None else os.fstat(self.spooled.fileno()).st_size

    def chunks(self) -> Iterator[bytes]:
        """The answer in pieces of at most :data:`CHUNK_BYTES` (a spooled file is closed at the end)."""
        if self.spooled is None:
            yield self.body
            return
        with self.spooled as file:
            while piece := file.read(CHUNK_BYTES):
                yield piece

    def read(self) -> bytes:
        """The whole answer (for callers that need it in one piece; the endpoint streams instead)."""
        return b"".join(self.chunks())

    def close(self) -> None:
        """Let go of a spooled answer's file (its disk space is freed with it), read or not."""
        if self.spooled is not None:
            self.spooled.close()


class UnacceptableAnswer(Exception):
    """Raised when the answer is of a ``kind`` for which the client accepts no format (or the chosen
    format cannot hold it); the endpoint turns it into 406 with the formats it could have sent."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


def raise_for(reply: Failed) -> None:
    """Turn a worker's :class:`~painlink.service.messages.Failed` into the service's exception."""
    code, message = reply.code, reply.message
    if code == "syntax":
        raise QuerySyntaxError(f"the query does not parse: {message}")
    if code == "too_large":
        raise ResultTooLarge(message)
    if code == "not_acceptable":
        kind = message.split(":", 1)[0]
        raise UnacceptableAnswer(kind, message.partition(": ")[2])
    if code == "eval":
        raise BadRequest(f"the query failed while running: {message}")
    raise EvaluatorUnavailable(f"the query evaluator failed: {message}")

