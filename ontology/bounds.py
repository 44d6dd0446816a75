"""What painlink's parsers may be given: the bounds every entry checks before a parser sees the input.

The RDF parsers painlink relies on (pyoxigraph's, in Rust, and rdflib's) recurse once per level of
nesting -- JSON-LD objects and arrays, Turtle/TriG/N3 blank nodes ``[ ]``, collections ``( )`` and
formulas ``{ }``, SPARQL groups -- without a limit of their own: a 120 KB JSON-LD document nested
5,000 deep, or an ``INSERT DATA`` with 6,000 nested ``[ ]``, overflows the stack and kills the process
(SIGSEGV), and shallower ones still take gigabytes. RDF/XML may declare entities, which the XML parser
expands (679 bytes became a 300 MB literal). So, before any parser runs:

* :data:`MAX_NESTING` -- the deepest nesting accepted, in data (:func:`check_data`) and in SPARQL
  queries and updates (the endpoint counts it with its tokenizer);
* no ``<!DOCTYPE`` or ``<!ENTITY`` in RDF/XML (RDF/XML never needs them).

Read by every entry: Graph Store uploads and SPARQL updates (:mod:`painlink.service`), ``--data`` and
``painlink validate`` (:mod:`painlink.ontology.datafile`), ``painlink load`` and the store's own loads
(:mod:`painlink.graph.stores`). A breach raises :class:`UnsafeInput`, which each entry reports as a
refused input (400, or exit status 2) naming the reason; nothing is parsed or stored.

>>> check_data(b'{"@id": "http://e/a", "http://e/p": [[[1]]]}', "json-ld")
>>> try:
...     check_data(("[" * 100 + "]" * 100).encode(), "json-ld")
... except UnsafeInput as error:
...     print(error)
the data is nested more than 64 levels deep (JSON-LD objects and arrays); painlink accepts at most 64
>>> try:
...     check_data(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r/>', "rdf/xml")
... except UnsafeInput as error:
...     print(error)
the RDF/XML declares a DOCTYPE or entities, which painlink refuses (entity expansion); remove the declaration
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["MAX_NESTING", "UnsafeInput", "check_data", "check_file", "deepest"]

#: The deepest nesting painlink accepts in data and in SPARQL text (brackets of every kind, counted
#: together). Real data and queries stay far below it; the parsers' stacks give out in the thousands.
MAX_NESTING = 64

_CHUNK = 1 << 20


class UnsafeInput(ValueError):
    """Raised when input breaks a bound of this module; the message names the bound."""


# One pattern per syntax: what may hold brackets that do not nest (strings, IRIs, comments) is
# matched whole and skipped; a bracket is counted; a lone opener (a string or IRI not closed in this
# chunk) is carried over to the next chunk, or skipped at the end (the parser will reject the text).
_TURTLE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"""|(?P<long>"{3}|'{3})"""  # a long string not closed (yet): never read it as two short ones
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*[\n\r]"
    r"|(?P<open>[\[({])|(?P<close>[\])}])"
    r"|(?P<lone>[\"'<#])",
    re.DOTALL,
)
_JSON = re.compile(r'"(?:[^"\\]|\\.)*"|(?P<open>[\[{])|(?P<close>[\]}])|(?P<lone>")', re.DOTALL)
_SYNTAX = {
    "turtle": (_TURTLE, "Turtle/TriG/N3 blank nodes, collections and formulas"),
    "json-ld": (_JSON, "JSON-LD objects and arrays"),
}
#: Format names (rdflib's, pyoxigraph's media types and suffixes) -> the scanner's syntax.
_KINDS = {
    "turtle": "turtle", "ttl": "turtle", "trig": "turtle", "n3": "turtle", "text/turtle": "turtle",
    "application/trig": "turtle", "text/n3": "turtle",
    "json-ld": "json-ld", "jsonld": "json-ld", "json": "json-ld", "application/ld+json": "json-ld",
    "xml": "rdf/xml", "rdf/xml": "rdf/xml", "rdfxml": "rdf/xml", "rdf": "rdf/xml", "owl": "rdf/xml",
    "application/rdf+xml": "rdf/xml",
}
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_JSON_DOCUMENT = re.compile(rb"(?:\xef\xbb\xbf)?\s*[{\[]")


