"""One question: its parameters, answer type and how to ask it; operator caps applied once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import InvalidParameterError
from ..knowledge import Knowledge
from .parameter import Parameter

__all__ = ["bounded", "Question"]


@dataclass(frozen=True)
class Question:
    """One question (see the module doc)."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    answer: type
    #: ``function(knowledge, **engine_keywords)`` -> the answer.
    function: Callable[..., Any]
    path_question: bool = False

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (KeyError if there is none)."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters' public names, in order."""
        return tuple(parameter.name for parameter in self.parameters)

    def bounded(self, caps: Mapping[str, Any]) -> Question:
        """This question with an operator's caps applied (see :meth:`Parameter.bounded`)."""
        return dataclasses.replace(self, parameters=tuple(p.bounded(caps) for p in self.parameters))

    def validate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's checked value (defaults filled in) from ``raw`` (public names)."""
        unknown = [name for name in raw if name not in self.names]
        if unknown:
            raise InvalidParameterError(
                unknown[0], f"is not a parameter of {self.name}; it takes {', '.join(self.names)}"
            )
        return {p.name: p.coerce(raw.get(p.name)) for p in self.parameters}

    def ask(self, knowledge: Knowledge, **values: Any) -> Any:
        """The answer to this question for ``values`` (public names, raw or checked)."""
        checked = self.validate(values)
        arguments = {p.keyword: checked[p.name] for p in self.parameters}
        try:
            return self.function(knowledge, **arguments)
        except InvalidParameterError as error:
            public = next((p.name for p in self.parameters if p.keyword == error.field), None)
            if public is None or public == error.field:
                raise
            raise InvalidParameterError(public, error.reason) from None

    def input_schema(self) -> dict[str, Any]:
        """A JSON Schema object of the parameters (an MCP tool's input schema)."""
        return {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.parameters},
            "required": [p.name for p in self.parameters if p.required],
            "additionalProperties": False,
        }


def bounded(questions: Mapping[str, Question], caps: Mapping[str, Any]) -> dict[str, Question]:
    """Every question of ``questions`` with an operator's caps applied, in the same order."""
    return {name: question.bounded(caps) for name, question in questions.items()}
