"""The words people use: lay, clinical and misspelt phrasings, each with the entity it must resolve to.

A patient says "my foot slaps when I walk", a clinician "L5 radiculopathy", someone types "sciatcia":
each must land on the right entity, first. The table is the contract; the matcher is
:mod:`painlink.graph.lookup` (exact names, then rapidfuzz, word by word).
"""

from __future__ import annotations

import pytest

from painlink.graph import Knowledge, UnknownEntityError

#: (what someone types, the entity id it must resolve to)
PHRASINGS = [
    # lay words
    ("drop foot", "foot-drop"),
    ("dropped foot", "foot-drop"),
    ("trouble lifting the foot", "foot-drop"),
    ("pain in my foot", "foot-pain"),
    ("my foot slaps when I walk", "foot-drop"),
    ("my foot catches on the stairs", "foot-drop"),
    ("my lower back hurts", "low-back-pain"),
    ("bad back", "back-pain"),
    ("one leg longer than the other", "leg-length-discrepancy"),
    ("loss of feeling in the groin", "saddle-numbness"),
    ("numb between my legs", "saddle-numbness"),
    ("can't control my bladder", "urinary-incontinence"),
    ("wear and tear in the knee", "knee-osteoarthritis"),
    ("sore feet", "foot-pain"),
    ("lower back pain", "low-back-pain"),
    ("pain in the lower back", "low-back-pain"),
    ("lumbago", "low-back-pain"),
    ("backache", "back-pain"),
    ("numb foot", "foot-numbness"),
    ("numbness in my foot", "foot-numbness"),
    ("foot feels numb", "foot-numbness"),
    ("numb toes", "toe-numbness"),
    ("pins and needles", "paresthesia"),
    ("tingling", "paresthesia"),
    ("weak foot", "foot-weakness"),
    ("weakness in my legs", "leg-weakness"),
    ("heavy legs", "leg-heaviness"),
    ("limping", "antalgic-gait"),
    ("walking differently", "altered-gait"),
    ("slipped disc", "lumbar-disc-herniation"),
    ("herniated disc", "lumbar-disc-herniation"),
    ("flat foot", "flat-feet"),
    ("fallen arches", "flat-feet"),
    ("high heels", "high-heeled-shoes"),
    ("feet rolling inwards", "overpronation"),
    ("trouble passing urine", "urinary-hesitancy"),
    ("sciatica in both legs", "sciatica-in-both-legs"),
    ("numbness in both feet", "numbness-in-both-feet"),
    ("burning pain in the feet", "burning-foot-pain"),
    ("heel pain", "heel-pain"),
    ("pain in the ball of the foot", "forefoot-pain"),
    ("insoles", "foot-orthoses"),
    ("arch supports", "foot-orthoses"),
    ("keeping active", "exercise"),
    ("unsteady on my feet", "poor-balance"),
    ("lower back ache", "low-back-pain"),
    ("my back hurts", "back-pain"),
    ("aching feet", "foot-pain"),
    # clinical words
    ("pes planus", "flat-feet"),
    ("L5 radiculopathy", "l5-radiculopathy"),
    ("S1 radiculopathy", "s1-radiculopathy"),
    ("lumbar spinal stenosis", "lumbar-spinal-stenosis"),
    ("spinal stenosis", "lumbar-spinal-stenosis"),
    ("cauda equina syndrome", "cauda-equina-syndrome"),
    ("saddle anaesthesia", "saddle-numbness"),
    ("saddle anesthesia", "saddle-numbness"),
    ("urinary retention", "urinary-retention"),
    ("peripheral neuropathy", "peripheral-neuropathy"),
    ("diabetic polyneuropathy", "diabetic-polyneuropathy"),
    ("tarsal tunnel syndrome", "tarsal-tunnel-syndrome"),
    ("Morton's neuroma", "mortons-neuroma"),
    ("plantar fasciitis", "plantar-fasciitis"),
    ("steppage gait", "steppage-gait"),
    ("common peroneal nerve", "common-peroneal-nerve"),
    ("common fibular nerve", "common-peroneal-nerve"),
    ("hypoaesthesia", "numbness"),
    ("paraesthesia", "paresthesia"),
    ("antalgic gait", "antalgic-gait"),
    ("metastatic spinal cord compression", "metastatic-spinal-cord-compression"),
    # misspelt, reordered
    ("sciatcia", "sciatica"),
    ("foot numbnes", "foot-numbness"),
    ("numbness foot", "foot-numbness"),
    ("bakc pain", "back-pain"),
    ("plantar fascitis", "plantar-fasciitis"),
    ("peripheral neuropaty", "peripheral-neuropathy"),
    ("tarsel tunnel syndrome", "tarsal-tunnel-syndrome"),
    ("pain back low", "low-back-pain"),
    ("mortons neuroma", "mortons-neuroma"),
    ("cauda equina syndrom", "cauda-equina-syndrome"),
]


def test_the_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 60
    assert len({text.casefold() for text, _ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[text for text, _ in PHRASINGS])
def test_each_phrasing_resolves_to_its_entity(shipped: Knowledge, text: str, expected: str) -> None:
    assert shipped.resolve(text).id == expected


@pytest.mark.parametrize(("text", "expected"), PHRASINGS[:20], ids=[text for text, _ in PHRASINGS[:20]])
def test_search_finds_the_entity_first(shipped: Knowledge, text: str, expected: str) -> None:
    hits = shipped.search(text, limit=5)
    assert hits and hits[0].entity.id == expected


@pytest.mark.parametrize("text", ["xylophone", "the weather today", "qwzx"])
def test_a_phrase_naming_nothing_is_still_unknown(shipped: Knowledge, text: str) -> None:
    with pytest.raises(UnknownEntityError):
        shipped.resolve(text)
