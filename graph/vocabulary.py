"""The closed lists painlink's words come from, one table per concept, read by every face: the
stances of evidence, the kinds of entity, the kinds of source, and the RDF formats a graph is read and
written in. (The result formats of SPARQL, by the key the endpoint names them with, are the
writers' table, :data:`painlink.service.results.GRAPH_FORMATS`; the numbers the schema owns -- causal strengths, evidence weights, kind ranks -- stay in
``ontology/schema.ttl``; these are the names, words and markers around them.)

>>> [stance.name for stance in STANCES.values()]
['supports', 'qualifies', 'contradicts']
>>> STANCES["contradicts"].marker, STANCES["contradicts"].side, STANCES["contradicts"].vote
('[-]', 'against', -1.0)
>>> KINDS["cause"].label
'Cause or condition'
>>> SOURCE_KINDS["commercial"].noun(2), SOURCE_KINDS["commercial"].weak
('commercial pages', True)
>>> EXPORT_FORMATS["ttl"].media_type
'text/turtle'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["EXPORT_FORMATS", "KINDS", "RDF_FORMATS", "SOURCE_KINDS", "STANCES", "Kind", "SourceKind", "Stance"]


@dataclass(frozen=True)
class Stance:
    """One stance an evidence item takes on its claim (``pl:stance``): ``name`` as in JSON, the
    schema's individual, how a page names it, the plain-text ``marker``, the ``side`` it puts the item
    on ("the evidence for ...") and its ``vote`` in the evidence factor (:mod:`painlink.graph.paths`)."""

    name: str
    individual: str
    label: str
    marker: str
    side: str
    vote: float


@dataclass(frozen=True)
class Kind:
    """One of the four kinds of entity (design.md, "Schema"): ``name`` as in JSON, its ``pl:`` class,
    and what a reader calls it."""

    name: str
    individual: str
    label: str


@dataclass(frozen=True)
class SourceKind:
    """One kind of source (the schema's ``pl:SourceKind`` labels), how to count it in a sentence, and
    whether it is ``weak``: a claim resting only on weak sources says so."""

    name: str
    singular: str
    plural: str
    weak: bool = False

    def noun(self, count: int = 1) -> str:
        """``singular`` for one, ``plural`` for any other number."""
        return self.singular if count == 1 else self.plural


#: The stances, in the order a reader weighs them.
STANCES: dict[str, Stance] = {s.name: s for s in (
    Stance("supports", "Supports", "Supports", "[+]", "for", 1.0),
    Stance("qualifies", "Qualifies", "Qualifies", "[~]", "qualifying", 0.5),
    Stance("contradicts", "Contradicts", "Contradicts", "[-]", "against", -1.0),
)}

#: The kinds of entity, in legend order.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("symptom", "Symptom", "Symptom or sign"),
    Kind("anatomy", "AnatomicalStructure", "Anatomy"),
    Kind("cause", "Cause", "Cause or condition"),
    Kind("intervention", "Intervention", "Intervention"),
)}

#: The kinds of source, strongest first (the schema's ``pl:kindRank`` order).
SOURCE_KINDS: dict[str, SourceKind] = {k.name: k for k in (
    SourceKind("guideline", "guideline", "guidelines"),
    SourceKind("systematic-review", "systematic review", "systematic reviews"),
    SourceKind("clinical-reference", "clinical reference", "clinical references"),
    SourceKind("review", "narrative review", "narrative reviews"),
    SourceKind("primary-study", "single study", "single studies"),
    SourceKind("patient-information", "patient-information page", "patient-information pages"),
    SourceKind("practice-page", "practice page", "practice pages", weak=True),
    SourceKind("commercial", "commercial page", "commercial pages", weak=True),
)}

#: The RDF formats one graph is read and written in, best first (media types and suffixes are
#: pyoxigraph's: ``RdfFormat.media_type``, ``RdfFormat.file_extension``).
RDF_FORMATS: tuple[ox.RdfFormat, ...] = (
    ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD,
)
#: ``painlink export --format`` and :meth:`~painlink.graph.Knowledge.export`: by file suffix.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    f.file_extension: f for f in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD)
}
