"""The painlink ontology: the schema, the knowledge (article and cited claims), the mappings to public
ontologies, the SHACL shapes and the QC queries, plus a copy of the article the knowledge quotes.

Everything here is data in Turtle / SPARQL files; this module says where the files are and how to read
them. What goes into a store is :data:`SHIPPED_FILES` (schema, knowledge, mappings); the shapes and the
QC queries only check data (see :mod:`painlink.ontology.validation`).

>>> NAMESPACES["pl"], NAMESPACES["HP"]
('https://w3id.org/painlink/vocab#', 'http://purl.obolibrary.org/obo/HP_')
>>> NAMESPACES["pli"], NAMESPACES["plr"]
('https://w3id.org/painlink/id/', 'https://w3id.org/painlink/redflag/')
>>> [path.name for path in SHIPPED_FILES][0]
'schema.ttl'
>>> graph = shipped_graph()
>>> (PLI["foot-pain"], PL.causes, PLI["altered-gait"]) in graph
True
>>> KINDS[PL.Symptom]
'symptom'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef

__all__ = [
    "ARTICLE_PATH",
    "BIOLINK",
    "KINDS",
    "KNOWLEDGE_DIR",
    "MAPPINGS_PATH",
    "NAMESPACES",
    "OA",
    "ONTOLOGY_DIR",
    "PL",
    "PLC",
    "PLI",
    "PLR",
    "PLS",
    "PLV",
    "QC_DIR",
    "SCHEMA",
    "SCHEMA_PATH",
    "SHAPES_PATH",
    "SHIPPED_FILES",
    "bind_namespaces",
    "shipped_graph",
]

ONTOLOGY_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = ONTOLOGY_DIR / "schema.ttl"
KNOWLEDGE_DIR = ONTOLOGY_DIR / "knowledge"
MAPPINGS_PATH = ONTOLOGY_DIR / "mappings.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
QC_DIR = ONTOLOGY_DIR / "qc"
ARTICLE_PATH = ONTOLOGY_DIR / "sources" / "foot-and-back-pain-article.txt"

#: The files whose triples make up the shipped graph, in load order: the schema, every knowledge file
#: (sorted by name, so a new file joins without a code change), then the mappings. Not the shapes.
SHIPPED_FILES: tuple[Path, ...] = tuple(
    path
    for path in (SCHEMA_PATH, *sorted(KNOWLEDGE_DIR.glob("*.ttl")), MAPPINGS_PATH)
    if path.is_file()
)

#: Prefix -> namespace IRI, the one table every part of painlink binds (docs/design.md, "IRIs").
NAMESPACES: dict[str, str] = {
    "pl": "https://w3id.org/painlink/vocab#",
    "pli": "https://w3id.org/painlink/id/",
    "plc": "https://w3id.org/painlink/claim/",
    "plv": "https://w3id.org/painlink/evidence/",
    "pls": "https://w3id.org/painlink/source/",
    "plr": "https://w3id.org/painlink/redflag/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
}

PL = Namespace(NAMESPACES["pl"])
PLI = Namespace(NAMESPACES["pli"])
PLC = Namespace(NAMESPACES["plc"])
PLV = Namespace(NAMESPACES["plv"])
PLS = Namespace(NAMESPACES["pls"])
PLR = Namespace(NAMESPACES["plr"])
BIOLINK = Namespace(NAMESPACES["biolink"])
OA = Namespace(NAMESPACES["oa"])
SCHEMA = Namespace(NAMESPACES["schema"])

#: The four kinds of entity (rdf:type) -> the name the JSON API and pages use.
KINDS: dict[URIRef, str] = {
    PL.Symptom: "symptom",
    PL.AnatomicalStructure: "anatomy",
    PL.Cause: "cause",
    PL.Intervention: "intervention",
}


def bind_namespaces(graph: Graph) -> Graph:
    """Bind every prefix of :data:`NAMESPACES` on ``graph`` (replacing rdflib's defaults) and return it.

    >>> g = bind_namespaces(Graph())
    >>> g.qname(PLI["foot-pain"])
    'pli:foot-pain'
    """
    for prefix, iri in NAMESPACES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


@lru_cache(maxsize=1)
def _shipped_triples() -> tuple:
    # Parsing takes a few hundred milliseconds; callers get a fresh graph each time, so they may
    # modify it without touching anyone else's copy.
    graph = Graph()
    for path in SHIPPED_FILES:
        graph.parse(path, format="turtle")
    return tuple(graph)


def shipped_graph() -> Graph:
    """A new rdflib graph holding the shipped ontology (:data:`SHIPPED_FILES`) with the painlink
    prefixes bound. The caller owns it.

    >>> graph = shipped_graph()
    >>> graph.value(PLI["sciatic-nerve"], PL.runsThrough) is not None
    True
    """
    graph = bind_namespaces(Graph())
    for triple in _shipped_triples():
        graph.add(triple)
    return graph
