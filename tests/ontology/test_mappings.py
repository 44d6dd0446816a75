"""Mappings to public ontologies use only identifiers from ontology-ids.tsv, with its labels, and say
closeMatch where the table says the term is only approximate."""

from __future__ import annotations

from rdflib import RDFS, URIRef
from rdflib.namespace import SKOS

from painlink.ontology import NAMESPACES, PLI

EXTERNAL = ("HP", "UBERON", "MONDO", "MAXO", "MESH")


def iri(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(NAMESPACES[prefix] + local)


def external_iris(graph):
    """Every IRI in the graph under one of the public ontologies' namespaces, wherever it appears."""
    bases = tuple(NAMESPACES[p] for p in EXTERNAL)
    found = set()
    for triple in graph:
        found.update(t for t in triple if isinstance(t, URIRef) and str(t).startswith(bases))
    return found


def test_every_external_iri_is_in_the_reference_table(graph, ontology_ids):
    known = {iri(row["id"]) for row in ontology_ids}
    used = external_iris(graph)
    assert len(used) >= 40
    assert used - known == set()


def test_external_terms_carry_the_tables_label(graph, ontology_ids):
    labels = {iri(row["id"]): row["label_as_found"] for row in ontology_ids}
    for term in external_iris(graph):
        assert [str(label) for label in graph.objects(term, RDFS.label)] == [labels[term]], term


def test_approximate_terms_are_close_matches_only(graph):
    spinal = PLI["spinal-misalignment"]
    assert (spinal, SKOS.exactMatch, None) not in graph
    assert (spinal, SKOS.closeMatch, iri("HP:0010674")) in graph
    foot_numbness = PLI["foot-numbness"]
    assert (foot_numbness, SKOS.closeMatch, iri("HP:0033748")) in graph
    assert (foot_numbness, SKOS.exactMatch, None) not in graph
    # the table has no term for these at all
    for entity in ("foot-heaviness", "leg-heaviness", "wrong-shoes"):
        assert (PLI[entity], SKOS.exactMatch, None) not in graph and (PLI[entity], SKOS.closeMatch, None) not in graph


def test_exact_matches_from_the_table(graph):
    assert (PLI["foot-drop"], SKOS.exactMatch, iri("HP:0009027")) in graph
    assert (PLI["sciatic-nerve"], SKOS.exactMatch, iri("UBERON:0001322")) in graph
    assert (PLI["paresthesia"], SKOS.exactMatch, iri("HP:0003401")) in graph
