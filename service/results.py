"""Write a query's answer in the format content negotiation chose, stopping at the result-size cap.

pyoxigraph serialises results natively but only by consuming the whole iterator, so it cannot stop
at a cap; these writers take the solutions one at a time, count them, and raise
:class:`TooManyResults` at ``max_rows + 1`` -- before the rest is ever computed (evaluation is lazy).
They write exactly what pyoxigraph's own serialisers write (the tests compare the two): SPARQL 1.1
Query Results JSON, XML, CSV and TSV, with the RDF 1.2 extensions pyoxigraph uses (triple terms,
``its:dir`` for directional language tags). RDF answers (CONSTRUCT/DESCRIBE) are collected up to the cap
and handed to ``pyoxigraph.serialize``.

This module runs inside the evaluation processes (:mod:`painlink.service.replica`): it imports only the
standard library and pyoxigraph.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.update('INSERT DATA { <http://e/a> <http://e/label> "foot"@en }')
>>> solutions = store.query("SELECT ?s ?label WHERE { ?s ?p ?label }")
>>> write_solutions(solutions, "tsv", max_rows=10).decode()
'?s\\t?label\\n<http://e/a>\\t"foot"@en\\n'
>>> try:
...     write_solutions(store.query("SELECT * WHERE { ?s ?p ?o }"), "json", max_rows=0)
... except TooManyResults as error:
...     print(error)
the answer has more than 0 rows, this server's limit; add a LIMIT to the query
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from painlink.service.formats import GRAPH_FORMATS, RESULT_FORMATS  # (the one table; also exported here)

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "TooManyResults",
    "write_boolean",
    "write_rows",
    "write_solutions",
    "write_triples",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
_IMPLICIT_DATATYPES = {_XSD_STRING, _RDF_LANG_STRING, _RDF_DIR_LANG_STRING}


class TooManyResults(Exception):
    """Raised when an answer has more rows or triples than the configured cap."""

    def __init__(self, limit: int, unit: str = "rows") -> None:
        super().__init__(f"the answer has more than {limit} {unit}, this server's limit; add a LIMIT to the query")


def _capped(items: Iterable, max_rows: int, unit: str = "rows") -> list:
    taken = []
    for item in items:
        if len(taken) >= max_rows:
            raise TooManyResults(max_rows, unit)
        taken.append(item)
    return taken


# --- JSON ------------------------------------------------------------------------------------------
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction.value)
        elif term.datatype.value not in _IMPLICIT_DATATYPES:
            out["datatype"] = term.datatype.value
        return out
    # a triple term (RDF 1.2)
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(names: list[str], rows: list) -> bytes:
    bindings = []
    for solution in rows:
        binding = {}
        for name in names:
            term = solution[name]
            if term is not None:
                binding[name] = _json_term(term)
        bindings.append(binding)
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


# --- XML -------------------------------------------------------------------------------------------
def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attributes = f" xml:lang={quoteattr(term.language)}"
            if term.direction is not None:
                attributes += (
                    f" its:dir={quoteattr(str(term.direction.value))}"
                    ' xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0"'
                )
        elif term.datatype.value not in _IMPLICIT_DATATYPES:
            attributes = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attributes = ""
        return f"<literal{attributes}>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(names: list[str], rows: list) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(name)}/>" for name in names]
    parts.append("</head><results>")
    for solution in rows:
        parts.append("<result>")
        for name in names:
            term = solution[name]
            if term is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts).encode()


# --- CSV and TSV -------------------------------------------------------------------------------------
def _csv_term(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return f"{_csv_term(term.subject)} {_csv_term(term.predicate)} {_csv_term(term.object)}"


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(names: list[str], rows: list) -> bytes:
    lines = [",".join(_csv_field(name) for name in names)]
    for solution in rows:
        cells = []
        for name in names:
            term = solution[name]
            cells.append("" if term is None else _csv_field(_csv_term(term)))
        lines.append(",".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode()


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _tsv_term(term) -> str:
    # N-Triples syntax (escapes tabs and newlines), with integers written bare as pyoxigraph does.
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD + "integer" and term.value.lstrip("+-").isdigit():
        return term.value
    if isinstance(term, ox.Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)


def _tsv(names: list[str], rows: list) -> bytes:
    lines = ["\t".join(f"?{name}" for name in names)]
    for solution in rows:
        lines.append("\t".join("" if (term := solution[name]) is None else _tsv_term(term) for name in names))
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_rows(names: list[str], rows: Sequence, fmt: str) -> bytes:
    r"""Serialise SELECT rows -- each a mapping of every name to a term, or None where unbound -- in
    ``fmt`` (one of :data:`RESULT_FORMATS`): the writer of :func:`write_solutions`, for rows read
    from the store's index (:mod:`painlink.service.patterns`).

    >>> write_rows(["s"], [{"s": ox.NamedNode("http://e/a")}, {"s": None}], "tsv")
    b'?s\n<http://e/a>\n\n'
    """
    return _WRITERS[fmt](names, rows)


#: pyoxigraph's own serialisers, used when the answer cannot pass the cap (``bounded``): the formats
#: whose bytes the writers here match exactly (tests/service/test_results.py; XML and TSV only
#: read back the same).
_NATIVE = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV}


def write_solutions(
    solutions: ox.QuerySolutions, fmt: str, *, max_rows: int, order: Sequence[str] | None = None,
    bounded: bool = False,
) -> bytes:
    r"""Serialise a SELECT answer in ``fmt`` (one of :data:`RESULT_FORMATS`), raising
    :class:`TooManyResults` when it has more than ``max_rows`` rows. ``order``: the columns' order
    (names it lacks come last, as the engine gives them), for ``SELECT *``. ``bounded``: the query
    itself cannot give more than ``max_rows`` rows (its outer LIMIT), so pyoxigraph's own serialiser
    writes it -- the same bytes, five times faster on a large answer (bench/README.md, "large answer").

    >>> store = ox.Store()
    >>> write_solutions(store.query("SELECT * { BIND(1 AS ?b) BIND(2 AS ?a) }"), "csv", max_rows=1, order=["b", "a"])
    b'b,a\r\n1,2\r\n'
    """
    if bounded and not order and fmt in _NATIVE:
        return solutions.serialize(format=_NATIVE[fmt])
    names = [variable.value for variable in solutions.variables]
    if order:
        rank = {name: number for number, name in enumerate(order)}
        names.sort(key=lambda name: rank.get(name, len(rank)))  # stable: the rest keep the engine's order
    return _WRITERS[fmt](names, _capped(solutions, max_rows))


def write_boolean(value: bool, fmt: str) -> bytes:
    """Serialise an ASK answer in ``fmt``.

    >>> write_boolean(True, "json"), write_boolean(False, "csv")
    (b'{"head":{},"boolean":true}', b'false')
    """
    text = "true" if value else "false"
    if fmt == "json":
        return f'{{"head":{{}},"boolean":{text}}}'.encode()
    if fmt == "xml":
        return f"{_XML_HEAD}<head></head><boolean>{text}</boolean></sparql>".encode()
    return text.encode()


def write_triples(
    triples: Iterable[ox.Triple], fmt: str, *, max_rows: int, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise a CONSTRUCT/DESCRIBE answer in ``fmt`` (a key of :data:`GRAPH_FORMATS`; the dataset
    formats put the triples in the default graph), raising :class:`TooManyResults` past ``max_rows``
    triples. A format that cannot hold the answer (JSON-LD and RDF/XML have no triple terms) raises
    ``ValueError``.

    >>> triple = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))
    >>> write_triples([triple], "nquads", max_rows=5)
    b'<http://e/a> <http://e/p> "x" .\\n'
    >>> write_triples([triple], "turtle", max_rows=5, prefixes={"e": "http://e/"}).decode()
    '@prefix e: <http://e/> .\\ne:a e:p "x" .\\n'
    """
    rdf_format = GRAPH_FORMATS[fmt]
    taken = _capped(triples, max_rows, "triples")
    items: list = taken
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in taken]
    with_prefixes = bool(prefixes) and rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    try:
        body = ox.serialize(items, format=rdf_format, prefixes=prefixes if with_prefixes else None)
    except (OSError, TypeError) as error:
        raise ValueError(f"cannot write this answer as {rdf_format.name}: {error}") from None
    return _drop_unused_prefixes(body) if with_prefixes else body


