"""Interventions on the causal chains into a target, with evidence for and against."""

from __future__ import annotations

import networkx as nx

from painlink.graph import Knowledge
from painlink.graph.chains import weighted_causal_graph
from painlink.ontology import ARTICLE_PATH


def _by_id(result):
    return {item.intervention.id: item for item in result.interventions}


def test_orthotic_shoes_show_the_articles_support_and_nices_contradiction(shipped: Knowledge) -> None:
    orthotics = _by_id(shipped.interventions("back pain"))["orthotic-shoes"]
    article = ARTICLE_PATH.read_text(encoding="utf-8")
    support = [e for e in orthotics.evidence_for if e.source.id == "article"]
    assert support and all(e.quote.exact in article for e in support)
    assert "Yes, in fact, orthotic shoes can help your back" in [e.quote.exact for e in support]
    against = {e.source.id: e for e in orthotics.evidence_against}
    assert "nice-ng59-exercise" in against
    assert against["nice-ng59-exercise"].cited_claim == "C20"
    assert "NICE" in against["nice-ng59-exercise"].summary
    on_back = next(a for a in orthotics.acts_on if a.node.id == "back-pain")
    assert on_back.claim.disputed
    assert orthotics.acts_on_target and orthotics.effect == "helps"


def test_a_contradicted_intervention_ranks_below_an_uncontested_one(shipped: Knowledge) -> None:
    ranked = [item.intervention.id for item in shipped.interventions("back pain").interventions]
    assert ranked.index("foot-care") < ranked.index("orthotic-shoes")


def test_interventions_on_a_kind_of_the_target_are_found(shipped: Knowledge) -> None:
    exercise = _by_id(shipped.interventions("back pain"))["exercise"]
    # (it also acts on sciatica, which since C43 is on a chain into back pain through foot pain)
    assert ("low-back-pain", "back-pain") in [(a.node.id, a.via and a.via.id) for a in exercise.acts_on]
    assert not exercise.acts_on_target


def test_paths_cut_are_exactly_those_through_the_nodes_acted_on(shipped: Knowledge) -> None:
    result = shipped.interventions("back pain")
    assert result.paths, "there are causal chains into back pain"
    for item in result.interventions:
        acted = {a.node.id for a in item.acts_on}
        for index, path in enumerate(result.paths):
            assert (index in item.paths_cut) == bool(acted & set(path.node_ids))


def test_cuts_all_matches_a_networkx_node_cut(shipped: Knowledge) -> None:
    result = shipped.interventions("back pain")
    graph, _ = weighted_causal_graph(shipped.projection)
    roots = {p.node_ids[0] for p in result.paths}
    checked = 0
    for item in result.interventions:
        acted = {a.node.id for a in item.acts_on}
        if item.acts_on_target:
            assert item.cuts_all
            continue
        rest = nx.restricted_view(graph, acted, [])
        separated = not any(nx.has_path(rest, r, "back-pain") for r in roots - acted)
        assert item.cuts_all == separated
        checked += 1
    assert checked >= 1


def test_orthotic_shoes_on_foot_pain_cut_the_chains_through_it(shipped: Knowledge) -> None:
    result = shipped.interventions("back pain")
    orthotics = _by_id(result)["orthotic-shoes"]
    through_foot_pain = {i for i, p in enumerate(result.paths) if "foot-pain" in p.node_ids}
    assert through_foot_pain and through_foot_pain <= set(orthotics.paths_cut)
