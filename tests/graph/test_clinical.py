"""The questions a physiotherapist asks, answered safely: red flags first, evidence graded by its kind of
source, the term hierarchy respected, interventions weighed per target, differentials with the
discriminators the sources give (issue "Clinical knowledge, second edition", "Done means")."""

from __future__ import annotations

import pytest

from painlink.graph import Knowledge
from painlink.graph.model import URGENCIES

KINDS = {
    "guideline", "systematic-review", "clinical-reference", "review", "primary-study",
    "patient-information", "practice-page", "commercial",
}


def warnings(result):
    return [a for a in result.red_flags if a.level == "warning"]


# --- red flags ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "symptoms",
    [
        ("loss of feeling in the groin", "can't control my bladder"),
        ("saddle numbness", "difficulty starting to pass urine"),
        ("numb between my legs", "trouble passing urine"),
        ("saddle anaesthesia",),
    ],
)
def test_saddle_numbness_and_bladder_change_open_with_an_emergency(shipped: Knowledge, symptoms) -> None:
    result = shipped.explain(list(symptoms))
    first = result.red_flags[0]
    assert first.level == "warning" and first.flag.urgency == "emergency"
    assert first.flag.condition.id == "cauda-equina-syndrome"
    # who says so: a guideline among its sources, each with its kind
    assert "guideline" in {e.kind for e in first.flag.evidence}
    assert all(e.source.url for e in first.flag.evidence)
    assert first.flag.action and first.flag.questions


def test_a_cause_that_can_turn_into_cauda_equina_raises_the_warning(shipped: Knowledge) -> None:
    result = shipped.paths("lumbar disc herniation", "foot drop")
    flags = {a.flag.condition.id: a for a in warnings(result)}
    assert "cauda-equina-syndrome" in flags
    assert "can lead to" in flags["cauda-equina-syndrome"].reason


def test_drop_foot_opens_with_the_urgency_nhs_guidance_gives_acute_foot_drop(shipped: Knowledge) -> None:
    result = shipped.explain(["drop foot"])
    assert result.symptoms[0].id == "foot-drop"
    acute = next(a for a in warnings(result) if a.flag.condition.id == "acute-foot-drop")
    assert acute.flag.urgency == "urgent"
    assert any("NHS" in (e.source.title or "") for e in acute.flag.evidence)
    # the reader is told when it applies: the foot drop named is not necessarily sudden
    assert "if the foot drop is" in acute.reason


def test_red_flags_are_never_ranked_away(shipped: Knowledge) -> None:
    # A limit of one candidate cuts the ranking, never the warnings.
    full = shipped.explain(["saddle numbness", "sciatica"], limit=20)
    short = shipped.explain(["saddle numbness", "sciatica"], limit=1)
    assert [a.flag.id for a in short.red_flags] == [a.flag.id for a in full.red_flags]
    levels = [a.level for a in full.red_flags]
    assert levels == sorted(levels, key=lambda level: level != "warning")  # warnings before reminders
    ranks = [URGENCIES.index(a.flag.urgency) for a in full.red_flags if a.level == "warning"]
    assert ranks == sorted(ranks)


def test_back_pain_with_leg_symptoms_reminds_which_questions_to_ask(shipped: Knowledge) -> None:
    result = shipped.explain(["low back pain", "leg pain"])
    reminders = [a for a in result.red_flags if a.flag.condition.id == "cauda-equina-syndrome"]
    assert reminders and reminders[0].level == "reminder"
    assert any("genitals" in q or "saddle" in q for q in reminders[0].flag.questions)
    assert "saddle-numbness" in {e.id for e in reminders[0].flag.ask_about}


def test_a_question_far_from_any_red_flag_raises_none(shipped: Knowledge) -> None:
    assert shipped.paths("high heels", "increased lumbar lordosis").red_flags == ()


# --- evidence graded by kind ----------------------------------------------------------------------
def test_every_evidence_item_of_back_pain_interventions_has_its_kind(shipped: Knowledge) -> None:
    result = shipped.interventions("back pain")
    items = [e for a in result.interventions for e in (*a.evidence_for, *a.evidence_against,
                                                       *a.evidence_qualifying, *a.evidence_upstream)]
    assert items and all(e.kind in KINDS for e in items)


def test_the_orthotics_dispute_is_weighed_by_kind(shipped: Knowledge) -> None:
    result = shipped.interventions("back pain")
    orthotics = next(a for a in result.interventions if a.intervention.id == "orthotic-shoes")
    assert orthotics.disputed
    side_for, side_against = orthotics.weighed.split("; against: ")
    assert "commercial page" in side_for  # the article
    assert "guideline" in side_against
    # support for relieving *foot* pain is not counted for back pain
    assert all(a.node.id != "foot-pain" or not a.on_target for a in orthotics.acts_on)
    assert all(e not in orthotics.evidence_for for a in orthotics.acts_on if not a.on_target
               for e in a.claim.evidence if e not in [x for b in orthotics.acts_on if b.on_target
                                                      for x in b.claim.evidence])


