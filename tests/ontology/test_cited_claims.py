"""Every row of the cited-claims table is in the graph as one evidence item with the row's stance,
source title and address, a summary in our own words, and claims of the row's kind of relation."""

from __future__ import annotations

import re

import pytest
from ontology_reference import REFERENCE_COPY, shared_dir
from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS

from painlink.ontology import PL, PLC, PLV, SCHEMA

SUMMARY = "what the source reports (summary in our words, not a quote)"
STANCES = {"supports": PL.Supports, "qualifies": PL.Qualifies, "contradicts": PL.Contradicts}
# the table's relation column -> the painlink property its claims use ("increase" is a firm causal claim)
RELATIONS = {
    "associated with": PL.associatedWith,
    "contributes to": PL.contributesTo,
    "causes": PL.causes,
    "increase": PL.causes,
    "relieves": PL.relieves,
    "indicates": PL.indicates,
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def longest_shared_run(a: str, b: str) -> int:
    """Length, in words, of the longest run of consecutive words two texts share.

    >>> longest_shared_run("the cat sat on the mat", "a cat sat on a mat")
    3
    """
    x, y = words(a), words(b)
    best = 0
    previous = [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        current = [0] * (len(y) + 1)
        for j in range(1, len(y) + 1):
            if x[i - 1] == y[j - 1]:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def evidence_for(graph, row_id):
    found = list(graph.subjects(PL.citedClaim, None))
    return [ev for ev in found if str(graph.value(ev, PL.citedClaim)) == row_id]


def claims_of(graph, evidence):
    return sorted(graph.subjects(PL.hasEvidence, evidence))


def test_the_reference_copy_matches_the_shared_table():
    shared = shared_dir()
    if shared is None:
        pytest.skip("the project's shared folder is not on this machine")
    for name in ("cited-claims.tsv", "ontology-ids.tsv"):
        assert (REFERENCE_COPY / name).read_bytes() == (shared / "reference" / name).read_bytes()


def test_all_25_rows_are_read(cited_rows):
    assert [row["id"] for row in cited_rows] == [f"C{n}" for n in range(1, 26)]


def test_each_row_is_one_evidence_item_with_its_stance_and_source(graph, cited_rows):
    for row in cited_rows:
        items = evidence_for(graph, row["id"])
        assert len(items) == 1, row["id"]
        evidence = items[0]
        assert graph.value(evidence, PL.stance) == STANCES[row["stance"]], row["id"]
        source = graph.value(evidence, PL.source)
        assert str(graph.value(source, DCTERMS.title)) == row["source_title"], row["id"]
        assert graph.value(source, SCHEMA.url) == URIRef(row["url"]), row["id"]


def test_summaries_are_in_our_own_words(graph, cited_rows):
    for row in cited_rows:
        (evidence,) = evidence_for(graph, row["id"])
        summary = str(graph.value(evidence, PL.summary) or "")
        assert len(words(summary)) >= 8, f"{row['id']}: summary missing or too short"
        # a paraphrase may share a name or a short phrase ("low back pain and sciatica"), not a sentence
        assert longest_shared_run(summary, row[SUMMARY]) <= 5, row["id"]


def test_each_row_backs_claims_of_its_relation(graph, cited_rows):
    for row in cited_rows:
        (evidence,) = evidence_for(graph, row["id"])
        claims = claims_of(graph, evidence)
        assert claims, f"{row['id']} is attached to no claim"
        for claim in claims:
            assert graph.value(claim, RDF.predicate) == RELATIONS[row["relation"]], (row["id"], claim)


def test_rows_listing_several_objects_become_several_claims(graph):
    objects = {str(graph.value(c, RDF.object)).rsplit("/", 1)[-1] for c in claims_of(graph, PLV.C11)}
    assert objects == {"paresthesia", "leg-weakness", "diminished-reflexes"}
    assert len(claims_of(graph, PLV.C15)) == 4


def stances_on(graph, claim):
    return {graph.value(ev, PL.stance) for ev in graph.objects(claim, PL.hasEvidence)}


def test_disputed_claims_show_both_sides(graph):
    orthotics = PLC["orthotic-shoes--relieves--back-pain"]
    assert set(graph.objects(orthotics, PL.hasEvidence)) >= {PLV.C20, PLV.C21}
    assert {PL.Supports, PL.Contradicts} <= stances_on(graph, orthotics)
    # the contradicting rows sit on the same claim as the rows they dispute
    for supporting, disputing in (("C3", "C5"), ("C18", "C19"), ("C1", "C2"), ("C12", "C13")):
        assert claims_of(graph, PLV[disputing]) and set(claims_of(graph, PLV[disputing])) <= set(
            claims_of(graph, PLV[supporting])
        ), disputing


def test_nice_summaries_say_what_the_guidance_covers(graph):
    c20 = str(graph.value(PLV.C20, PL.summary)).lower()
    c21 = str(graph.value(PLV.C21, PL.summary)).lower()
    assert "foot supports" in c20 and "special soles" in c20 and "sciatica" in c20
    assert "rocker-sole" in c21 and "orthotics" in c21 and "low back pain" in c21