def _kind(fmt: object) -> str | None:
    """The syntax of a format given as a name, a media type or a pyoxigraph ``RdfFormat``."""
    name = getattr(fmt, "media_type", fmt)
    return _KINDS.get(str(name).lower().split(";")[0].strip().lstrip("."))


def deepest(chunks: Iterable[str], syntax: str, limit: int = MAX_NESTING) -> int:
    """The deepest nesting in the text given as ``chunks`` (stops counting just past ``limit``)."""
    pattern = _SYNTAX[syntax][0]
    depth = most = 0
    carried = ""
    iterator = iter(chunks)
    for chunk in _with_last(iterator):
        text, last = carried + chunk[0], chunk[1]
        carried = ""
        for match in pattern.finditer(text):
            if match.lastgroup == "open":
                depth += 1
                if depth > most:
                    most = depth
                    if most > limit:
                        return most
            elif match.lastgroup == "close":
                depth -= 1
            elif not last and match.end() == len(text):
                # A token that touches the end of a chunk may go on in the next one: `""` read here as
                # an empty string is the start of a `"""` long string when the next chunk opens with `"`.
                carried = text[match.start() :]
                break
            elif match.lastgroup in ("lone", "long"):
                if not last:  # perhaps closed in the next chunk: read it again from here
                    carried = text[match.start() :]
                    break
                if match.group() == "#":  # a comment on the last line, without a newline after it
                    break
    return most


def _with_last(chunks: Iterator[str]) -> Iterator[tuple[str, bool]]:
    previous = next(chunks, None)
    if previous is None:
        yield "", True
        return
    for chunk in chunks:
        yield previous, False
        previous = chunk
    yield previous, True


def _check(chunks: Iterable[str], head: bytes, kind: str | None) -> None:
    if kind == "rdf/xml":
        if _DECLARATION.search(head):
            raise UnsafeInput(
                "the RDF/XML declares a DOCTYPE or entities, which painlink refuses (entity expansion); "
                "remove the declaration"
            )
        return
    if kind not in _SYNTAX:
        return  # N-Triples, N-Quads: one statement a line, nothing nests
    if kind == "json-ld" and head and not _JSON_DOCUMENT.match(head):
        # pyoxigraph reads `false` or `"x"` as an empty graph; JSON-LD says a document is an object or array
        raise UnsafeInput("a JSON-LD document is a JSON object or array, and this is neither")
    if deepest(chunks, kind) > MAX_NESTING:
        raise UnsafeInput(
            f"the data is nested more than {MAX_NESTING} levels deep ({_SYNTAX[kind][1]}); "
            f"painlink accepts at most {MAX_NESTING}"
        )


def check_data(data: bytes | str, fmt: object) -> None:
    """Refuse ``data`` in format ``fmt`` (a name like ``turtle``, a media type or a pyoxigraph
    ``RdfFormat``) that breaks a bound (module docstring)."""
    raw = data.encode() if isinstance(data, str) else data
    kind = _kind(fmt)
    # RDF/XML: a declaration comes before the root element, but look everywhere (cheap, in C).
    text = data if isinstance(data, str) else data.decode("utf-8", errors="replace") if kind in _SYNTAX else ""
    _check([text], raw, kind)


def check_file(path: str | Path, fmt: object) -> None:
    """:func:`check_data` for a file, read in chunks (``painlink load`` takes files of any size)."""
    kind = _kind(fmt)
    if kind == "rdf/xml":
        with open(path, "rb") as file:
            _check([], file.read(), kind)  # DOCTYPE/ENTITY may be anywhere; the XML parser reads it all too
        return

    def chunks() -> Iterator[str]:
        with open(path, encoding="utf-8", errors="replace") as file:
            while chunk := file.read(_CHUNK):
                yield chunk

    _check(chunks(), b"", kind)
