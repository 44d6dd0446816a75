"""Errors the graph engine raises about a caller's request or data (the store's own errors live in
:mod:`painlink.graph.stores`). What each means to whoever asked -- the HTTP status, the wording, the
command line's exit status -- is declared once, in :mod:`painlink.service.meanings`, which every face
reads (the service sets the budgets, see :mod:`painlink.graph.budget`).

>>> error = UnknownEntityError("foot pian", ["foot pain", "foot drop"])
>>> str(error)
"no entity named 'foot pian'; did you mean: foot pain, foot drop?"
>>> str(DataRejectedError("parse", ["expected '.'"], source="ext.ttl", line=3, column=7))
"ext.ttl, line 3, column 7: expected '.'"
"""

from __future__ import annotations

from collections.abc import Sequence

from painlink.ontology.exceptions import OntologyParseError

__all__ = [
    "BudgetExceededError",
    "DataRejectedError",
    "GraphError",
    "InvalidParameterError",
    "UnknownClaimError",
    "UnknownEntityError",
]


class GraphError(Exception):
    """Base class of the errors in this module."""


class UnknownEntityError(GraphError, LookupError):
    """Raised when a name (id, IRI, CURIE, label or synonym) matches no entity. ``suggestions`` holds
    the labels of the closest entities ("did you mean ..."), best first; it may be empty."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        message = f"no entity named {name!r}"
        if self.suggestions:
            message += f"; did you mean: {', '.join(self.suggestions)}?"
        super().__init__(message)


class UnknownClaimError(GraphError, LookupError):
    """Raised when a claim id or IRI names no claim in the graph."""

    def __init__(self, claim: str) -> None:
        self.claim = claim
        super().__init__(f"no claim {claim!r}")


class InvalidParameterError(GraphError, ValueError):
    """Raised before any work when a parameter is out of range or of the wrong kind (a max length
    below 1, a limit above the allowed maximum, no symptoms given, source equal to target ...).
    ``field`` names the parameter, ``reason`` says what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    @classmethod
    def out_of_range(cls, field: str, value: object, low: int, high: int, setting: str | None = None
                     ) -> InvalidParameterError:
        """The one wording of "a whole number outside ``low .. high``" on every face; ``setting`` names
        the operator's setting that lowered ``high`` (a server's cap).

        >>> print(InvalidParameterError.out_of_range("limit", "x", 1, 50, "max_answers"))
        limit: must be a whole number from 1 to 50, not “x” (at most 50 on this server: setting max_answers)
        >>> print(InvalidParameterError.out_of_range("depth", 9, 1, 3))
        depth: must be a whole number from 1 to 3, not 9
        """
        shown = f"“{value}”" if isinstance(value, str) else repr(value)
        capped = f" (at most {high} on this server: setting {setting})" if setting else ""
        return cls(field, f"must be a whole number from {low} to {high}, not {shown}{capped}")


class BudgetExceededError(GraphError):
    """Raised inside a path question when its :class:`~painlink.graph.budget.Budget` runs out: ``reason``
    is ``"time"`` (past the deadline), ``"expansions"`` or ``"candidates"`` (too much work), or the reason
    it was cancelled with (``"the client has gone"``). Nothing partial is answered."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class DataRejectedError(GraphError):
    """Raised by :meth:`painlink.graph.Knowledge.add_file` when a data file is refused; nothing of it
    was loaded. ``kind`` is ``"parse"`` (the file does not parse: ``line``/``column`` say where, when
    the parser tells), ``"format"`` (its format is unknown) or ``"validation"`` (it parses but the
    merged graph breaks the SHACL shapes or QC queries: ``messages`` lists the violations, ``report``
    holds the full :class:`~painlink.ontology.validation.ValidationReport`)."""

    def __init__(
        self,
        kind: str,
        messages: Sequence[str],
        *,
        source: str = "<data>",
        line: int | None = None,
        column: int | None = None,
        report: object | None = None,
    ) -> None:
        self.kind = kind
        self.messages = list(messages)
        self.source = source
        self.line = line
        self.column = column
        self.report = report
        # The ontology's parse error already words "file, line L, column C: reason"; say it the same way.
        located = OntologyParseError("; ".join(self.messages), source=source, line=line, column=column)
        super().__init__(str(located))

    def explain(self) -> str:
        """The refusal as every face words it (``painlink --data``, ``painlink serve --data``): the
        parse error where it is, or the file and each violation on a line of its own."""
        if self.kind != "validation":
            return f"--data rejected, nothing was loaded: {self}"
        rules = "\n".join(f"  {message}" for message in self.messages)
        return f"--data rejected, nothing was loaded: {self.source} breaks {len(self.messages)} rule(s):\n{rules}"
