"""The error bodies: an unknown name (404, with suggestions), a bad parameter (422), others."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import Model

__all__ = ["ErrorMessage", "NotFoundError", "ParameterError", "ParameterProblem", "Suggestion"]


class Suggestion(Model):
    """Something the caller may have meant."""

    id: str = Field(description="Its id.")
    label: str = Field(description="Its label (an entity) or statement (a claim).")
    href: str = Field(description="Its API address.")


class ErrorMessage(Model):
    """An error other than an unknown name or a bad parameter (406: no acceptable format)."""

    detail: str = Field(description="What was wrong and, where it helps, what the route offers instead.")


class ParameterProblem(Model):
    """One bad parameter, in FastAPI's own shape."""

    loc: list[str | int] = Field(description='Where: ["query" or "path", the parameter\'s name].')
    msg: str = Field(description="What is wrong with it: the value given and the allowed range.")
    type: str = Field(description="A short code: value_error, missing, repeated ...")
    input: Any = Field(None, description="The value given (None when it was missing).")


class ParameterError(Model):
    """A bad parameter (missing, not a number, out of range, given twice, refused by the engine)."""

    detail: list[ParameterProblem] = Field(description="The problem, one item.")


class NotFoundError(Model):
    """An unknown entity or claim: what was not found and what may have been meant."""

    detail: str = Field(description="What was not found.")
    parameter: str | None = Field(
        None, description="The parameter that named it (id, from, to, symptom, for, about)."
    )
    suggestions: list[Suggestion] = Field(
        default_factory=list, description="The closest matches, best first."
    )
