"""Reading a user's data file (Turtle, N-Triples or JSON-LD) into an rdflib graph, with the parser's
position when it fails, so ``--data FILE`` and ``painlink validate FILE`` can say where the mistake is.

>>> graph = read_data(b'@prefix ex: <http://e/> .\\nex:a ex:b ex:c .', format="turtle")
>>> len(graph)
1
>>> try:
...     read_data(b'@prefix ex: <http://e/> .\\nex:a ex:b ex:c ex:d .', format="turtle", name="ext.ttl")
... except OntologyParseError as error:
...     print(error.line, error.column, error)
2 16 ext.ttl, line 2, column 16: expected '.' or '}' or ']' at end of statement
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .bounds import UnsafeInput, check_data
from .exceptions import OntologyParseError, UnsupportedFormatError

__all__ = ["FORMATS", "SUFFIXES", "format_for", "read_data"]

#: The serialisations painlink reads, by the names rdflib uses.
FORMATS = ("turtle", "nt", "json-ld")
#: File suffix -> format.
SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "jsonld": "json-ld"}


def format_for(path: str | Path, format: str | None = None) -> str:
    """The rdflib format name for ``path``: ``format`` if given (aliases like ``ttl`` accepted), else
    from the suffix.

    >>> format_for("ext.jsonld"), format_for("x.data", "ttl")
    ('json-ld', 'turtle')
    """
    if format is not None:
        name = _ALIASES.get(format.lower(), format.lower())
        if name not in FORMATS:
            raise UnsupportedFormatError(f"unknown format {format!r}: use one of turtle, nt, json-ld")
        return name
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormatError(
            f"cannot tell the format of {Path(path).name!r} from its suffix: use .ttl, .nt or .jsonld, or name the format"
        )
    return SUFFIXES[suffix]


def read_data(source: str | Path | bytes, *, format: str | None = None, name: str | None = None) -> Graph:
    """Parse ``source`` (a path, or the file's bytes with ``format``) into a new graph.

    Raises :class:`OntologyParseError` (with line and column where the parser gives them) when it does
    not parse, :class:`UnsupportedFormatError` for an unknown format, and :class:`FileNotFoundError` for a
    missing file.
    """
    if isinstance(source, bytes):
        if format is None:
            raise UnsupportedFormatError("the format must be given when reading bytes")
        data, fmt, label = source, format_for("", format), name or "<data>"
    else:
        path = Path(source)
        fmt, label = format_for(path, format), name or str(path)
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OntologyParseError("the file is not UTF-8 text", source=label, line=line) from None
    try:  # before any parser sees it: nesting depth (painlink.ontology.bounds)
        check_data(text, fmt)
    except UnsafeInput as error:
        raise OntologyParseError(str(error), source=label) from None
    if fmt == "json-ld":
        # rdflib's JSON-LD parser fetches remote contexts (@context URLs, @import): read JSON-LD with
        # pyoxigraph, which refuses them without a request, and hand rdflib the triples.
        text = _jsonld_as_ntriples(data, label)
        fmt = "nt"
    graph = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser builds a ConjunctiveGraph internally and warns about its own use of it
            warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning)
            graph.parse(data=text, format=fmt)
    except BadSyntax as error:
        raise _turtle_error(error, label) from None
    except json.JSONDecodeError as error:  # orjson's error subclasses it too
        raise OntologyParseError(error.msg, source=label, line=error.lineno, column=error.colno) from None
    except Exception as error:  # rdflib raises many types; every one means "this file does not parse"
        line = _first_bad_ntriples_line(text) if fmt == "nt" else None
        raise OntologyParseError(str(error) or type(error).__name__, source=label, line=line) from None
    return graph


def _jsonld_as_ntriples(data: bytes, label: str) -> str:
    import pyoxigraph as ox

    try:
        quads = list(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    except SyntaxError as error:
        reason = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(error))
        if "remote context" in reason:
            reason = "it names a remote context (an @context URL or @import), which painlink never fetches; inline the context"
        raise OntologyParseError(reason, source=label, line=error.lineno, column=error.offset) from None
    triples = [ox.Triple(quad.subject, quad.predicate, quad.object) for quad in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _turtle_error(error: BadSyntax, label: str) -> OntologyParseError:
    # BadSyntax keeps the text read so far (_str), the offset where it stopped (_i) and a 0-based line count.
    consumed = error._str if isinstance(error._str, bytes) else error._str.encode()
    offset = error._i
    column = offset - consumed.rfind(b"\n", 0, offset)
    return OntologyParseError(error._why, source=label, line=error.lines + 1, column=column)


def _first_bad_ntriples_line(text: str) -> int | None:
    # N-Triples is one statement a line, but rdflib's error does not say which; find it.
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            Graph().parse(data=line, format="nt")
        except Exception:
            return number
    return None
