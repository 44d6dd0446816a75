"""How much work one path question may do: a :class:`Budget` of time, expansions and candidates.

The path engine's loops (:mod:`painlink.graph.paths`, :mod:`~painlink.graph.explain`,
:mod:`~painlink.graph.interventions`, :mod:`~painlink.graph.chains`) call :func:`tick` once per partial
path they extend and :func:`candidate` once per candidate (a cause explain weighs, a root-to-target
pair interventions searches). Both spend from the budget the caller *applied* to the current thread
(or task) and raise :class:`~painlink.graph.exceptions.BudgetExceededError` as soon as it runs out:
past its deadline, over its expansions or candidates, or cancelled by another thread (the service
cancels a question whose client has gone). Without an applied budget they cost a context-variable
read and do nothing, so the CLI and the library answer as before.

The service builds one budget per question from its settings (the query timeout and the
``path_max_*`` settings, :class:`painlink.service.settings.Settings`); ``SERVICE <urn:painlink:paths>``
spends one budget for every block of a query.

>>> budget = Budget(expansions=3)
>>> with budget.applied():
...     for _ in range(3):
...         tick()
...     try:
...         tick()
...     except BudgetExceededError as error:
...         print(error.reason, "-", error)
expansions - the question needed more than 3 search steps (this server's budget for one question)
>>> tick()  # no budget applied here: free
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from .exceptions import BudgetExceededError

__all__ = ["Budget", "candidate", "current", "tick"]

T = TypeVar("T")

#: Expansions between two looks at the clock: a look costs about as much as a few expansions.
_CLOCK_EVERY = 64

_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("painlink_budget", default=None)


class Budget:
    """Limits on one question; ``None`` leaves a limit off. ``seconds`` counts from creation, so time
    spent waiting for a free thread counts too (the client waits for it as well).

    Thread-safe enough for its use: one thread spends, any other may :meth:`cancel`.
    """

    def __init__(self, *, seconds: float | None = None, expansions: int | None = None,
                 candidates: int | None = None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.max_expansions = expansions
        self.max_candidates = candidates
        self.expansions = 0
        self.candidates = 0
        self._cancelled = threading.Event()
        self._cancel_reason = "cancelled"

    # --- spending ------------------------------------------------------------------------------
    def spend(self, expansions: int = 1) -> None:
        """Count ``expansions`` partial paths extended; raise when a limit is passed."""
        self.expansions += expansions
        if self.max_expansions is not None and self.expansions > self.max_expansions:
            raise BudgetExceededError(
                "expansions", f"the question needed more than {self.max_expansions} search steps "
                "(this server's budget for one question)")
        if self.expansions % _CLOCK_EVERY < expansions:
            self.check()

    def take_candidate(self) -> None:
        """Count one candidate; raise when a limit is passed."""
        self.candidates += 1
        if self.max_candidates is not None and self.candidates > self.max_candidates:
            raise BudgetExceededError(
                "candidates", f"the question has more than {self.max_candidates} candidates to weigh "
                "(this server's budget for one question)")
        self.check()

    def check(self) -> None:
        """Raise if the question was cancelled or its time is up."""
        if self._cancelled.is_set():
            raise BudgetExceededError(self._cancel_reason, "the question was stopped: " + self._cancel_reason)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceededError(
                "time", f"the question ran past {self.seconds:g} s (this server's query timeout) and was stopped")

    def cancel(self, reason: str = "cancelled") -> None:
        """Make the spending thread stop at its next check (e.g. the client has gone)."""
        self._cancel_reason = reason
        self._cancelled.set()

    @property
    def remaining(self) -> float | None:
        """Seconds left before the deadline (None without one)."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    # --- applying ------------------------------------------------------------------------------
    @contextmanager
    def applied(self) -> Iterator[Budget]:
        """Make this the budget :func:`tick` and :func:`candidate` spend from, in this thread or task."""
        token = _current.set(self)
        try:
            self.check()
            yield self
        finally:
            _current.reset(token)

    def run(self, function: Callable[..., T], *args, **kwargs) -> T:
        """``function(*args, **kwargs)`` with this budget applied (for a thread pool)."""
        with self.applied():
            return function(*args, **kwargs)


def current() -> Budget | None:
    """The budget applied to this thread or task, if any."""
    return _current.get()


def tick(expansions: int = 1) -> None:
    """Spend ``expansions`` from the applied budget (nothing without one)."""
    budget = _current.get()
    if budget is not None:
        budget.spend(expansions)


def candidate() -> None:
    """Spend one candidate from the applied budget (nothing without one)."""
    budget = _current.get()
    if budget is not None:
        budget.take_candidate()
