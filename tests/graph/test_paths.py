"""Causal paths: the ranking the article's story needs, the score's parts, the limits, and the search
algorithm against brute force on random graphs."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pytest

from painlink.graph import InvalidParameterError, Knowledge, UnknownEntityError
from painlink.graph.paths import (
    FLOOR,
    LENGTH_DECAY,
    PathSearch,
    best_causal_paths,
    evidence_weight,
    hub_damping,
)
from painlink.ontology import ARTICLE_PATH

ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")


def test_foot_to_back_ranks_the_gait_and_alignment_chain_first(shipped: Knowledge) -> None:
    result = shipped.paths("foot pain", "back pain")
    best = result.paths[0]
    assert best.node_ids == ("foot-pain", "altered-gait", "spinal-misalignment", "back-pain")
    # ... above the bare one-step association the article also states
    assert ("foot-pain", "back-pain") in [p.node_ids for p in result.paths[1:]]
    assert [p.score for p in result.paths] == sorted((p.score for p in result.paths), reverse=True)


def test_every_step_of_the_best_chain_quotes_the_article_verbatim(shipped: Knowledge) -> None:
    best = shipped.paths("foot pain", "back pain").paths[0]
    for step in best.steps:
        quotes = [e.quote.exact for e in step.claim.evidence if e.source.id == "article" and e.quote]
        assert quotes, f"step {step.claim.id} has no quote from the article"
        for quote in quotes:
            assert quote in ARTICLE
            assert f'"{quote}"' in best.explanation


def test_explanation_wording_follows_the_predicate(shipped: Knowledge) -> None:
    best = shipped.paths("foot pain", "back pain").paths[0]
    assert best.explanation.startswith(
        "Foot pain leads to altered (compensatory) gait, which can lead to spinal misalignment, "
        "which can lead to back pain — because:"
    )
    assert [step.claim.predicate for step in best.steps] == ["causes", "mayCause", "mayCause"]


def test_score_is_the_product_of_its_documented_parts(shipped: Knowledge) -> None:
    for path in shipped.paths("wrong shoes", "back pain", limit=10).paths:
        b = path.breakdown
        n = len(path.steps)
        assert b.edge_weights == tuple(step.weight for step in path.steps)
        for step in path.steps:
            assert step.weight == pytest.approx(step.strength * step.evidence_weight, abs=1e-6)
        assert b.edge_mean == pytest.approx(math.prod(b.edge_weights) ** (1 / n), abs=1e-6)
        assert b.length_factor == pytest.approx(LENGTH_DECAY ** (n - 1))
        assert path.score == pytest.approx(b.edge_mean * b.length_factor * b.hub_factor, abs=1e-5)
        assert set(b.hub_damping) == {node.id for node in path.nodes[1:-1]}


def test_causal_strength_comes_from_the_schema(shipped: Knowledge) -> None:
    steps = {s.claim.predicate: s.strength for s in shipped.paths("foot pain", "back pain", limit=10).paths[0].steps}
    assert steps == {"causes": 1.0, "mayCause": 0.6}


def test_contradicting_evidence_demotes_a_chain(graph_fixtures) -> None:
    knowledge = Knowledge.shipped([graph_fixtures / "contradicted-gait-step.ttl"])
    result = knowledge.paths("foot pain", "back pain")
    assert result.paths[0].node_ids == ("foot-pain", "back-pain")
    chain = next(p for p in result.paths if "altered-gait" in p.node_ids)
    disputed = chain.steps[1]
    assert disputed.claim.disputed and disputed.evidence_weight == FLOOR
    assert "Test page (fixture) disputes it" in chain.explanation


def test_qualifying_evidence_from_a_second_source_raises_the_step_weight(shipped: Knowledge, ontology_fixtures) -> None:
    before = shipped.paths("foot pain", "back pain").paths[0].steps[0].evidence_weight
    extended = Knowledge.shipped([ontology_fixtures / "valid" / "evidence-on-a-shipped-claim.ttl"])
    after = extended.paths("foot pain", "back pain").paths[0].steps[0].evidence_weight
    # The article is a commercial page (0.25); the fixture's second source a practice page (0.4).
    step = extended.paths("foot pain", "back pain").paths[0].steps[0].claim
    assert {e.source.kind: e.source.kind_weight for e in step.evidence} == {"commercial": 0.25, "practice-page": 0.4}
    assert (before, after) == (
        evidence_weight([("a", "supports", 0.25)]),
        evidence_weight([("a", "supports", 0.25), ("b", "qualifies", 0.4)]),
    )
    assert after > before


def test_max_length_cuts_the_search_and_says_so(shipped: Knowledge) -> None:
    result = shipped.paths("foot pain", "back pain", max_length=2)
    assert [p.node_ids for p in result.paths] == [("foot-pain", "back-pain")]
    assert result.truncated and "max_length" in result.truncated_reasons


def test_limit_cuts_the_results_and_says_so(shipped: Knowledge) -> None:
    full = shipped.paths("wrong shoes", "back pain", limit=10)
    assert not full.truncated and len(full.paths) >= 3
    one = shipped.paths("wrong shoes", "back pain", limit=1)
    assert [p.node_ids for p in one.paths] == [full.paths[0].node_ids]
    assert one.truncated_reasons == ("limit",)


def test_no_chain_is_an_empty_answer_not_an_error(shipped: Knowledge) -> None:
    result = shipped.paths("back pain", "foot injury")
    assert result.paths == () and not result.truncated


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"max_length": 0}, "max_length"), ({"max_length": 11}, "max_length"), ({"limit": 0}, "limit"),
     ({"limit": "3"}, "limit")],
)
def test_out_of_range_parameters_are_refused_up_front(shipped: Knowledge, kwargs, field) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        shipped.paths("foot pain", "back pain", **kwargs)
    assert caught.value.field == field


def test_same_source_and_target_is_refused(shipped: Knowledge) -> None:
    with pytest.raises(InvalidParameterError, match="same entity"):
        shipped.paths("foot pain", "sore feet")


def test_a_misspelt_name_resolves_and_an_ambiguous_one_suggests(shipped: Knowledge) -> None:
    assert shipped.paths("foot pian", "back pain").source.id == "foot-pain"
    with pytest.raises(UnknownEntityError) as caught:
        shipped.paths("sciatc", "back pain")   # sciatica or the sciatic nerve: not guessed
    assert caught.value.suggestions[:2] == ["sciatic nerve", "sciatica"]


# --- the algorithm on its own ----------------------------------------------------------------------
def _brute_force(G: nx.DiGraph, source, target, max_length: int) -> list[tuple[float, tuple]]:
    degree = {n: len(set(G.predecessors(n)) | set(G.successors(n))) for n in G}
    scored = []
    for nodes in nx.all_simple_paths(G, source, target, cutoff=max_length):
        weights = [G[u][v]["weight"] for u, v in itertools.pairwise(nodes)]
        n = len(weights)
        hubs = [hub_damping(degree[v]) for v in nodes[1:-1]]
        score = math.prod(weights) ** (1 / n) * LENGTH_DECAY ** (n - 1) * (math.prod(hubs) ** (1 / (n - 1)) if hubs else 1)
        scored.append((round(score, 6), tuple(nodes)))
    return sorted(scored, key=lambda item: (-item[0], len(item[1]), item[1]))


@pytest.mark.parametrize("seed", range(12))
def test_search_returns_exactly_the_k_best_paths_of_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(12, 0.3, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.choice([0.05, 0.2, 0.3, 0.5, 0.6, 0.8, 1.0])
    source, target, max_length, k = 0, 11, rng.randint(2, 5), rng.randint(1, 6)
    expected = _brute_force(G, source, target, max_length)
    found = list(best_causal_paths(G, source, target, max_length=max_length, limit=k))
    assert [(p.score, p.nodes) for p in found] == expected[:k]
    search = PathSearch(G, source, target, max_length=max_length, limit=k)
    list(search)
    if len(expected) > k:
        assert "limit" in search.truncated_reasons
    elif len(expected) < k:  # the limit was never reached, so it cannot have hidden anything
        assert "limit" not in search.truncated_reasons


def test_max_length_is_enforced_during_the_search() -> None:
    # A complete digraph on 30 nodes has astronomically many simple paths; with max_length=2 the
    # search must touch only ~30 partial paths -- the work cap would trip if it built longer ones.
    G = nx.complete_graph(30, create_using=nx.DiGraph)
    nx.set_edge_attributes(G, 0.5, "weight")
    search = PathSearch(G, 0, 29, max_length=2, limit=100, max_expansions=2_000)
    paths = list(search)
    assert len(paths) == 29  # the direct edge and the 28 two-step paths
    assert "max_expansions" not in search.truncated_reasons
    assert "max_length" in search.truncated_reasons


def test_work_cap_stops_the_search_and_says_so() -> None:
    G = nx.complete_graph(12, create_using=nx.DiGraph)
    nx.set_edge_attributes(G, 0.5, "weight")
    search = PathSearch(G, 0, 11, max_length=10, limit=5, max_expansions=50)
    list(search)
    assert "max_expansions" in search.truncated_reasons


def test_hub_nodes_are_damped() -> None:
    G = nx.DiGraph()
    G.add_edge("s", "quiet", weight=0.5)
    G.add_edge("quiet", "t", weight=0.5)
    G.add_edge("s", "hub", weight=0.5)
    G.add_edge("hub", "t", weight=0.5)
    for n in range(10):
        G.add_edge("hub", f"x{n}", weight=0.5)
    ranked = [p.nodes for p in best_causal_paths(G, "s", "t", max_length=3, limit=2)]
    assert ranked == [("s", "quiet", "t"), ("s", "hub", "t")]


@pytest.mark.parametrize(
    ("args", "error"),
    [(("missing", "t"), nx.NodeNotFound), (("s", "s"), InvalidParameterError)],
)
def test_bad_endpoints_are_refused(args, error) -> None:
    G = nx.DiGraph()
    G.add_edge("s", "t", weight=0.5)
    with pytest.raises(error):
        PathSearch(G, *args)


def test_weights_outside_zero_one_are_refused() -> None:
    G = nx.DiGraph()
    G.add_edge("s", "t", weight=1.5)
    with pytest.raises(InvalidParameterError, match="weights must lie in"):
        PathSearch(G, "s", "t")


def test_evidence_weight_counts_sources_not_quotes() -> None:
    one_source = evidence_weight([("article", "supports")] * 3)
    two_sources = evidence_weight([("article", "supports"), ("nhs", "supports")])
    three_sources = evidence_weight([("article", "supports"), ("nhs", "supports"), ("nice", "supports")])
    assert one_source < two_sources < three_sources < 1
    # diminishing returns: the third source adds less than the second
    assert three_sources - two_sources < two_sources - one_source
    assert evidence_weight([("a", "supports"), ("b", "qualifies")]) < two_sources
    assert evidence_weight([("a", "supports"), ("b", "contradicts")]) == FLOOR
