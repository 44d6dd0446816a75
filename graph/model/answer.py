"""The base of every answer: ``to_dict()``, a JSON-ready rendering."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

__all__ = ["Answer", "plain", "red_flags_first"]


def plain(value: Any) -> Any:
    # Recursion over dataclasses by hand rather than dataclasses.asdict: asdict deep-copies every leaf
    # and cannot leave out derived properties we want in the JSON (e.g. Path.claims is not a field).
    if isinstance(value, Answer):
        return value.to_dict()
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


class Answer:
    """Mixin: ``to_dict()`` for every answer dataclass."""

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready dicts, lists, strings and numbers."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def red_flags_first(data: dict[str, Any]) -> dict[str, Any]:
    # JSON readers (and people reading JSON) meet the warnings before any ranking.
    return {"red_flags": data.pop("red_flags", []), **data}
