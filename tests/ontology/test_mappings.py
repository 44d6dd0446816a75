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
    assert len(used) >= 70
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


# The second edition's identifiers (ontology-ids.tsv rows added with rows C26-C52), each used for the entity
# it names; the one left out has no entity because no cited row says it (reported in ontology/README.md).
SECOND_EDITION = {
    "HP:0034982": ("saddle-numbness", SKOS.closeMatch),
    "HP:0000019": ("urinary-hesitancy", SKOS.exactMatch),
    "HP:0000016": ("urinary-retention", SKOS.exactMatch),
    "HP:0000020": ("urinary-incontinence", SKOS.exactMatch),
    "HP:0002607": ("bowel-incontinence", SKOS.exactMatch),
    "HP:0009830": ("peripheral-neuropathy", SKOS.exactMatch),
    "HP:0002936": ("numbness-in-both-feet", SKOS.closeMatch),
    "HP:6000490": ("difficulty-walking-on-heels", SKOS.exactMatch),
    "HP:0005086": ("knee-osteoarthritis", SKOS.exactMatch),
    "HP:6001376": ("forefoot-pain", SKOS.exactMatch),
    "HP:0000819": ("diabetes-mellitus", SKOS.closeMatch),
    "MONDO:0005693": ("cauda-equina-syndrome", SKOS.exactMatch),
    "MONDO:0006994": ("tarsal-tunnel-syndrome", SKOS.exactMatch),
    "MONDO:0006997": ("tibial-neuropathy", SKOS.exactMatch),
    "MONDO:0700058": ("mortons-neuroma", SKOS.exactMatch),
    "MONDO:0004833": ("plantar-fasciitis", SKOS.exactMatch),
    "MONDO:0005244": ("peripheral-neuropathy", SKOS.exactMatch),
    "MONDO:0006626": ("diabetic-neuropathy", SKOS.exactMatch),
    "MONDO:0001583": ("diabetic-polyneuropathy", SKOS.exactMatch),
    "MONDO:0005416": ("knee-osteoarthritis", SKOS.exactMatch),
    "MONDO:0005178": ("osteoarthritis", SKOS.exactMatch),
    "MONDO:0005015": ("diabetes-mellitus", SKOS.exactMatch),
    "UBERON:0012337": ("cauda-equina", SKOS.exactMatch),
    "UBERON:0001323": ("tibial-nerve", SKOS.exactMatch),
    "UBERON:0015875": ("heel", SKOS.exactMatch),
    "UBERON:0009631": ("lumbar-nerve-root", SKOS.exactMatch),
    "UBERON:0007255": ("lumbar-intervertebral-disc", SKOS.exactMatch),
    "UBERON:0002356": ("perineum", SKOS.exactMatch),
    "UBERON:0001245": ("anus", SKOS.exactMatch),
    "UBERON:0001485": ("knee", SKOS.exactMatch),
    "UBERON:0001488": ("ankle", SKOS.exactMatch),
}
NOT_USED = {"HP:0034917"}  # weak anal sphincter tone: an examination sign no cited row states


def test_the_second_editions_identifiers_are_mapped(graph, ontology_ids):
    ids = [row["id"] for row in ontology_ids]
    added = ids[ids.index("HP:0034982"):]
    assert len(added) == 32
    assert set(added) == set(SECOND_EDITION) | NOT_USED
    for curie, (entity, relation) in SECOND_EDITION.items():
        assert (PLI[entity], relation, iri(curie)) in graph, curie
    for curie in NOT_USED:
        assert (None, None, iri(curie)) not in graph


def test_terms_the_table_calls_approximate_are_never_exact(graph, ontology_ids):
    approximate = [row for row in ontology_ids
                   if "closeMatch" in row["note"] or "approximate" in row["concept"] or "approximate" in row["note"]]
    assert {"HP:0034982", "HP:0002936", "HP:0010674"} <= {row["id"] for row in approximate}
    for row in approximate:
        term = iri(row["id"])
        assert (None, SKOS.exactMatch, term) not in graph, row["id"]
        assert (None, SKOS.closeMatch, term) in graph, row["id"]
