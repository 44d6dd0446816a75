"""Errors raised by :mod:`painlink.ontology`.

>>> error = OntologyParseError("expected '.'", source="ext.ttl", line=3, column=7)
>>> str(error)
"ext.ttl, line 3, column 7: expected '.'"
"""

from __future__ import annotations

__all__ = ["OntologyError", "OntologyParseError", "UnsupportedFormatError"]


class OntologyError(Exception):
    """Base class of every error this package raises."""


class OntologyParseError(OntologyError):
    """Raised by :func:`painlink.ontology.datafile.read_data` when a data file is not valid Turtle,
    N-Triples or JSON-LD. Carries where the parser stopped (``line`` and ``column`` are 1-based, ``None``
    when the parser does not say) so the user can find the mistake."""

    def __init__(self, reason: str, *, source: str = "<data>", line: int | None = None, column: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        where = source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {reason}")


class UnsupportedFormatError(OntologyError):
    """Raised by :func:`painlink.ontology.datafile.read_data` when asked for a serialisation painlink does
    not read (it reads Turtle, N-Triples and JSON-LD), or when a file's suffix does not say which."""
