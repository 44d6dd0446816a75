"""RDF as every backend reads and writes it: the format a file name implies, the parse of a file
(bounds checked first, errors naming the file), and the one update that replaces a graph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from painlink.ontology.bounds import UnsafeInput, check_file

from .values import DEFAULT_GRAPH

__all__ = ["rdf_format_for", "graph_term", "replacement_update", "into_graph", "parse_file"]

_FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


def rdf_format_for(path: str | Path) -> ox.RdfFormat:
    """The RDF format a file name implies.

    >>> rdf_format_for("extension.ttl").name
    'Turtle'
    >>> rdf_format_for("x.csv")
    Traceback (most recent call last):
    ...
    ValueError: cannot tell the RDF format of 'x.csv': use one of .jsonld, .n3, .nq, .nt, .ttl, .trig, .rdf ...
    """
    suffix = Path(path).suffix.lower()
    try:
        return _FORMATS_BY_SUFFIX[suffix]
    except KeyError:
        raise ValueError(
            f"cannot tell the RDF format of {str(path)!r}: use one of "
            ".jsonld, .n3, .nq, .nt, .ttl, .trig, .rdf ..."
        ) from None


def graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """The pyoxigraph graph name for ``graph`` (the default graph when None)."""
    return DEFAULT_GRAPH if graph is None else ox.NamedNode(graph)


def replacement_update(triples: Iterable[ox.Triple | ox.Quad], graph: str | None) -> str:
    """The one SPARQL update that replaces the content of ``graph`` (the default graph when None) with
    ``triples`` (a quad's own graph is ignored). One update is one transaction on every backend, so a
    crash or a full disk part-way leaves the old graph or the new one, never neither (a clear and an
    add in two steps could leave it empty). A named graph exists afterwards even if ``triples`` is
    empty, as a Graph Store PUT says.

    >>> print(replacement_update([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))], None))
    CLEAR SILENT DEFAULT ;
    INSERT DATA {
    <http://e/a> <http://e/p> "x" .
    }
    """
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    if graph is None:
        return f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}\n}}"
    name = ox.NamedNode(graph)
    return f"DROP SILENT GRAPH {name} ;\nCREATE SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"


def into_graph(quads: Iterable[ox.Quad], graph: str | None) -> Iterator[ox.Quad]:
    """Put the triples of a parse (quads in the default graph) into ``graph``; quads that name their
    own graph (TriG, N-Quads) keep it."""
    if graph is None:
        yield from quads
        return
    target = ox.NamedNode(graph)
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, target)
        else:
            yield quad


def parse_file(path: Path, *, graph: str | None = None) -> Iterator[ox.Quad]:
    """The quads of one RDF file; a syntax error names the file, and so does a file that breaks a bound
    of :mod:`painlink.ontology.bounds` (checked before the parser sees it)."""
    fmt = rdf_format_for(path)
    try:
        check_file(path, fmt)
    except UnsafeInput as error:
        raise SyntaxError(f"{path}: {error}") from None
    try:
        yield from into_graph(ox.parse(path=str(path), format=fmt), graph)
    except SyntaxError as error:
        raise SyntaxError(f"{path}: {error}") from None
