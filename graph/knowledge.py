"""The facade the service, the pages and the CLI use to ask the graph questions (public surface first;
the engine behind it is being filled in).

>>> Knowledge.__name__
'Knowledge'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path as FilePath

from .model import (
    Claim,
    Entity,
    ExplainResult,
    InterventionResult,
    Neighbourhood,
    PathResult,
    SearchHit,
)
from .store import Store

__all__ = ["Knowledge"]


class Knowledge:
    """Questions over one :class:`~painlink.graph.store.Store`; thread-safe."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def shipped(cls, extra_files: Iterable[str | FilePath] = (), *, store: Store | None = None) -> Knowledge:
        """The shipped ontology (+ ``extra_files``, validated, all or nothing) in a fresh in-memory store."""
        raise NotImplementedError

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` names (id, IRI, CURIE, label or synonym; case-insensitive)."""
        raise NotImplementedError

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        raise NotImplementedError

    def entity(self, name: str) -> Entity:
        raise NotImplementedError

    def neighbourhood(self, name: str, depth: int = 1) -> Neighbourhood:
        raise NotImplementedError

    def claim(self, claim_id: str) -> Claim:
        raise NotImplementedError

    def claims_about(self, name: str) -> list[Claim]:
        raise NotImplementedError

    def paths(self, source: str, target: str, *, max_length: int = 6, limit: int = 5) -> PathResult:
        raise NotImplementedError

    def explain(self, symptoms: Sequence[str], *, limit: int = 10) -> ExplainResult:
        raise NotImplementedError

    def interventions(self, target: str, *, max_length: int = 6) -> InterventionResult:
        raise NotImplementedError

    def add_file(self, source: str | FilePath | bytes, format: str | None = None, *, name: str | None = None) -> int:
        raise NotImplementedError
