"""Explaining observed symptoms: ranking of causes, what each leaves unexplained, differentials."""

from __future__ import annotations

import pytest

from painlink.graph import InvalidParameterError, Knowledge, UnknownEntityError
from painlink.ontology import ARTICLE_PATH


def test_numbness_and_weakness_point_to_the_lower_back_first(shipped: Knowledge) -> None:
    result = shipped.explain(["foot numbness", "foot weakness"])
    best = result.explanations[0]
    assert best.cause.id == "lower-back-problem"
    assert {item.symptom.id for item in best.explained} == {"foot-numbness", "foot-weakness"}
    assert best.unexplained == ()
    # the article's own sentence is the evidence for both
    article = ARTICLE_PATH.read_text(encoding="utf-8")
    for item in best.explained:
        quotes = [e.quote.exact for p in item.paths for s in p.steps for e in s.claim.evidence if e.quote]
        assert quotes and all(q in article for q in quotes)
        assert any("caused by problems with your back" in q for q in quotes)


def test_a_cause_explaining_one_symptom_lists_the_other_as_unexplained(shipped: Knowledge) -> None:
    result = shipped.explain(["foot numbness", "foot weakness"], limit=20)
    piriformis = next(e for e in result.explanations if e.cause.id == "piriformis-syndrome")
    assert [s.id for s in piriformis.unexplained] == ["foot-weakness"]
    lower_back = result.explanations[0]
    assert lower_back.score > piriformis.score


def test_candidates_are_ranked_by_score(shipped: Knowledge) -> None:
    result = shipped.explain(["foot drop", "difficulty walking on tiptoes"], limit=20)
    scores = [e.score for e in result.explanations]
    assert scores == sorted(scores, reverse=True)
    for e in result.explanations:
        assert e.score == pytest.approx(sum(i.strength for i in e.explained) / 2, abs=1e-5)


def test_general_claims_explain_specific_symptoms_more_weakly(shipped: Knowledge) -> None:
    # lumbar spinal stenosis causes paresthesia; tingling in the foot is a kind of paresthesia (sciatica,
    # since C43, causes foot numbness directly, so it no longer serves as the example)
    result = shipped.explain(["tingling in the foot"], limit=20)
    stenosis = next(e for e in result.explanations if e.cause.id == "lumbar-spinal-stenosis")
    item = stenosis.explained[0]
    assert item.via is not None and item.via.id == "paresthesia"
    assert item.strength < result.explanations[0].explained[0].strength


def test_a_candidate_reaching_only_broader_terms_says_which(shipped: Knowledge) -> None:
    # The article: a back injury can affect the feet ("foot problem"); it names no particular symptom.
    result = shipped.explain(["foot numbness", "foot weakness"], limit=20)
    by_cause = {e.cause.id: e for e in result.explanations}
    assert [t.id for t in by_cause["back-injury"].broader_only] == ["foot-problem"]
    # The lower back reaches both symptoms directly.
    assert by_cause["lower-back-problem"].broader_only == ()


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
    back = next(o for o in differential.options if [loc.id for loc in o.locations] == ["lower-back"])
    assert back.cause.id == "l5-nerve-root-compression"
    assert "difficulty-walking-on-tiptoes" in [s.sign.id for s in back.signs]
    assert "sciatic-nerve-problem" in by_cause
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
        shipped.explain(["foot numbnes"])
    assert "foot numbness" in caught.value.suggestions
