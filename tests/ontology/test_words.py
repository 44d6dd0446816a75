"""The words people use: every entity carries the lay and clinical names patients and clinicians say
(skos:altLabel), British and US spellings, and no name picks out two entities. Name resolution itself
(typos, word order) is the engine's and is tested there; this checks the words are in the data."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import RDF, RDFS
from rdflib.namespace import SKOS

from painlink.ontology import KINDS, PLI

# phrase -> the entity it names (exactly, ignoring case)
PHRASES = {
    # red-flag signs, as patients say them
    "can't feel my groin": "saddle-numbness",
    "loss of feeling in the groin": "saddle-numbness",
    "numbness between the legs": "saddle-numbness",
    "saddle anaesthesia": "saddle-numbness",
    "saddle anesthesia": "saddle-numbness",
    "can't control my bladder": "urinary-incontinence",
    "trouble passing urine": "urinary-hesitancy",
    "can't pee": "urinary-retention",
    "faecal incontinence": "bowel-incontinence",
    "fecal incontinence": "bowel-incontinence",
    "incontinence": "bladder-or-bowel-change",
    "bilateral sciatica": "sciatica-in-both-legs",
    "both legs weak": "weakness-in-both-legs",
    "sudden foot drop": "acute-foot-drop",
    "MSCC": "metastatic-spinal-cord-compression",
    # foot drop and its signs
    "drop foot": "foot-drop",
    "dropped foot": "foot-drop",
    "my foot slaps": "foot-drop",
    "can't lift my foot": "foot-drop",
    "foot catches on the stairs": "foot-drop",
    "foot drop without pain": "painless-foot-drop",
    "strong foot inversion": "strong-foot-inversion",
    "weak ankle inversion": "weak-foot-inversion",
    "high-stepping gait": "steppage-gait",
    "can't walk on my heels": "difficulty-walking-on-heels",
    "can't stand on tiptoe": "difficulty-walking-on-tiptoes",
    # numbness, tingling, pain
    "numb toes": "toe-numbness",
    "numb feet": "foot-numbness",
    "can't feel my foot": "foot-numbness",
    "numbness in both feet": "numbness-in-both-feet",
    "stocking numbness": "numbness-in-both-feet",
    "tingling toes": "foot-tingling",
    "pins and needles": "paresthesia",
    "paraesthesia": "paresthesia",
    "burning feet": "burning-foot-pain",
    "pain in the ball of the foot": "forefoot-pain",
    "heel pain": "heel-pain",
    "my heel hurts": "heel-pain",
    "sore feet": "foot-pain",
    "lumbago": "low-back-pain",
    "bad back": "back-pain",
    "chronic back pain": "chronic-low-back-pain",
    "pain down the leg": "leg-pain",
    "legs giving way": "leg-weakness",
    "unsteady on my feet": "poor-balance",
    # conditions
    "slipped disc": "lumbar-disc-herniation",
    "herniated disk": "lumbar-disc-herniation",
    "lumbar radiculopathy": "sciatica",
    "spinal stenosis": "lumbar-spinal-stenosis",
    "peroneal neuropathy": "peroneal-nerve-injury",
    "neuropathy": "peripheral-neuropathy",
    "diabetes": "diabetes-mellitus",
    "diabetic peripheral neuropathy": "diabetic-polyneuropathy",
    "Morton neuroma": "mortons-neuroma",
    "policeman's heel": "plantar-fasciitis",
    "bad knee": "knee-osteoarthritis",
    "knee arthritis": "knee-osteoarthritis",
    "fallen arches": "flat-feet",
    "over-pronation": "overpronation",
    "limp": "antalgic-gait",
    # interventions and anatomy
    "insoles": "foot-orthoses",
    "arch supports": "foot-orthoses",
    "foot supports": "foot-orthoses",
    "custom orthotics": "custom-foot-orthoses",
    "orthopaedic shoes": "orthotic-shoes",
    "orthopedic shoes": "orthotic-shoes",
    "rocker-sole shoes": "orthotic-shoes",
    "high heels": "high-heeled-shoes",
    "ill-fitting shoes": "wrong-shoes",
    "group exercise program": "group-exercise-programme",
    "knee": "knee",
    "ankle": "ankle",
    "heel bone": "heel",
    "back passage": "anus",
    "fibular nerve": "common-peroneal-nerve",
    "spine": "vertebral-column",
}


def names(graph):
    """Lower-cased name -> the entities carrying it as label or synonym."""
    found = defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel):
        for entity, name in graph.subject_objects(prop):
            if str(entity).startswith(str(PLI)):
                found[str(name).lower()].add(str(entity).removeprefix(str(PLI)))
    return found


def entities(graph):
    return {s for kind in KINDS for s in graph.subjects(RDF.type, kind)}


def test_the_phrase_table_is_large():
    assert len(PHRASES) >= 60


@pytest.mark.parametrize("phrase, entity", sorted(PHRASES.items()))
def test_each_phrase_names_its_entity(graph, phrase, entity):
    assert names(graph)[phrase.lower()] == {entity}


def test_no_name_picks_out_two_entities(graph):
    shared = {name: ids for name, ids in names(graph).items() if len(ids) > 1}
    assert shared == {}


def test_every_entity_has_the_words_people_use(graph):
    for entity in entities(graph):
        alt = list(graph.objects(entity, SKOS.altLabel))
        assert len(alt) >= 3, entity
        assert all(a.language == "en" for a in alt), entity
