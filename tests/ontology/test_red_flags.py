"""Red flags and kinds of source, as the engine and the faces rely on them (KNOWLEDGE-SPEC.md, sections 1
and 2): each red flag names its condition, its signs, one urgency, an action and the cited rows behind it;
each kind of source has its rank and the weight of its vote, and the article counts as commercial."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from painlink.ontology import PL, PLI, PLR, PLS, PLV

# The contract's table: individual, label (the reference table's token), weight. Order = rank.
SOURCE_KINDS = [
    (PL.Guideline, "guideline", "1.0"),
    (PL.SystematicReview, "systematic-review", "1.0"),
    (PL.ClinicalReference, "clinical-reference", "0.8"),
    (PL.NarrativeReview, "review", "0.7"),
    (PL.PrimaryStudy, "primary-study", "0.6"),
    (PL.PatientInformation, "patient-information", "0.6"),
    (PL.PracticePage, "practice-page", "0.4"),
    (PL.Commercial, "commercial", "0.25"),
]
URGENCIES = [(PL.Emergency, "emergency"), (PL.UrgentSameDay, "urgent"), (PL.Soon, "soon"), (PL.Routine, "routine")]


def red_flags(graph):
    return set(graph.subjects(RDF.type, PL.RedFlag))


def test_source_kinds_carry_their_rank_and_weight(graph):
    assert set(graph.subjects(RDF.type, PL.SourceKind)) == {kind for kind, _, _ in SOURCE_KINDS}
    for rank, (kind, label, weight) in enumerate(SOURCE_KINDS, start=1):
        assert str(graph.value(kind, RDFS.label)) == label
        assert graph.value(kind, SKOS.definition) is not None, label
        assert graph.value(kind, PL.kindRank).toPython() == rank, label
        assert Decimal(str(graph.value(kind, PL.evidenceWeight))) == Decimal(weight), label


def test_the_table_uses_only_known_kinds(graph, cited_rows):
    labels = {str(graph.value(kind, RDFS.label)) for kind, _, _ in SOURCE_KINDS}
    assert {row["source_kind"] for row in cited_rows} <= labels


def test_every_source_has_exactly_one_kind_and_the_article_is_commercial(graph):
    for source in graph.subjects(RDF.type, PL.Source):
        kinds = list(graph.objects(source, PL.sourceKind))
        assert len(kinds) == 1 and (kinds[0], RDF.type, PL.SourceKind) in graph, source
    assert graph.value(PLS.article, PL.sourceKind) == PL.Commercial


def test_urgencies_are_ranked(graph):
    assert set(graph.subjects(RDF.type, PL.Urgency)) == {u for u, _ in URGENCIES}
    for rank, (urgency, label) in enumerate(URGENCIES, start=1):
        assert str(graph.value(urgency, RDFS.label)) == label
        assert graph.value(urgency, PL.urgencyRank).toPython() == rank
        assert graph.value(urgency, SKOS.definition) is not None


def test_each_red_flag_is_complete(graph):
    flags = red_flags(graph)
    assert flags == {PLR["cauda-equina-syndrome"], PLR["acute-foot-drop"], PLR["metastatic-spinal-cord-compression"]}
    for flag in flags:
        assert (flag, RDF.type, PL.Claim) not in graph
        assert len(list(graph.objects(flag, RDFS.label))) == 1, flag
        assert len(list(graph.objects(flag, PL.warnsOf))) == 1, flag
        assert list(graph.objects(flag, PL.redFlagSign)), flag
        (urgency,) = graph.objects(flag, PL.urgency)
        assert (urgency, RDF.type, PL.Urgency) in graph
        (action,) = graph.objects(flag, PL.action)
        assert isinstance(action, Literal) and len(str(action).split()) >= 8
        evidence = list(graph.objects(flag, PL.hasEvidence))
        assert evidence, flag
        for item in evidence:
            assert graph.value(graph.value(item, PL.source), PL.sourceKind) is not None, item
        # every sign and every presentation it screens is an entity
        for prop in (PL.warnsOf, PL.redFlagSign, PL.askAbout, PL.screensFor):
            for entity in graph.objects(flag, prop):
                assert graph.value(entity, RDFS.label) is not None, (flag, prop, entity)


def test_cauda_equina_syndrome_is_an_emergency_with_its_signs_and_questions(graph):
    flag = PLR["cauda-equina-syndrome"]
    assert graph.value(flag, PL.warnsOf) == PLI["cauda-equina-syndrome"]
    assert set(graph.objects(flag, PL.redFlagSign)) == {
        PLI["saddle-numbness"], PLI["bladder-or-bowel-change"], PLI["symptoms-in-both-legs"]}
    assert graph.value(flag, PL.urgency) == PL.Emergency
    assert set(graph.objects(flag, PL.hasEvidence)) == {PLV[f"C{n}"] for n in range(26, 31)}
    action = str(graph.value(flag, PL.action))
    assert "A&E" in action and "999" in action
    # NICE CKS (C30): patients rarely mention saddle numbness unless asked
    assert set(graph.objects(flag, PL.askAbout)) == {PLI["saddle-numbness"]}
    questions = " ".join(str(q) for q in graph.objects(flag, PL.question)).lower()
    assert "genitals" in questions and "urine" in questions and "both legs" in questions
    # back pain with leg or foot symptoms: ask the questions even when no sign is reported
    assert {PLI["sciatica"], PLI["leg-pain"], PLI["foot-numbness"], PLI["foot-drop"], PLI["low-back-pain"]} <= set(
        graph.objects(flag, PL.screensFor))
    # a condition that can turn into it (C31)
    assert (PLI["lumbar-disc-herniation"], PL.causes, PLI["cauda-equina-syndrome"]) in graph


@pytest.mark.parametrize("narrow, sign", [
    ("urinary-incontinence", "bladder-or-bowel-change"),
    ("urinary-hesitancy", "bladder-or-bowel-change"),
    ("urinary-retention", "bladder-or-bowel-change"),
    ("bowel-incontinence", "bladder-or-bowel-change"),
    ("sciatica-in-both-legs", "symptoms-in-both-legs"),
    ("weakness-in-both-legs", "symptoms-in-both-legs"),
    ("numbness-in-both-legs", "symptoms-in-both-legs"),
])
def test_narrower_terms_of_a_sign_raise_its_flag(graph, narrow, sign):
    assert (PLI[narrow], SKOS.broader, PLI[sign]) in graph
    assert (PLR["cauda-equina-syndrome"], PL.redFlagSign, PLI[sign]) in graph


def test_acute_foot_drop_is_urgent_the_same_day(graph):
    flag = PLR["acute-foot-drop"]
    assert graph.value(flag, PL.warnsOf) == PLI["acute-foot-drop"]
    assert graph.value(flag, PL.urgency) == PL.UrgentSameDay
    assert set(graph.objects(flag, PL.hasEvidence)) == {PLV.C32}
    assert (PLI["acute-foot-drop"], SKOS.broader, PLI["foot-drop"]) in graph
    # foot drop of any onset is screened: was it sudden?
    assert PLI["foot-drop"] in set(graph.objects(flag, PL.screensFor))


def test_metastatic_spinal_cord_compression_is_an_emergency(graph):
    flag = PLR["metastatic-spinal-cord-compression"]
    assert graph.value(flag, PL.warnsOf) == PLI["metastatic-spinal-cord-compression"]
    assert graph.value(flag, PL.urgency) == PL.Emergency
    assert set(graph.objects(flag, PL.hasEvidence)) == {PLV.C34}
    assert (PLI["cancer-with-new-neurological-symptoms"], PL.indicates, PLI["metastatic-spinal-cord-compression"]) in graph


def test_red_flag_conditions_are_conditions_and_signs_are_symptoms(graph):
    for flag in red_flags(graph):
        condition = graph.value(flag, PL.warnsOf)
        types = set(graph.objects(condition, RDF.type))
        assert PL.Condition in types or PL.Symptom in types, condition
        for sign in graph.objects(flag, PL.redFlagSign):
            assert (sign, RDF.type, PL.Symptom) in graph, sign