def test_nice_advice_against_foot_supports_shows_under_sciatica(shipped: Knowledge) -> None:
    result = shipped.interventions("sciatica")
    against = {e.cited_claim for a in result.interventions for e in a.evidence_against}
    assert "C20" in against


def test_a_commercial_page_weighs_less_than_a_guideline(shipped: Knowledge) -> None:
    from painlink.graph.paths import claim_evidence_weight

    claims = shipped.projection.claims
    article_only = claims["spinal-misalignment--may-cause--back-pain"]
    assert {e.kind for e in article_only.evidence} == {"commercial"}
    assert article_only.summary.weak_sources_only
    guideline = next(c for c in claims.values() if {e.kind for e in c.evidence} == {"guideline"}
                     and c.summary.contradicting == 0)
    assert claim_evidence_weight(article_only.evidence) < claim_evidence_weight(guideline.evidence)


def test_each_chain_says_why_it_ranks_where_it_does(shipped: Knowledge) -> None:
    paths = shipped.paths("foot pain", "back pain").paths
    assert len(paths) >= 2
    for rank, path in enumerate(paths, start=1):
        assert path.rationale.startswith(f"Score {path.score:.3f}.")
        assert "commercial page" in path.rationale or "guideline" in path.rationale or "stud" in path.rationale
        # from the second on, it says why it ranks below the one before
        assert (f"It ranks below chain {rank - 1} ({paths[rank - 2].score:.3f} against {path.score:.3f})"
                in path.rationale) == (rank > 1)


# --- the hierarchy --------------------------------------------------------------------------------
def test_flat_feet_reach_back_pain_through_low_back_pain_disputed(shipped: Knowledge) -> None:
    result = shipped.paths("flat feet", "back pain")
    path = next(p for p in result.paths if p.node_ids == ("flat-feet", "low-back-pain"))
    assert path.via_target is not None and path.via_target.id == "back-pain"
    step = path.steps[0].claim
    assert step.disputed
    assert {"C3", "C5"} <= {e.cited_claim for e in step.evidence}
    assert {e.stance for e in step.evidence} >= {"supports", "contradicts"}


def test_a_cause_of_foot_problems_does_not_explain_foot_numbness(shipped: Knowledge) -> None:
    result = shipped.explain(["foot numbness", "foot weakness"], limit=50)
    specific = {e.cause.id for e in result.explanations}
    for vague in ("back-pain", "back-injury", "wrong-shoes", "overpronation"):
        assert vague not in specific
    for item in result.explanations:
        assert all(part.match != "broader" for part in item.explained)
        assert item.score == pytest.approx(sum(p.strength for p in item.explained) / 2, abs=1e-5)
    assert {e.cause.id for e in result.unspecific} & {"back-pain", "back-injury", "wrong-shoes", "overpronation"}
    assert all(not e.explained and e.score == 0 for e in result.unspecific)


def test_numbness_in_both_feet_with_burning_points_to_peripheral_neuropathy(shipped: Knowledge) -> None:
    result = shipped.explain(["numbness in both feet", "burning pain in the feet"])
    top = [e.cause.id for e in result.explanations[:3]]
    assert any(c in top for c in ("peripheral-neuropathy", "diabetic-neuropathy", "diabetic-polyneuropathy"))


# --- differentials ----------------------------------------------------------------------------------
def _foot_drop_differential(knowledge: Knowledge):
    result = knowledge.explain(["foot drop"])
    return next(d for d in result.differentials if d.symptom.id == "foot-drop")


def test_foot_drop_differential_offers_heel_walking_and_inversion_each_sourced(shipped: Knowledge) -> None:
    differential = _foot_drop_differential(shipped)
    back = next(o for o in differential.options if "lower-back" in [loc.id for loc in o.locations])
    knee = next(o for o in differential.options if o.cause.id == "peroneal-nerve-injury")
    back_signs = {s.sign.id for s in back.signs}
    assert {"difficulty-walking-on-heels", "weak-foot-inversion"} <= back_signs
    assert "difficulty-walking-on-tiptoes" not in back_signs  # an S1 sign, not an L5 one
    assert {"strong-foot-inversion", "painless-foot-drop", "lateral-knee-injury-or-pressure"} <= {
        s.sign.id for s in knee.signs}
    for option in (back, knee):
        for sign in option.signs:
            assert sign.claim.evidence and all(e.source.url or e.quote for e in sign.claim.evidence)


def test_the_pattern_of_sensory_loss_is_shown_not_to_tell_them_apart(shipped: Knowledge) -> None:
    differential = _foot_drop_differential(shipped)
    (unhelpful,) = [s for s in differential.not_distinguishing if s.sign.id == "sensory-loss-pattern"]
    assert {e.cited_claim for e in unhelpful.claim.evidence} == {"C42"}
    assert {r.id for r in unhelpful.rather_than} == {"l5-radiculopathy", "peroneal-nerve-injury"}
