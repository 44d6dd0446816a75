"""The small value types the stores hand back: query results, load progress and reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = ["QueryResult", "DEFAULT_GRAPH", "LoadProgress", "LoadReport", "SyncReport"]

#: Results are pyoxigraph objects on every backend, so callers never branch on the store.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
DEFAULT_GRAPH = ox.DefaultGraph()


@dataclass(frozen=True)
class LoadProgress:
    """Where a :meth:`Store.load_files` run is: handed to its ``on_progress`` callback."""

    file: str
    triples_done: int
    triples_total: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples_done / self.seconds if self.seconds > 0 else 0.0

    def bar(self, width: int = 30) -> str:
        """One line of plain-text progress bar (the CLI writes it to stderr).

        >>> LoadProgress("big.nt", 450_000, 1_000_000, 2.5).bar(10)
        '[####......]  45% 450,000/1,000,000 triples  180,000 triples/s  big.nt'
        """
        share = self.triples_done / self.triples_total if self.triples_total else 1.0
        filled = round(share * width)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
            f"{self.triples_done:,}/{self.triples_total:,} triples  "
            f"{self.triples_per_second:,.0f} triples/s  {Path(self.file).name}"
        )


@dataclass(frozen=True)
class LoadReport:
    """What :meth:`Store.load_files` did: triples read from the files, size of the store after, time."""

    files: tuple[str, ...]
    triples: int
    store_size: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync_shipped` did: ``action`` is one of ``loaded`` (first start), ``unchanged``,
    ``upgraded`` (a new release: ``removed``/``added`` triples applied) or ``merged`` (store had data
    but no record)."""

    action: str
    digest: str
    added: int = 0
    removed: int = 0
