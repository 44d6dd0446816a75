"""A front's query lane: plain ``GET /sparql`` queries answered by the HTTP protocol itself.

Why: on a front, a simple SELECT spent much of its time around the query, not in it -- uvicorn's
request cycle and task, the ASGI middlewares, Starlette's request and response objects. Measured on
the 1k bench graph (2 fronts, the bench's client, CPU time of the fronts a request): 740-880 us the
usual way, 610-620 us through the lane with a query thread, 510-550 us through the lane on the
event loop (bench/README.md, "Run of 2026-12-02, the query lane"). The lane skips those layers for
the requests that need none of them, and only for those:

* **Which requests.** ``GET`` of ``/sparql?...`` (the path exactly, in origin form), without a body,
  ``Origin`` (CORS is the middleware's), ``Expect`` or an upgrade, not pipelined behind a request
  still being answered, within ``max_requests``, on a front whose replica is current and which is
  not retiring. Of those, :func:`~painlink.service.sparql.endpoint.plan_plain_get` -- the endpoint's
  own checks in the endpoint's order (protocol, length, nesting, SERVICE/LOAD refusal, negotiation)
  -- takes the ones that need nothing awaited. Every other request takes the usual way: uvicorn,
  the front's app, forwarding as before.
* **What they get.** The same status, headers and body as on the usual way: uvicorn's default
  headers, the endpoint's ``Vary``, ``Content-Type`` and ``Content-Length``, ``nosniff``; a refusal or
  a failure (syntax, row cap, timeout, 406) is answered by the app's own error handlers
  (:func:`~painlink.service.sparql.front.answer_error`), so it reads byte for byte the same.
* **How they run.** As the usual way runs them (:meth:`FrontEvaluator.start`, which
  :meth:`FrontEvaluator.query` awaits): a query of one triple pattern of few rows at once, on the
  event loop; any other on the front's query threads, under the same timeout and row cap; an overrun
  retires the front as before.

The protocol is uvicorn's (:func:`painlink.service.connections.protocol_for`, with its head and body
deadlines and connection cap) with two parser callbacks taken over; keep-alive, pipelining, flow
control and shutdown stay uvicorn's, which sees a lane request as a cycle of its own
(:class:`_LaneCycle`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from painlink.service.app import with_nosniff
from painlink.service.evaluator import Answer
from painlink.service.evaluator.answers import UnacceptableAnswer
from painlink.service.sparql.endpoint import VARY, QueryPlan, plan_plain_get
from painlink.service.sparql.front import answer_error

if TYPE_CHECKING:
    from painlink.service.fronts.app import FrontApp

__all__ = ["QueryLane", "lane_protocol"]

log = logging.getLogger("painlink.service")

_PREFIX = b"/sparql?"
#: Headers that send a request the usual way (a body, CORS, ``Expect: 100-continue``, an upgrade).
_USUAL_WAY = frozenset({b"content-length", b"transfer-encoding", b"origin", b"expect", b"upgrade"})


class _NoEvent:
    """What uvicorn sets on a cycle to wake its ASGI task; a lane request has none."""

    @staticmethod
    def set() -> None:
        return None


class _LaneCycle:
    """A lane request, where uvicorn keeps its request cycle: what the protocol reads of one --
    whether the answer is complete (pipelined requests wait until it is), whether the connection
    may stay open (a shutdown says no), whether the client left."""

    __slots__ = ("disconnected", "keep_alive", "response_complete", "scope")
    message_event = _NoEvent()
    more_body = False

    def __init__(self, scope: dict, keep_alive: bool) -> None:
        self.scope = scope
        self.keep_alive = keep_alive
        self.disconnected = False
        self.response_complete = False


class QueryLane:
    """What a front's lane needs of its app: the settings, the request limit, the evaluator, the
    error handlers (module docstring)."""

    def __init__(self, app: FrontApp) -> None:
        self.app = app
        self.settings = app.handlers.state.settings
        self.limit = app.chain  # the outermost guard: RequestLimit
        self.local_services = list(app.handlers.state.sparql_extensions)
        self._headers: dict[str | None, bytes] = {}

    def plan(self, query_string: bytes, accept: str | None) -> QueryPlan | Exception | None:
        """The endpoint's plan of the query, the error it would answer, or None (the usual way)."""
        try:
            return plan_plain_get(self.settings, query_string, accept, self.local_services)
        except Exception as error:  # noqa: BLE001 - answered by the app's handlers, as the endpoint's
            return error

    def head_of(self, media_type: str | None) -> bytes:
        """The endpoint's headers of an answer of this media type, before its Content-Length: what
        Starlette's ``Response(body, media_type=..., headers=VARY)`` sends, and ``nosniff``."""
        head = self._headers.get(media_type)
        if head is None:
            raw = with_nosniff(Response(b"", media_type=media_type, headers=VARY).raw_headers)
            head = b"".join(name + b": " + value + b"\r\n" for name, value in raw if name != b"content-length")
            self._headers[media_type] = head
        return head


