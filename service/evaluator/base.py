"""The evaluator's common part (writes, the outbound check's second reading) and
:class:`InlineEvaluator`, for stores whose work happens elsewhere (a remote SPARQL server, where the
HTTP client's timeout bounds the wait)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pyoxigraph as ox

from painlink.graph.stores import Store, replacement_update
from painlink.service.changes import replayable
from painlink.service.errors import BadRequest, QuerySyntaxError, QueryTimeout
from painlink.service.evaluator.answers import Answer, QuerySpec, prepared, raise_for
from painlink.service.messages import Answered, Failed, Reply
from painlink.service.replica import write_answer
from painlink.service.verifier import Reading, Unreadable, read_outbound

__all__ = ["CHECK_TIMEOUT", "Evaluator", "InlineEvaluator", "update_change"]

T = TypeVar("T")

CHECK_TIMEOUT = (
    "checking the text for calls to other servers took longer than {timeout:g} s and was stopped; "
    "simplify it (long expressions, deep nesting)"
)


def _read_or_why(text: str, is_update: bool) -> Reading | Unreadable:
    try:
        return read_outbound(text, is_update=is_update)
    except Unreadable as error:
        return error


def update_change(text: str, base_iri: str | None) -> tuple | None:
    """The replica change replaying an update, or None if it would not give the same triples."""
    return ("update", text, base_iri) if replayable(text) else None


class Evaluator:
    """Runs queries for the endpoint. Subclasses: :class:`ProcessEvaluator`, :class:`InlineEvaluator`."""

    def __init__(self, store: Store, *, timeout: float, max_rows: int) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        #: One service write at a time (updates and Graph Store writes alike): an update's rehearsal
        #: then runs on the state the update will meet.
        self._writes = asyncio.Lock()

    async def start(self) -> None:
        """Get ready to answer (start processes)."""

    async def close(self) -> None:
        """Stop everything :meth:`start` started."""

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        """Evaluate ``spec`` under the timeout, or until ``deadline`` (``time.monotonic()``) if that
        comes sooner: a query whose ``SERVICE <urn:painlink:paths>`` blocks used part of its time."""
        raise NotImplementedError

    async def verify(self, text: str, *, is_update: bool) -> Reading | Unreadable:
        """rdflib's reading of ``text`` for the outbound check (:mod:`painlink.service.verifier`), off
        the event loop and under the timeout; here in a thread (a remote store's service has no
        worker processes), in :class:`ProcessEvaluator` on a worker that is killed if it overruns."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(_read_or_why, text, is_update), self.timeout)
        except TimeoutError:
            raise QueryTimeout(CHECK_TIMEOUT.format(timeout=self.timeout)) from None

    def _seconds_left(self, deadline: float | None) -> float:
        """The time a query may still take: the timeout, or less before ``deadline``."""
        left = self.timeout if deadline is None else min(self.timeout, deadline - time.monotonic())
        if left <= 0:
            raise QueryTimeout(f"the query's {self.timeout:g} s were spent before it could run "
                               "(on its SERVICE <urn:painlink:paths> blocks)")
        return left

    async def update(self, text: str, *, base_iri: str | None, rehearse: bool) -> None:
        """Apply an update to the store atomically, off the event loop. With ``rehearse``, first prove
        it ends within the timeout (module docstring); evaluators that cannot rehearse ignore it."""
        async with self._writes:
            await self._write(update_change(text, base_iri), self._apply_update, text, base_iri)

    # Graph Store writes: off the event loop, under the lock updates take (never beside an update's
    # rehearsal), each one atomic store operation.
    async def load(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None, base_iri: str | None) -> None:
        """Add ``data`` to ``graph`` (Graph Store POST); ``SyntaxError`` if it does not parse."""
        async with self._writes:
            await self._write(("add", data, fmt.media_type, graph, base_iri),
                              self.store.load, data, fmt, graph=graph, base_iri=base_iri)

    async def replace_graph(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None,
                            base_iri: str | None = None) -> None:
        """Replace ``graph`` with ``data`` in one transaction (Graph Store PUT; relative IRIs resolve
        against ``base_iri``); ``SyntaxError`` if it does not parse (before anything is locked)."""
        text = await asyncio.to_thread(
            lambda: replacement_update(ox.parse(data, format=fmt, base_iri=base_iri), graph))
        async with self._writes:
            await self._write(("update", text, None), self.store.update, text)

    async def drop_graph(self, graph: str | None) -> bool:
        """Remove ``graph`` (clear the default graph); whether it existed (Graph Store DELETE)."""
        text = "CLEAR SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH {ox.NamedNode(graph)}"
        async with self._writes:
            return await self._write(("update", text, None), self.store.drop_graph, graph)

    async def _write(self, change: tuple | None, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run the write ``function`` in a thread; ``change`` is how a replica can replay it."""

        def run() -> tuple[T, int, int]:
            with self.store.write_lock:  # the two versions bracket exactly this write
                before = self.store.version
                result = function(*args, **kwargs)
                return result, before, self.store.version

        result, before, after = await asyncio.to_thread(run)
        self._changed(before, after, change)
        return result

    def _changed(self, before: int, after: int, change: tuple | None) -> None:
        """A write took the store from version ``before`` to ``after`` (replicas may follow it)."""

    def _apply_update(self, text: str, base_iri: str | None) -> None:
        try:
            self.store.update(text, base_iri=base_iri)  # atomic; takes the store's write lock
        except SyntaxError as error:
            raise QuerySyntaxError(f"the update does not parse: {error}") from None
        except (OSError, RuntimeError) as error:  # pyoxigraph's evaluation errors (e.g. the graph exists)
            raise BadRequest(f"the update failed and changed nothing: {error}") from None


class InlineEvaluator(Evaluator):
    """Evaluate through the store's own ``query`` in a thread (for stores whose work happens elsewhere,
    such as a remote SPARQL server, where the HTTP client's timeout bounds the wait)."""

    async def query(self, spec: QuerySpec, *, deadline: float | None = None) -> Answer:
        message = prepared(spec, self.max_rows)
        left = self._seconds_left(deadline)

        def run() -> Reply:
            try:
                result = self.store.query(
                    spec.query,
                    default_graph=list(spec.default_graph) if spec.default_graph is not None else None,
                    named_graphs=list(spec.named_graphs) if spec.named_graphs is not None else None,
                    base_iri=spec.base_iri,
                )
            except SyntaxError as error:
                return Failed("syntax", str(error))
            try:
                return write_answer(result, message)
            finally:
                # pyoxigraph's result iterators must be dropped on the thread that made them; without
                # this, an exception's traceback would carry ``result`` to the event loop's thread.
                del result

        try:
            reply = await asyncio.wait_for(asyncio.to_thread(run), left)
        except TimeoutError:
            raise QueryTimeout(
                f"the query did not finish within {self.timeout:g} s (the remote store may still be working on it)"
            ) from None
        if not isinstance(reply, Answered):
            raise_for(reply)
        return Answer(reply.kind, reply.body)

