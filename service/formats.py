"""The answer formats of ``/sparql``, in one table that every part reads.

Each row says what the writers call the format (:mod:`painlink.service.results`, the key the query
workers are sent), which answers it carries (``results``: SELECT and ASK; ``graph``: CONSTRUCT,
DESCRIBE and the service description), the media types content negotiation offers for it (best
first: the order of the table is the order of preference), and its name among the W3C's format IRIs
(``http://www.w3.org/ns/formats/``), which the service description lists. Adding a format is one
row here and, for a new key, its writer.

>>> RESULT_OFFERS["application/json"], GRAPH_OFFERS["text/turtle"]
('json', 'turtle')
>>> FORMAT_IRIS["csv"]
'http://www.w3.org/ns/formats/SPARQL_Results_CSV'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["ANSWER_FORMATS", "EVERY_OFFER", "FORMAT_IRIS", "GRAPH_FORMATS", "GRAPH_OFFERS", "RESULT_FORMATS", "RESULT_OFFERS",
           "AnswerFormat", "W3C_FORMATS"]

#: Where the W3C names formats.
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class AnswerFormat:
    """One row of :data:`ANSWER_FORMATS` (module docstring)."""

    key: str
    kind: str  # "results" or "graph"
    media_types: tuple[str, ...]
    name: str
    rdf: ox.RdfFormat | None = None  # pyoxigraph's format, for graphs


ANSWER_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat("json", "results", ("application/sparql-results+json", "application/json"), "SPARQL_Results_JSON"),
    AnswerFormat("xml", "results", ("application/sparql-results+xml", "application/xml"), "SPARQL_Results_XML"),
    AnswerFormat("csv", "results", ("text/csv",), "SPARQL_Results_CSV"),
    AnswerFormat("tsv", "results", ("text/tab-separated-values",), "SPARQL_Results_TSV"),
    AnswerFormat("turtle", "graph", ("text/turtle",), "Turtle", ox.RdfFormat.TURTLE),
    AnswerFormat("ntriples", "graph", ("application/n-triples",), "N-Triples", ox.RdfFormat.N_TRIPLES),
    AnswerFormat("rdfxml", "graph", ("application/rdf+xml",), "RDF_XML", ox.RdfFormat.RDF_XML),
    AnswerFormat("jsonld", "graph", ("application/ld+json",), "JSON-LD", ox.RdfFormat.JSON_LD),
    AnswerFormat("nquads", "graph", ("application/n-quads",), "N-Quads", ox.RdfFormat.N_QUADS),
    AnswerFormat("trig", "graph", ("application/trig",), "TriG", ox.RdfFormat.TRIG),
)

#: Media types for SELECT/ASK answers, best first, with the writer key.
RESULT_OFFERS: dict[str, str] = {
    media: f.key for f in ANSWER_FORMATS if f.kind == "results" for media in f.media_types}
#: Media types for CONSTRUCT/DESCRIBE answers and the service description, best first.
GRAPH_OFFERS: dict[str, str] = {
    media: f.key for f in ANSWER_FORMATS if f.kind == "graph" for media in f.media_types}
#: Every media type ``/sparql`` answers in, best first (what a browser's HTML preference is weighed against).
EVERY_OFFER: list[str] = [*RESULT_OFFERS, *GRAPH_OFFERS]
#: Keys of the tabular formats (SELECT/ASK) the writers know.
RESULT_FORMATS: tuple[str, ...] = tuple(f.key for f in ANSWER_FORMATS if f.kind == "results")
#: RDF formats for CONSTRUCT/DESCRIBE, by the key the evaluator is sent.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {f.key: f.rdf for f in ANSWER_FORMATS if f.rdf is not None}
#: Each format's W3C IRI, by key.
FORMAT_IRIS: dict[str, str] = {f.key: W3C_FORMATS + f.name for f in ANSWER_FORMATS}