def lane_protocol(base: type, lane: QueryLane) -> type:
    """``base`` (uvicorn's httptools protocol with painlink's guards) with ``lane`` answering the
    requests it takes (module docstring)."""

    class LaneProtocol(base):  # type: ignore[misc, valid-type]
        _taking = False

        def on_headers_complete(self) -> None:
            if (self.url.startswith(_PREFIX) and self.parser.get_method() == b"GET"
                    and (self.cycle is None or self.cycle.response_complete)
                    and not any(name in _USUAL_WAY for name, _ in self.headers)):
                self._taking = True  # decided when the message is complete (a GET: at once)
                return
            self._taking = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            if not self._taking:
                return super().on_message_complete()
            self._taking = False
            if not self._take():
                # The usual way, as if the lane had not looked: uvicorn's own cycle and task.
                super().on_headers_complete()
                super().on_message_complete()
            return None

        def _take(self) -> bool:
            limit = lane.limit
            evaluator = getattr(lane.app.state, "evaluator", None)
            if evaluator is None or limit.active >= limit.limit:
                return False  # (not started yet; or the usual way answers the 503)
            accept = next((value.decode("latin-1") for name, value in self.headers if name == b"accept"), None)
            query_string = self.url[len(_PREFIX):].partition(b"#")[0]
            plan = lane.plan(query_string, accept)
            if plan is None:
                return False
            cycle = _LaneCycle(self.scope, keep_alive=self.parser.get_http_version() != "1.0"
                               and self.parser.should_keep_alive())
            cycle.scope.update(method="GET", path="/sparql", raw_path=b"/sparql", query_string=query_string)
            previous, self.cycle = self.cycle, cycle
            limit.active += 1
            self._disarm()  # the guard's deadline for the head: the request is complete
            if isinstance(plan, Exception):
                self._fail(cycle, plan)
            elif not evaluator.start(plan.spec, lambda outcome: self._answered(cycle, plan, outcome)):
                self.cycle = previous  # retiring or behind: the usual way forwards it
                limit.active -= 1
                return False
            return True

        def _answered(self, cycle: _LaneCycle, plan: QueryPlan, outcome: Answer | Exception) -> None:
            if isinstance(outcome, Exception):
                if isinstance(outcome, UnacceptableAnswer):
                    outcome = plan.refusal(outcome)
                return self._fail(cycle, outcome)
            media_type = plan.media_type(outcome.kind)
            body = outcome.body
            self._send(cycle, 200, lane.head_of(media_type) + b"content-length: %d\r\n" % len(body), body)
            return None

        def _fail(self, cycle: _LaneCycle, error: Exception) -> None:
            cycle.scope["app"] = lane.app.handlers  # what request.app is on the usual way
            task = self.loop.create_task(self._answer_error(cycle, error))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

        async def _answer_error(self, cycle: _LaneCycle, error: Exception) -> None:
            try:
                response = await answer_error(Request(cycle.scope), error)
            except Exception:
                log.exception("front: unexpected error answering a query")
                response = Response(b"Internal Server Error", status_code=500, media_type="text/plain")
            headers = with_nosniff(response.raw_headers)
            self._send(cycle, response.status_code,
                       b"".join(name + b": " + value + b"\r\n" for name, value in headers), response.body)

        def _send(self, cycle: _LaneCycle, status: int, headers: bytes, body: bytes) -> None:
            # As uvicorn writes an answer: the status line, its default headers, the answer's.
            lane.limit.active -= 1
            cycle.response_complete = True
            if cycle.disconnected or self.transport.is_closing():
                return
            defaults = b"".join(name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers)
            close = b"" if cycle.keep_alive else b"connection: close\r\n"
            self.transport.write(b"".join((STATUS_LINE[status], defaults, headers, close, b"\r\n", body)))
            if not cycle.keep_alive:
                self.transport.close()
            self.on_response_complete()

    return LaneProtocol
