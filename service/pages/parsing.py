"""Reading a page's query parameters: one value each (a repeat is a 400), and a question's values from
its declaration with the server's caps (:func:`painlink.service.questions.served`), so a page takes
the same names, defaults and bounds as every other face."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from painlink.service.questions import served

from .errors import PageError

__all__ = ["one_value", "required", "values_of"]


def one_value(request: Request, name: str) -> str | None:
    """One query parameter, stripped (None when absent or blank); repeating it is an error."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise PageError(400, "Cannot answer that", f"The parameter “{name}” was given {len(values)} times; give it once.")
    return values[0].strip() if values and values[0].strip() else None


def required(request: Request, name: str, heading: str, message: str) -> str:
    """A parameter the page cannot do without; its absence is a 400 saying what to give."""
    value = one_value(request, name)
    if value is None:
        raise PageError(400, heading, message)
    return value


def values_of(request: Request, name: str, **path: str) -> dict[str, Any]:
    """The checked values of question ``name``'s parameters from the address (``path``: those in the
    path), with this server's caps; a bad one is a 400 page saying which and why (:func:`friendly`)."""
    question = served(request, name)
    raw: dict[str, Any] = dict(path)
    for parameter in question.parameters:
        if parameter.name in path:
            continue
        if parameter.type == "strings":
            raw[parameter.name] = request.query_params.getlist(parameter.name)
        else:
            raw[parameter.name] = one_value(request, parameter.name)
    return question.validate(raw)
