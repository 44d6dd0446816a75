"""Where path questions run: off the event loop, a few at a time, under a budget, stopped when the
client leaves.

A path question (``/api/paths``, ``/api/explain``, ``/api/interventions``, the pages ``/graph``,
``/explain``, ``/interventions`` and the ``SERVICE <urn:painlink:paths>`` blocks of a query) can cost
far more than any other request on a densely linked graph. :class:`QuestionPool` keeps them from
starving the rest:

* each runs in one of ``path_questions`` threads of its own (not the pool the cheap routes share);
  up to ``path_queue`` more wait for a thread, and any beyond that is answered 503 at once
  (:class:`~painlink.service.errors.PathEngineBusy`, with ``Retry-After``);
* each spends a :class:`~painlink.graph.budget.Budget`: the query timeout (``query_timeout``, the
  same setting that stops SPARQL queries; waiting counts), ``path_max_expansions`` and
  ``path_max_candidates``. A spent budget is a 503 with ``Retry-After``, like a query timeout
  (:class:`~painlink.graph.exceptions.BudgetExceededError`, as :mod:`painlink.service.meanings` declares);
* a question whose client has gone is cancelled (its thread stops at its next check);
* should a thread be in work that does not check (a first build of the projection), the client is
  answered 503 a moment after the deadline anyway; the thread's slot is freed when it ends.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from starlette.requests import Request

from painlink.graph import QUESTIONS, Question, bounded
from painlink.graph.budget import Budget
from painlink.graph.exceptions import BudgetExceededError
from painlink.service.errors import PathEngineBusy
from painlink.service.settings import Settings

__all__ = ["GRACE_SECONDS", "QuestionPool", "ask", "declarations", "served"]

T = TypeVar("T")

#: How long after the deadline a client waits for a thread that has not noticed it yet.
GRACE_SECONDS = 0.5
#: How often a waiting request looks whether its client is still there.
_POLL_SECONDS = 0.2


class QuestionPool:
    """The threads path questions run in, and the count of those admitted (running or waiting)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._executor = ThreadPoolExecutor(max_workers=settings.path_questions, thread_name_prefix="painlink-path")
        self._admitted = 0
        self._lock = threading.Lock()

    def budget(self) -> Budget:
        """A fresh budget for one question, from the settings."""
        return Budget(
            seconds=self.settings.query_timeout,
            expansions=self.settings.path_max_expansions,
            candidates=self.settings.path_max_candidates,
        )

    def _admit(self) -> None:
        capacity = self.settings.path_questions + self.settings.path_queue
        with self._lock:
            if self._admitted >= capacity:
                raise PathEngineBusy(
                    f"the path engine is busy: {capacity} path questions are running or waiting "
                    "(settings path_questions and path_queue); try again shortly")
            self._admitted += 1

    def _release(self, _future: Future | None = None) -> None:
        with self._lock:
            self._admitted -= 1

    async def ask(self, request: Request | None, function: Callable[..., T], *args, **kwargs) -> T:
        """``function(*args, **kwargs)`` in a path thread under a fresh budget; its answer, or its error."""
        self._admit()
        budget = self.budget()
        try:
            future = self._executor.submit(budget.run, function, *args, **kwargs)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        waiting = asyncio.wrap_future(future)
        try:
            while True:
                left = budget.remaining
                timeout = _POLL_SECONDS if left is None else min(_POLL_SECONDS, max(0.0, left + GRACE_SECONDS))
                done, _ = await asyncio.wait({waiting}, timeout=timeout)
                if done:
                    return waiting.result()
                if request is not None and await request.is_disconnected():
                    budget.cancel("the client has gone")
                    raise BudgetExceededError("the client has gone", "the client has gone; the question was stopped")
                if left is not None and left + GRACE_SECONDS <= 0:
                    budget.cancel("time")
                    raise BudgetExceededError(
                        "time", f"the question ran past {budget.seconds:g} s (this server's query timeout) and was stopped")
        except BaseException:
            budget.cancel("the request ended")
            waiting.cancel()  # a question still waiting for a thread never starts
            raise

    def close(self) -> None:
        """Stop taking questions; running ones are cancelled at their next check by their requests."""
        self._executor.shutdown(wait=False, cancel_futures=True)


async def ask(request: Request, function: Callable[..., T], *args, **kwargs) -> T:
    """Run a path question for ``request`` in the app's :class:`QuestionPool` (see the module doc)."""
    pool: QuestionPool = request.app.state.questions
    return await pool.ask(request, function, *args, **kwargs)


def declarations(settings: Settings) -> dict[str, Question]:
    """The questions as this server answers them: :data:`painlink.graph.QUESTIONS` with the operator's
    caps (``max_path_length``, ``max_answers`` ...) applied once. Every face of the service reads these."""
    key = tuple(sorted((p.setting, getattr(settings, p.setting)) for q in QUESTIONS.values()
                       for p in q.parameters if p.setting))
    found = _DECLARED.get(key)
    if found is None:
        found = _DECLARED[key] = bounded(QUESTIONS, dict(key))
    return found


def served(request: Request, name: str) -> Question:
    """The question ``name`` as the app serving ``request`` answers it (its settings' caps applied)."""
    return declarations(request.app.state.settings)[name]


_DECLARED: dict[tuple, dict[str, Question]] = {}
