"""Moving a projection forward to the store's current version."""

from __future__ import annotations

from ..stores import Store
from .build import build_projection
from .snapshot import Projection

__all__ = ["advance"]


def advance(previous: Projection | None, store: Store) -> Projection:
    """The projection of ``store`` as it is now."""
    return build_projection(store)
