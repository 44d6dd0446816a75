"""The checks a query or update passes before it runs, with what they learn kept for the next request.

Every check stays (nesting bound, ``SERVICE``/``LOAD`` refusal with both readers, failing closed); what
is cached is only what depends on nothing but the text: the tokenizer's :class:`Inspection`, whether
the text could spell a refused keyword, and rdflib's reading (a :class:`Reading` or why it has none).
A client that sends the same query again -- the common case for applications and dashboards -- then
pays for none of them. A short query that cannot spell ``SERVICE`` or ``LOAD`` at all skips the
tokenizer (:func:`_plain_query`). Short texts are read on the event loop (a few microseconds; a thread hop costs
more than the work), long ones in a thread as before, so a 100,000-character query never holds up
other requests; only short texts are cached, so the caches stay small (at most
:data:`CACHED_TEXTS` entries of at most :data:`INLINE_BELOW` characters each).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from starlette.requests import Request

from painlink.ontology.bounds import MAX_NESTING
from painlink.service.limits import check_nesting
from painlink.service.security import needs_second_reading, refuse_outbound
from painlink.service.settings import Settings
from painlink.service.sparql_lexer import Inspection, inspect_sparql
from painlink.service.verifier import Reading, Unreadable, may_name

__all__ = ["CACHED_TEXTS", "INLINE_BELOW", "inspect", "inspect_short", "verify"]

#: Texts (and request parts) shorter than this many characters are handled on the event loop and
#: cached; longer ones go to a thread, uncached.
INLINE_BELOW = 4096
#: Texts whose checks are remembered, per kind of check (least recently used first out).
CACHED_TEXTS = 2048


@lru_cache(maxsize=CACHED_TEXTS)
def _inspection(text: str) -> Inspection:
    return inspect_sparql(text)


def _plain_query(text: str) -> Inspection | None:
    """What the tokenizer would find in a short query that cannot spell ``SERVICE`` or ``LOAD`` in any
    form (:func:`may_name`, the rule that also decides on rdflib's reading) and has few brackets:
    no calls to other servers, a nesting no deeper than its opening brackets. The form is left
    unknown: the worker says which it was, and an answer no accepted format fits is a 406 then. None
    when the text needs the tokenizer. (The tokenizer costs about 0.1-0.2 ms a query; this, a few us.)"""
    if may_name(text, "service") or may_name(text, "load"):
        return None
    openers = text.count("{") + text.count("(") + text.count("[")
    if openers > MAX_NESTING:
        return None
    return Inspection(form=None, services=(), loads=False, names_dataset=False, has_pattern=False, depth=openers)


class _Readings:
    """rdflib's readings of short texts, least recently used first out (a plain dict: the reading
    comes from a worker, asynchronously, so functools' cache does not fit)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._readings: OrderedDict[tuple[str, bool], Reading | Unreadable] = OrderedDict()

    def get(self, key: tuple[str, bool]) -> Reading | Unreadable | None:
        reading = self._readings.get(key)
        if reading is not None:
            self._readings.move_to_end(key)
        return reading

    def put(self, key: tuple[str, bool], reading: Reading | Unreadable) -> None:
        self._readings[key] = reading
        if len(self._readings) > self.size:
            self._readings.popitem(last=False)


_readings = _Readings(CACHED_TEXTS)


async def inspect(request: Request, text: str, *, is_update: bool, local_services: Sequence[str] = ()) -> Inspection:
    """The tokenizer's reading of ``text``, refusing at once what it shows this server must not run:
    nesting beyond the bound, a call to another server unless allowed."""
    settings = request.app.state.settings
    if len(text) < INLINE_BELOW:
        return inspect_short(text, settings, is_update=is_update, local_services=local_services)
    inspection = await asyncio.to_thread(inspect_sparql, text)
    _refuse(inspection, settings, is_update=is_update, local_services=local_services)
    return inspection


def inspect_short(text: str, settings: Settings, *, is_update: bool, local_services: Sequence[str] = ()) -> Inspection:
    """:func:`inspect` of a text shorter than :data:`INLINE_BELOW`, which needs no thread: the same
    reading and refusals, without a request (a front's query lane calls it from its protocol)."""
    inspection = (None if is_update else _plain_query(text)) or _inspection(text)
    _refuse(inspection, settings, is_update=is_update, local_services=local_services)
    return inspection


def _refuse(inspection: Inspection, settings: Settings, *, is_update: bool, local_services: Sequence[str]) -> None:
    check_nesting(inspection.depth, "update" if is_update else "query")
    refuse_outbound(inspection, settings, local_services=local_services)


async def verify(
    request: Request, text: str, *, is_update: bool, local_services: Sequence[str] = (),
    inspection: Inspection | None = None,
) -> None:
    """Check the text the engine will run (the local extensions already expanded) for calls to other
    servers with both readers, whenever it could name one (:func:`needs_second_reading`): rdflib's
    reading runs on a query worker, under the query timeout; the check fails closed."""
    settings = request.app.state.settings
    short = len(text) < INLINE_BELOW
    if short:  # (verifier.may_name remembers short texts)
        needed = needs_second_reading(text, settings, is_update=is_update)
    else:
        needed = await asyncio.to_thread(needs_second_reading, text, settings, is_update=is_update)
    if not needed:
        return
    if inspection is None:  # the text changed (extensions expanded): read it again
        inspection = _inspection(text) if short else await asyncio.to_thread(inspect_sparql, text)
    second = _readings.get((text, is_update)) if short else None
    if second is None:
        second = await request.app.state.evaluator.verify(text, is_update=is_update)
        if short:
            _readings.put((text, is_update), second)
    refuse_outbound(inspection, settings, local_services=local_services, second=second)