_PREFIX_LINE = re.compile(rb"@prefix ([A-Za-z][\w.\-]*)?: <[^>]*> \.\n")
_PREFIX_USE = re.compile(rb"(?:^|[\s(\[,;^])([A-Za-z][\w.\-]*)?:", re.MULTILINE)


def _drop_unused_prefixes(body: bytes) -> bytes:
    r"""Leave out the ``@prefix`` lines the document never uses (pyoxigraph writes every one given).

    >>> _drop_unused_prefixes(b"@prefix a: <http://a/> .\n@prefix c: <http://c/> .\na:x a:y 1 .\n")
    b'@prefix a: <http://a/> .\na:x a:y 1 .\n'
    >>> _drop_unused_prefixes(b"@prefix a: <http://a/> .\n<http://x> <http://y> 1 .\n")
    b'<http://x> <http://y> 1 .\n'
    """
    header_end = 0
    for match in _PREFIX_LINE.finditer(body):
        if match.start() != header_end:
            break
        header_end = match.end()
    content = body[header_end:]
    used = {match.group(1) or b"" for match in _PREFIX_USE.finditer(content)}
    kept = [line.group() for line in _PREFIX_LINE.finditer(body[:header_end]) if (line.group(1) or b"") in used]
    return b"".join(kept) + content
