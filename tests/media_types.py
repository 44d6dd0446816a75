"""What the tests expect each media type to hold, as pyoxigraph formats to parse the body with.

Written out here, apart from the service's own tables, so a test checks the service's choice against an
independent expectation.
"""

import pyoxigraph as ox

__all__ = ["RDF_FORMATS", "RESULT_FORMATS"]

#: SPARQL results (SELECT / ASK) by media type.
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

#: RDF graphs and datasets (CONSTRUCT / DESCRIBE, Graph Store bodies) by media type.
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
