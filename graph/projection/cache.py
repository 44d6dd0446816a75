"""The :class:`ProjectionCache`: the current snapshot of a store, moved forward after each write."""

from __future__ import annotations

import threading

from ..stores import Store
from .patch import advance
from .snapshot import Projection

__all__ = ["ProjectionCache"]


class ProjectionCache:
    """Holds the current :class:`Projection` of a store and moves it on when ``store.version`` moves:
    by the difference of the writes since (:func:`~painlink.graph.projection.patch.advance`), or by a
    full build when that difference is unknown or too large.

    Thread-safe: readers get the snapshot that was current when they asked, whole (a new one is
    published only once complete); one thread moves it on while others wait for it rather than
    doing the same work twice.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._current: Projection | None = None

    def get(self) -> Projection:
        current = self._current
        version = self.store.version
        if current is not None and current.version == version:
            return current
        with self._lock:
            current = self._current
            if current is None or current.version != self.store.version:
                current = advance(current, self.store)
                self._current = current
            return current
