"""The shipped ontology: what the rest of painlink relies on is there, in the agreed shape, and it
validates clean under the shapes and every QC query."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import SKOS

from painlink.ontology import (
    BIOLINK,
    KINDS,
    PL,
    PLC,
    PLI,
    SHAPES_PATH,
    SHIPPED_FILES,
    shipped_graph,
)
from painlink.ontology.validation import qc_queries, validate

REQUIRED_ENTITIES = ["foot-pain", "foot-injury", "back-pain", "low-back-pain", "back-injury", "altered-gait", "spinal-misalignment", "back-damage", "sciatic-nerve", "lower-back", "foot", "leg", "foot-drop", "foot-numbness", "foot-heaviness", "foot-weakness", "difficulty-walking-on-tiptoes", "lower-back-problem", "sciatic-nerve-problem", "wrong-shoes", "orthotic-shoes", "foot-care", "exercise", "leg-length-discrepancy", "flat-feet", "overpronation", "lumbar-disc-herniation", "l5-nerve-root-compression", "l5-radiculopathy", "s1-radiculopathy", "difficulty-walking-on-heels", "decreased-achilles-reflex", "piriformis-syndrome", "lumbar-spinal-stenosis", "sciatica", "paresthesia", "leg-weakness", "leg-heaviness", "leg-pain", "antalgic-gait", "steppage-gait", "high-heeled-shoes", "increased-lumbar-lordosis", "group-exercise-programme", "common-peroneal-nerve", "peroneal-nerve-injury", "lateral-knee-injury-or-pressure"]

# The article's claims the issue lists as the minimum, as (subject, property, object).
ARTICLE_MINIMUM = [
    ("foot-pain", "causes", "altered-gait"),
    ("foot-injury", "causes", "altered-gait"),
    ("altered-gait", "mayCause", "spinal-misalignment"),
    ("spinal-misalignment", "mayCause", "back-pain"),
    ("altered-gait", "mayCause", "back-damage"),
    ("sciatic-nerve-problem", "mayCause", "foot-drop"),
    ("sciatic-nerve", "runsThrough", "leg"),
    ("sciatic-nerve", "runsThrough", "lower-back"),
    ("lower-back-problem", "causes", "foot-numbness"),
    ("lower-back-problem", "causes", "foot-heaviness"),
    ("lower-back-problem", "causes", "foot-weakness"),
    ("difficulty-walking-on-tiptoes", "indicates", "lower-back-problem"),
    ("lower-back-problem", "mayCause", "sciatic-nerve-problem"),
    ("wrong-shoes", "mayCause", "foot-pain"),
    ("wrong-shoes", "mayCause", "back-pain"),
    ("orthotic-shoes", "relieves", "foot-pain"),
    ("orthotic-shoes", "relieves", "back-pain"),
    ("foot-care", "prevents", "back-pain"),
]


def entities(graph):
    return {s for kind in KINDS for s in graph.subjects(RDF.type, kind)}


def test_the_shipped_ontology_validates_clean(graph):
    report = validate(graph, include_shipped=False)
    assert report.violations == [], report.text()


@pytest.mark.parametrize("name", sorted(qc_queries()))
def test_every_qc_query_returns_no_rows(graph, name):
    assert list(graph.query(qc_queries()[name])) == []


def test_there_are_qc_queries_for_the_agreed_checks():
    names = set(qc_queries())
    for check in ("claim-without-evidence", "direct-triple-without-claim", "claim-without-direct-triple",
                  "exactmatch-to-approximate-term", "duplicate-label", "dangling-entity",
                  "source-without-kind", "redflag-without-source", "redflag-ask-about", "distinguishes-candidates",
                  "rather-than"):
        assert f"qc/{check}-violation.sparql" in names


def test_shipped_files_are_the_data_not_the_shapes():
    names = [path.name for path in SHIPPED_FILES]
    assert names == ["schema.ttl", "article.ttl", "cited-2.ttl", "cited.ttl", "red-flags.ttl", "mappings.ttl"]
    assert SHAPES_PATH not in SHIPPED_FILES


def test_shipped_files_have_no_blank_nodes():
    # they are reloaded into lasting stores, where blank nodes would be duplicated on every reload
    for path in SHIPPED_FILES:
        nodes = {t for triple in Graph().parse(path) for t in triple if isinstance(t, BNode)}
        assert nodes == set(), path.name


def test_shipped_graph_gives_each_caller_its_own_copy():
    first = shipped_graph()
    first.remove((None, None, None))
    assert len(shipped_graph()) > 1000


def test_the_entities_the_team_relies_on_are_there(graph):
    ids = {str(e).removeprefix(str(PLI)) for e in entities(graph)}
    assert set(REQUIRED_ENTITIES) - ids == set()


def test_every_entity_is_fully_described(graph):
    for entity in entities(graph):
        kinds = [t for t in graph.objects(entity, RDF.type) if t in KINDS]
        assert len(kinds) == 1, entity
        assert len(list(graph.objects(entity, RDFS.label))) == 1, entity
        assert graph.value(entity, SKOS.definition) is not None, entity
        assert str(graph.value(entity, BIOLINK.category)).startswith(str(BIOLINK)), entity


def test_lay_synonyms_people_use(graph):
    def alt(entity):
        return {str(a) for a in graph.objects(PLI[entity], SKOS.altLabel)}

    assert {"trouble lifting the foot", "footdrop"} <= alt("foot-drop")
    assert {"pins and needles", "tingling"} <= alt("paresthesia")
    assert {"walking differently", "compensatory gait"} <= alt("altered-gait")
    assert "orthotics" in alt("orthotic-shoes")


@pytest.mark.parametrize("subject, prop, obj", ARTICLE_MINIMUM)
def test_the_articles_claims_are_there_with_their_quotes(graph, subject, prop, obj):
    s, p, o = PLI[subject], PL[prop], PLI[obj]
    assert (s, p, o) in graph
    claims = [c for c in graph.subjects(RDF.subject, s) if (c, RDF.predicate, p) in graph and (c, RDF.object, o) in graph]
    assert len(claims) == 1
    article_evidence = [ev for ev in graph.objects(claims[0], PL.hasEvidence)
                        if str(graph.value(ev, PL.source)).endswith("/source/article")]
    assert article_evidence


def test_hedged_article_wording_is_not_made_firm(graph):
    # "Walking differently can cause ...", "you might have a problem with your sciatic nerve"
    assert (PLI["altered-gait"], PL.causes, PLI["spinal-misalignment"]) not in graph
    assert (PLI["sciatic-nerve-problem"], PL.causes, PLI["foot-drop"]) not in graph


def test_claim_ids_follow_the_convention(graph):
    claim = PLC["orthotic-shoes--relieves--back-pain"]
    assert (claim, RDF.type, PL.Claim) in graph
    assert graph.value(claim, RDF.subject) == PLI["orthotic-shoes"]
    assert graph.value(claim, RDF.predicate) == PL.relieves
    assert graph.value(claim, RDF.object) == PLI["back-pain"]
    assert graph.value(claim, PL.statement) is not None


def test_causal_properties_carry_their_strength(graph):
    strengths = {p: float(graph.value(p, PL.causalStrength)) for p in graph.subjects(PL.propertyGroup, PL.CausalRelation)}
    assert strengths == {PL.causes: 1.0, PL.contributesTo: 0.8, PL.mayCause: 0.6, PL.associatedWith: 0.4}


def test_relations_are_aligned_to_biolink(graph):
    assert (PL.causes, SKOS.exactMatch, BIOLINK.causes) in graph
    assert (PL.relieves, SKOS.exactMatch, BIOLINK.ameliorates_condition) in graph
    for prop in graph.subjects(PL.propertyGroup, None):
        aligned = [m for rel in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch) for m in graph.objects(prop, rel)]
        assert any(str(m).startswith(str(BIOLINK)) for m in aligned), prop
        assert isinstance(prop, URIRef) and graph.value(prop, RDFS.label) and graph.value(prop, SKOS.definition)
