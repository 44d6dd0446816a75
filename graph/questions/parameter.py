"""One parameter of a question: its public name, type, default, bounds and description; coercion
of a raw value and its JSON Schema."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import InvalidParameterError

__all__ = ["TYPES", "Parameter"]


#: The parameter types and their JSON Schema.
TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "strings": {"type": "array", "items": {"type": "string"}},
    "boolean": {"type": "boolean"},
}


_WHOLE = re.compile(r"[+-]?\d+")


_TRUE, _FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off"})


@dataclass(frozen=True)
class Parameter:
    """One parameter of a question (see the module doc)."""

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None
    max_chars: int | None = None
    setting: str | None = None
    entity: bool = False
    #: The engine's keyword for it, when that differs from the public name (``from`` -> ``source``).
    argument: str | None = None
    #: The setting that lowered ``maximum`` (set by :meth:`bounded`), named by error messages.
    capped_by: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown parameter type {self.type!r}")

    @property
    def keyword(self) -> str:
        """The engine function's keyword for this parameter."""
        return self.argument or self.name

    @property
    def flag(self) -> str:
        """The command line's option for it: ``max_length`` -> ``--max-length``."""
        return "--" + self.name.replace("_", "-")

    @property
    def property_name(self) -> str:
        """Its RDF property's local name (SPARQL's ``pl:maxLength``): ``max_length`` -> ``maxLength``."""
        head, *rest = self.name.split("_")
        return head + "".join(part.title() for part in rest)

    def bounded(self, caps: Mapping[str, Any]) -> Parameter:
        """This parameter with its maximum lowered to ``caps[setting]`` (the default too, if above)."""
        if self.setting is None or caps.get(self.setting) is None:
            return self
        cap = int(caps[self.setting])
        highest = cap if self.maximum is None else min(self.maximum, cap)
        default = self.default if self.default is None else min(self.default, highest)
        return dataclasses.replace(self, maximum=highest, default=default, capped_by=self.setting)

    def coerce(self, raw: Any) -> Any:
        """The checked value for one raw value (None: the default), or :class:`InvalidParameterError`."""
        if raw is None or (isinstance(raw, (list, tuple)) and not raw and self.type != "strings"):
            return self._absent()
        if self.type == "strings":
            return self._strings(raw)
        if isinstance(raw, (list, tuple)):
            if len(raw) != 1:
                raise InvalidParameterError(self.name, f"given {len(raw)} times; give it once")
            raw = raw[0]
        if self.type == "integer":
            return self._integer(raw)
        if self.type == "boolean":
            return self._boolean(raw)
        return self._string(raw)

    def _absent(self) -> Any:
        if self.required:
            raise InvalidParameterError(self.name, f"is required: {self.description}")
        return self.default

    def _integer(self, raw: Any) -> int:
        low = 1 if self.minimum is None else self.minimum
        high = self.maximum
        if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
            value = int(raw.strip())
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            value = None
        if value is None or value < low or (high is not None and value > high):
            if isinstance(raw, str) and not raw.strip() and not self.required:
                return self.default
            raise InvalidParameterError.out_of_range(self.name, raw, low, high, self.capped_by)
        return value

    def _boolean(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise InvalidParameterError(self.name, f"must be true or false, not “{raw}”")

    def _string(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise InvalidParameterError(self.name, f"must be text, not {raw!r}")
        value = raw.strip()
        if not value:
            if not self.required:
                return self.default
            raise InvalidParameterError(self.name, f"is blank; it is required: {self.description}")
        if self.max_chars is not None and len(value) > self.max_chars:
            raise InvalidParameterError(
                self.name, f"must be at most {self.max_chars} characters long, not {len(value)}"
            )
        return value

    def _strings(self, raw: Any) -> list[str]:
        items = [raw] if isinstance(raw, str) else list(raw)
        values = []
        for item in items:
            if not isinstance(item, str):
                raise InvalidParameterError(self.name, f"each value must be text, not {item!r}")
            if item.strip():
                values.append(item.strip())
        if not values:
            if self.required:
                raise InvalidParameterError(self.name, f"is required (one or more): {self.description}")
            return list(self.default or ())
        if self.max_items is not None and len(values) > self.max_items:
            raise InvalidParameterError(
                self.name, f"at most {self.max_items} values at once, not {len(values)}"
            )
        for value in values:
            if self.max_chars is not None and len(value) > self.max_chars:
                raise InvalidParameterError(
                    self.name, f"each value must be at most {self.max_chars} characters long, not {len(value)}"
                )
        return values

    def schema(self) -> dict[str, Any]:
        """This parameter's JSON Schema (type, bounds, default, description)."""
        schema: dict[str, Any] = {**TYPES[self.type], "description": self.description}
        if self.type == "strings":
            schema["items"] = dict(schema["items"])
        if self.type == "integer":
            schema["minimum"] = 1 if self.minimum is None else self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        if self.type == "strings" and self.required:
            schema["minItems"] = 1
        if self.max_chars is not None:
            target = schema["items"] if self.type == "strings" else schema
            target["maxLength"] = self.max_chars
            target["minLength"] = 1
        elif self.type == "string" and self.required:
            schema["minLength"] = 1
        if self.default is not None:
            schema["default"] = self.default
        return schema
