"""Every row of the cited-claims table is in the graph as one evidence item with the row's stance,
source title, address and kind of source, a summary in our own words, and the row's relation read as
a clinician reads it (docs/design.md, "Claims and evidence"; KNOWLEDGE-SPEC.md):
"indicated by" is a sign-indicates-condition claim (subject and object swapped), "requires" is the
evidence of a red flag (no claim), "caused by" is a causal claim the other way round, "distinguishes"
names the candidates on the claim (pl:between), and "X indicates Y rather than Z" carries pl:ratherThan."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from ontology_reference import REFERENCE_COPY, shared_dir
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, SKOS

from painlink.ontology import PL, PLC, PLI, PLV, SCHEMA

SUMMARY = "what the source reports (summary in our words, not a quote)"
STANCES = {"supports": PL.Supports, "qualifies": PL.Qualifies, "contradicts": PL.Contradicts}
CAUSAL = {PL.causes, PL.mayCause}
# the table's relation column -> the painlink properties its claims may use ("increase" is a firm causal
# claim; "causes" may be hedged to pl:mayCause where the row says "sometimes"). "indicated by", "requires",
# "caused by" and "distinguishes" are read by their own tests below.
RELATIONS = {
    "associated with": {PL.associatedWith},
    "contributes to": {PL.contributesTo},
    "causes": CAUSAL,
    "increase": {PL.causes},
    "relieves": {PL.relieves},
    "indicates": {PL.indicates},
    "prevents": {PL.prevents},
    "indicated by": {PL.indicates},
    "caused by": CAUSAL | {PL.indicates},
    "distinguishes": {PL.distinguishes},
}
NOT_A_CLAIM = {"requires"}


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


def holders_of(graph, evidence):
    """The claims and red flags an evidence item is attached to."""
    return sorted(graph.subjects(PL.hasEvidence, evidence))


def claims_of(graph, evidence):
    return [h for h in holders_of(graph, evidence) if (h, RDF.type, PL.Claim) in graph]


def rows_by(cited_rows, relation):
    return [row for row in cited_rows if row["relation"] == relation]


def test_the_reference_copy_matches_the_shared_table():
    shared = shared_dir()
    if shared is None:
        pytest.skip("the project's shared folder is not on this machine")
    for name in ("cited-claims.tsv", "ontology-ids.tsv", "README.md"):
        assert (REFERENCE_COPY / name).read_bytes() == (shared / "reference" / name).read_bytes(), name


def test_all_52_rows_are_read(cited_rows):
    assert [row["id"] for row in cited_rows] == [f"C{n}" for n in range(1, 53)]
    assert set(RELATIONS) | NOT_A_CLAIM == {row["relation"] for row in cited_rows}


def test_each_row_is_one_evidence_item_with_its_stance_and_source(graph, cited_rows):
    # one source per address; where the table words one address's title two ways (NHS Lothian's page in
    # C7 and C26-C33), the source carries one of them
    titles = defaultdict(set)
    for row in cited_rows:
        titles[row["url"]].add(row["source_title"])
    for row in cited_rows:
        items = evidence_for(graph, row["id"])
        assert len(items) == 1, row["id"]
        evidence = items[0]
        assert graph.value(evidence, PL.stance) == STANCES[row["stance"]], row["id"]
        source = graph.value(evidence, PL.source)
        assert graph.value(source, SCHEMA.url) == URIRef(row["url"]), row["id"]
        assert str(graph.value(source, DCTERMS.title)) in titles[row["url"]], row["id"]
        if len(titles[row["url"]]) == 1:
            assert str(graph.value(source, DCTERMS.title)) == row["source_title"], row["id"]


def test_each_rows_source_carries_the_rows_source_kind(graph, cited_rows):
    for row in cited_rows:
        (evidence,) = evidence_for(graph, row["id"])
        kinds = list(graph.objects(graph.value(evidence, PL.source), PL.sourceKind))
        assert len(kinds) == 1, row["id"]
        assert (kinds[0], RDF.type, PL.SourceKind) in graph, row["id"]
        assert str(graph.value(kinds[0], RDFS.label)) == row["source_kind"], row["id"]


def test_one_address_is_one_source(graph, cited_rows):
    by_url = defaultdict(set)
    for row in cited_rows:
        (evidence,) = evidence_for(graph, row["id"])
        by_url[row["url"]].add(graph.value(evidence, PL.source))
    assert all(len(sources) == 1 for sources in by_url.values())
    assert len(by_url) == 40


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
        if row["relation"] in NOT_A_CLAIM:
            assert claims == [], row["id"]
            continue
        assert claims, f"{row['id']} is attached to no claim"
        for claim in claims:
            assert graph.value(claim, RDF.predicate) in RELATIONS[row["relation"]], (row["id"], claim)
        if row["relation"] in ("causes", "caused by"):
            assert any(graph.value(c, RDF.predicate) in CAUSAL for c in claims), row["id"]


def kinds_of(graph, node):
    return set(graph.objects(node, RDF.type))


def test_indicated_by_rows_are_signs_indicating_the_condition(graph, cited_rows):
    rows = rows_by(cited_rows, "indicated by")
    assert [row["id"] for row in rows] == ["C26", "C27", "C28"]
    for row in rows:
        claims = claims_of(graph, PLV[row["id"]])
        # the table's subject (the condition) is every claim's object; the signs are the subjects
        assert {graph.value(c, RDF.object) for c in claims} == {PLI["cauda-equina-syndrome"]}, row["id"]
        for claim in claims:
            assert PL.Symptom in kinds_of(graph, graph.value(claim, RDF.subject)), (row["id"], claim)
    assert {graph.value(c, RDF.subject) for c in claims_of(graph, PLV.C28)} == {
        PLI["sciatica-in-both-legs"], PLI["weakness-in-both-legs"]}


def test_requires_rows_are_the_evidence_of_red_flags_not_claims(graph, cited_rows):
    rows = rows_by(cited_rows, "requires")
    assert [row["id"] for row in rows] == ["C29", "C30", "C32"]
    for row in rows:
        holders = holders_of(graph, PLV[row["id"]])
        assert holders and all((h, RDF.type, PL.RedFlag) in graph for h in holders), row["id"]
        assert claims_of(graph, PLV[row["id"]]) == [], row["id"]


def test_caused_by_reads_as_a_cause_of_foot_drop(graph, cited_rows):
    (row,) = rows_by(cited_rows, "caused by")
    claims = claims_of(graph, PLV[row["id"]])
    causal = [c for c in claims if graph.value(c, RDF.predicate) in CAUSAL]
    # subject and object swapped: peripheral neuropathy causes foot drop, not the other way round
    assert {(graph.value(c, RDF.subject), graph.value(c, RDF.object)) for c in causal} == {
        (PLI["peripheral-neuropathy"], PLI["foot-drop"])}
    # and it qualifies reading foot drop as a sign of a (spinal) sciatic nerve problem
    for claim in set(claims) - set(causal):
        assert graph.value(claim, RDF.subject) == PLI["foot-drop"]


def test_distinguishes_names_its_candidates_and_the_source_disputes_it(graph, cited_rows):
    (row,) = rows_by(cited_rows, "distinguishes")
    (claim,) = claims_of(graph, PLV[row["id"]])
    assert graph.value(claim, RDF.subject) == PLI["sensory-loss-pattern"]
    assert graph.value(claim, RDF.object) == PLI["foot-drop"]
    assert set(graph.objects(claim, PL.between)) == {PLI["l5-radiculopathy"], PLI["peroneal-nerve-injury"]}
    assert stances_on(graph, claim) == {PL.Contradicts}


def test_rather_than_rows_name_the_alternative(graph, cited_rows):
    rows = [row for row in cited_rows if row["relation"] == "indicates" and "rather than" in row["object"]
            or "more likely than" in row["object"]]
    assert [row["id"] for row in rows] == ["C25", "C40", "C41"]
    for row in rows:
        for claim in claims_of(graph, PLV[row["id"]]):
            alternatives = set(graph.objects(claim, PL.ratherThan))
            assert alternatives, (row["id"], claim)
            assert graph.value(claim, RDF.object) not in alternatives
    # C40 also backs the other side: weak inversion points to the L5 root rather than the peroneal nerve
    weak = PLC["weak-foot-inversion--indicates--l5-radiculopathy"]
    assert PLV.C40 in set(graph.objects(weak, PL.hasEvidence))
    assert graph.value(weak, PL.ratherThan) == PLI["peroneal-nerve-injury"]


def test_prevents_row_is_a_prevents_claim(graph, cited_rows):
    (row,) = rows_by(cited_rows, "prevents")
    (claim,) = claims_of(graph, PLV[row["id"]])
    assert graph.value(claim, RDF.predicate) == PL.prevents
    assert graph.value(claim, RDF.object) == PLI["back-pain"]


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


def test_nice_advice_against_foot_supports_shows_under_sciatica(graph):
    for row in ("C20", "C21"):
        objects = {graph.value(c, RDF.object) for c in claims_of(graph, PLV[row])}
        assert {PLI["sciatica"], PLI["low-back-pain"], PLI["back-pain"]} <= objects, row


def test_trials_of_insoles_for_low_back_pain_show_both_sides(graph):
    insoles = PLC["foot-orthoses--relieves--low-back-pain"]
    assert PLV.C48 in set(graph.objects(insoles, PL.hasEvidence))
    assert stances_on(graph, insoles) == {PL.Contradicts}
    custom = PLC["custom-foot-orthoses--relieves--chronic-low-back-pain"]
    assert stances_on(graph, custom) == {PL.Supports}
    # the narrower claim is about a narrower intervention and a narrower symptom
    assert (PLI["custom-foot-orthoses"], SKOS.broader, PLI["foot-orthoses"]) in graph
    assert (PLI["chronic-low-back-pain"], SKOS.broader, PLI["low-back-pain"]) in graph
