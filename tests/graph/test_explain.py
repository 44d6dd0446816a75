"""Explaining observed symptoms: ranking of causes, what each leaves unexplained, differentials."""

from __future__ import annotations

import pytest

from painlink.graph import InvalidParameterError, Knowledge, UnknownEntityError
from painlink.ontology import ARTICLE_PATH


def test_numbness_and_weakness_point_to_causes_of_both_graded_by_their_sources(shipped: Knowledge) -> None:
    result = shipped.explain(["foot numbness", "foot weakness"], limit=20)
    best = result.explanations[0]
    assert {item.symptom.id for item in best.explained} == {"foot-numbness", "foot-weakness"}
    assert best.unexplained == ()
    # The article says both are "caused by problems with your back": the lower back explains both,
    # quoting it, but a commercial page weighs less than NHS pages, so it does not lead.
    lower_back = next(e for e in result.explanations if e.cause.id == "lower-back-problem")
    article = ARTICLE_PATH.read_text(encoding="utf-8")
    for item in lower_back.explained:
        quotes = [e.quote.exact for p in item.paths for s in p.steps for e in s.claim.evidence if e.quote]
        assert quotes and all(q in article for q in quotes)
        assert any("caused by problems with your back" in q for q in quotes)
    assert {e.kind for p in lower_back.paths for s in p.steps for e in s.claim.evidence} == {"commercial"}
    assert any(e.kind != "commercial" for p in best.paths for s in p.steps for e in s.claim.evidence)
    assert best.score > lower_back.score


def test_a_cause_explaining_one_symptom_lists_the_other_as_unexplained(shipped: Knowledge) -> None:
    result = shipped.explain(["foot numbness", "foot weakness"], limit=20)
    piriformis = next(e for e in result.explanations if e.cause.id == "piriformis-syndrome")
    assert [s.id for s in piriformis.unexplained] == ["foot-weakness"]
    assert result.explanations[0].score > piriformis.score


def test_candidates_are_ranked_by_score(shipped: Knowledge) -> None:
    result = shipped.explain(["foot drop", "difficulty walking on tiptoes"], limit=20)
    scores = [e.score for e in result.explanations]
    assert scores == sorted(scores, reverse=True)
    for e in result.explanations:
        assert e.score == pytest.approx(sum(i.strength for i in e.explained) / 2, abs=1e-5)


def test_a_cause_of_a_broader_term_does_not_explain_the_specific_symptom(shipped: Knowledge) -> None:
    # Lumbar spinal stenosis causes paresthesia (C11); tingling in the foot is a kind of paresthesia.
    # That a cause leads to the broad term does not make it a cause of the specific one.
    result = shipped.explain(["tingling in the foot"], limit=20)
    assert "lumbar-spinal-stenosis" not in {e.cause.id for e in result.explanations}
    stenosis = next(e for e in result.unspecific if e.cause.id == "lumbar-spinal-stenosis")
    (item,) = stenosis.unspecific
    assert item.match == "broader" and item.via.id == "paresthesia" and not item.specific
    assert stenosis.score == 0 and stenosis.explained == ()


def test_a_candidate_reaching_only_broader_terms_says_which(shipped: Knowledge) -> None:
    # The article: a back injury can affect the feet ("foot problem"); it names no particular symptom.
    result = shipped.explain(["foot numbness", "foot weakness"], limit=50)
    unspecific = {e.cause.id: e for e in result.unspecific}
    assert [t.id for t in unspecific["back-injury"].broader_only] == ["foot-problem"]
    # Every specific candidate comes first; the lower back reaches both symptoms directly.
    by_cause = {e.cause.id: e for e in result.explanations}
    assert by_cause["lower-back-problem"].broader_only == ()
    assert not set(unspecific) & set(by_cause)


def test_a_kind_of_the_symptom_explains_it(shipped: Knowledge) -> None:
    # Peripheral neuropathy causes numbness in both feet, a kind of foot numbness: that explains it.
    result = shipped.explain(["foot numbness"], limit=20)
    neuropathy = next(e for e in result.explanations if e.cause.id == "peripheral-neuropathy")
    assert any(item.match in ("exact", "narrower") for item in neuropathy.explained)


def test_a_sign_counts_as_explanation(shipped: Knowledge) -> None:
    result = shipped.explain(["difficulty walking on tiptoes"], limit=20)
    lower_back = next(e for e in result.explanations if e.cause.id == "lower-back-problem")
    assert lower_back.explained[0].sign is not None
    assert lower_back.explained[0].sign.predicate == "indicates"


def test_foot_drop_differential_separates_the_back_from_the_knee(shipped: Knowledge) -> None:
    result = shipped.explain(["trouble lifting the foot"])
    differential = next(d for d in result.differentials if d.symptom.id == "foot-drop")
    by_cause = {option.cause.id: option for option in differential.options}
    assert "peroneal-nerve-injury" in by_cause
    knee = by_cause["peroneal-nerve-injury"]
    assert [loc.id for loc in knee.locations] == ["common-peroneal-nerve"]
    assert "lateral-knee-injury-or-pressure" in [s.sign.id for s in knee.signs]
    back = next(o for o in differential.options if "lower-back" in [loc.id for loc in o.locations])
    assert back.cause.id == "l5-nerve-root-compression"
    # Tiptoe walking is an S1 sign: it does not tell an L5 root from the peroneal nerve.
    assert "difficulty-walking-on-tiptoes" not in [s.sign.id for s in back.signs]
    assert "outer knee" in differential.note and "lower back" in differential.note


def test_an_observed_sign_is_marked_in_the_differential(shipped: Knowledge) -> None:
    result = shipped.explain(["foot drop", "injury or pressure at the outer knee"])
    differential = next(d for d in result.differentials if d.symptom.id == "foot-drop")
    knee = next(o for o in differential.options if o.cause.id == "peroneal-nerve-injury")
    assert [s.observed for s in knee.signs if s.sign.id == "lateral-knee-injury-or-pressure"] == [True]
    assert result.explanations[0].cause.id == "peroneal-nerve-injury"


def test_limit_and_truncation(shipped: Knowledge) -> None:
    result = shipped.explain(["foot drop"], limit=2)
    assert len(result.explanations) == 2 and result.truncated


def test_no_symptoms_is_refused(shipped: Knowledge) -> None:
    with pytest.raises(InvalidParameterError):
        shipped.explain([])


def test_unknown_symptom_is_refused_with_suggestions(shipped: Knowledge) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        shipped.explain(["sciatc"])
    assert "sciatica" in caught.value.suggestions
    # a plain typo is understood
    assert shipped.explain(["foot numbnes"]).symptoms[0].id == "foot-numbness"
