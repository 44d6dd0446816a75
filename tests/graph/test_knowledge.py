"""The facade: naming entities, search, neighbourhoods, claims, loading data (all or nothing), export,
the projection's rebuild and thread safety, and the same answers on every store."""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph

from painlink.graph import (
    DataRejectedError,
    InvalidParameterError,
    Knowledge,
    UnknownClaimError,
    UnknownEntityError,
)
from painlink.graph.lookup import AmbiguousEntityError
from painlink.graph.stores import Store
from painlink.ontology import PL, shipped_graph


@pytest.mark.parametrize(
    "name",
    ["foot-drop", "https://w3id.org/painlink/id/foot-drop", "<https://w3id.org/painlink/id/foot-drop>",
     "pli:foot-drop", "Foot Drop", "  foot   drop ", "TROUBLE LIFTING THE FOOT", "footdrop"],
)
def test_an_entity_can_be_named_every_way(shipped: Knowledge, name: str) -> None:
    assert shipped.resolve(name).id == "foot-drop"


def test_unknown_names_get_did_you_mean(shipped: Knowledge) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        shipped.resolve("sciatc")
    assert caught.value.suggestions[:2] == ["sciatic nerve", "sciatica"]
    assert "did you mean" in str(caught.value)


def test_a_name_with_no_close_match_has_no_suggestions(shipped: Knowledge) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        shipped.resolve("zzzzqqq")
    assert caught.value.suggestions == []


def test_ambiguous_synonym_is_refused_naming_the_candidates() -> None:
    from painlink.graph.lookup import Lookup
    from painlink.graph.model import Entity

    lookup = Lookup([Entity("a", "i:a", "alpha", "symptom", synonyms=("same",)),
                     Entity("b", "i:b", "beta", "symptom", synonyms=("same",))])
    with pytest.raises(AmbiguousEntityError) as caught:
        lookup.resolve("same")
    assert caught.value.suggestions == ["alpha", "beta"]


def test_entity_carries_definition_synonyms_mappings(shipped: Knowledge) -> None:
    entity = shipped.entity("back pain")
    assert entity.kind == "symptom"
    assert "backache" in entity.synonyms
    assert {m.curie for m in entity.mappings} == {"HP:0003418", "MESH:D001416"}
    assert all(m.relation == "exact" for m in entity.mappings)
    assert "low-back-pain" in [r.id for r in entity.narrower]


def test_search_is_partial_and_case_insensitive(shipped: Knowledge) -> None:
    hits = shipped.search("NUMB")
    ids = [h.entity.id for h in hits]
    assert {"numbness", "foot-numbness"} <= set(ids)
    assert shipped.search("pins and")[0].entity.id == "paresthesia"
    assert all(h.score > 0 for h in hits)


def test_neighbourhood_of_the_sciatic_nerve(shipped: Knowledge) -> None:
    hood = shipped.neighbourhood("sciatic nerve", depth=1)
    ids = {n.id for n in hood.nodes}
    assert {"leg", "lower-back", "foot", "common-peroneal-nerve"} <= ids
    runs = {(e.subject, e.predicate, e.object, e.claim) for e in hood.edges if e.predicate == "runsThrough"}
    assert ("sciatic-nerve", "runsThrough", "lower-back", "sciatic-nerve--runs-through--lower-back") in runs
    wider = shipped.neighbourhood("sciatic nerve", depth=2)
    assert len(wider.nodes) > len(hood.nodes)
    with pytest.raises(InvalidParameterError):
        shipped.neighbourhood("sciatic nerve", depth=0)


def test_claims_by_id_and_iri(shipped: Knowledge) -> None:
    claim = shipped.claim("orthotic-shoes--relieves--back-pain")
    assert shipped.claim("https://w3id.org/painlink/claim/orthotic-shoes--relieves--back-pain") == claim
    assert claim.disputed
    assert (claim.summary.supporting, claim.summary.contradicting) == (2, 2)
    assert [e.stance for e in claim.evidence] == ["supports", "supports", "contradicts", "contradicts"]
    with pytest.raises(UnknownClaimError):
        shipped.claim("nothing--causes--nothing")


def test_claims_about_an_entity(shipped: Knowledge) -> None:
    claims = shipped.claims_about("orthotics")
    assert {c.id for c in claims} == {"orthotic-shoes--relieves--back-pain", "orthotic-shoes--relieves--foot-pain",
                                      "orthotic-shoes--relieves--sciatica"}


def test_projection_reads_groups_and_strengths_from_the_schema(shipped: Knowledge) -> None:
    graph = shipped.projection.graph
    data = graph.get_edge_data("altered-gait", "spinal-misalignment")["altered-gait--may-cause--spinal-misalignment"]
    assert (data["group"], data["strength"], data["predicate"]) == ("causal", 0.6, "mayCause")
    assert data["summary"].supporting == 2 and data["summary"].sources == 1
    groups = {d["group"] for _, _, d in graph.edges(data=True)}
    assert groups == {"causal", "sign", "anatomy", "intervention", "hierarchy"}


# --- loading data ------------------------------------------------------------------------------------
def test_a_valid_file_is_added_and_the_projection_rebuilt(fresh: Knowledge, ontology_fixtures) -> None:
    before = fresh.projection
    with pytest.raises(UnknownEntityError):
        fresh.resolve("test symptom (fixture)")
    added = fresh.add_file(ontology_fixtures / "valid" / "new-entity-with-cited-claim.ttl")
    assert added > 0
    assert fresh.projection is not before
    assert fresh.resolve("test symptom (fixture)").kind == "symptom"


def test_a_file_breaking_the_shapes_is_rejected_and_nothing_loaded(fresh: Knowledge, ontology_fixtures) -> None:
    size, version, projection = len(fresh.store), fresh.store.version, fresh.projection
    with pytest.raises(DataRejectedError) as caught:
        fresh.add_file(ontology_fixtures / "invalid" / "claim-without-evidence.ttl")
    assert caught.value.kind == "validation"
    assert any("evidence" in m for m in caught.value.messages)
    assert not caught.value.report.conforms
    assert (len(fresh.store), fresh.store.version) == (size, version)
    assert fresh.projection is projection


def test_a_file_that_does_not_parse_names_line_and_column(fresh: Knowledge) -> None:
    size = len(fresh.store)
    bad = b"@prefix pl: <https://w3id.org/painlink/vocab#> .\n\npl:a pl:b pl:c pl:d .\n"
    with pytest.raises(DataRejectedError) as caught:
        fresh.add_file(bad, "ttl", name="ext.ttl")
    error = caught.value
    assert (error.kind, error.source, error.line) == ("parse", "ext.ttl", 3)
    assert error.column is not None and "line 3" in str(error)
    assert len(fresh.store) == size


def test_several_files_are_all_or_nothing(ontology_fixtures) -> None:
    good = ontology_fixtures / "valid" / "anatomy-without-claim.ttl"
    bad = ontology_fixtures / "invalid" / "claim-without-evidence.ttl"
    with pytest.raises(DataRejectedError):
        Knowledge.shipped([good, bad])
    knowledge = Knowledge.shipped()
    size = len(knowledge.store)
    with pytest.raises(DataRejectedError):
        knowledge.add_files([good, bad])
    assert len(knowledge.store) == size
    with pytest.raises(UnknownEntityError):
        knowledge.resolve("test structure (fixture)")


def test_unknown_format_and_missing_file_are_rejected(fresh: Knowledge, tmp_path) -> None:
    with pytest.raises(DataRejectedError) as caught:
        fresh.add_file(tmp_path / "data.csv")
    assert caught.value.kind == "format"
    with pytest.raises(DataRejectedError) as caught:
        fresh.add_file(tmp_path / "missing.ttl")
    assert caught.value.kind == "file"


def test_jsonld_data_is_read(fresh: Knowledge) -> None:
    doc = {
        "@id": "https://w3id.org/painlink/id/test-structure",
        "@type": "https://w3id.org/painlink/vocab#AnatomicalStructure",
        "http://www.w3.org/2000/01/rdf-schema#label": {"@value": "test structure (fixture)", "@language": "en"},
        "http://www.w3.org/2004/02/skos/core#definition": {"@value": "A made-up body part.", "@language": "en"},
        "https://w3id.org/biolink/vocab/category": {"@id": "https://w3id.org/biolink/vocab/GrossAnatomicalStructure"},
    }
    fresh.add_file(json.dumps(doc).encode(), "json-ld")
    assert fresh.resolve("test structure (fixture)").kind == "anatomy"


# --- export -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_round_trips(shipped: Knowledge, fmt: str) -> None:
    from painlink.graph.knowledge import EXPORT_FORMATS

    data = shipped.export(fmt)
    triples = set(ox.parse(data, format=EXPORT_FORMATS[fmt]))
    assert len(triples) == len(shipped.store)
    if fmt == "ttl":
        assert b"@prefix pli: <https://w3id.org/painlink/id/>" in data


def test_export_rejects_unknown_formats(shipped: Knowledge) -> None:
    with pytest.raises(InvalidParameterError):
        shipped.export("csv")


def test_stats_count_what_the_graph_holds(shipped: Knowledge) -> None:
    stats = shipped.stats()
    assert stats["claims"] == len(shipped.projection.claims)
    # the evidence items on claims, counted from the shipped files (rows shared by several claims count
    # once, and the red flags' own rows C29, C30, C32 sit on no claim, so there are fewer than claims)
    graph = shipped_graph()
    on_claims = {e for c in graph.subjects(RDF.type, PL.Claim) for e in graph.objects(c, PL.hasEvidence)}
    assert stats["evidence"] == len(on_claims)
    assert stats["mappings"] == sum(len(e.mappings) for e in shipped.projection.entities.values())


# --- concurrency and stores -------------------------------------------------------------------------
def test_threads_share_one_projection_per_version() -> None:
    knowledge = Knowledge.shipped()
    seen, answers, errors = [], [], []
    start = threading.Barrier(8)

    def ask() -> None:
        try:
            start.wait()
            seen.append(knowledge.projection)
            answers.append(knowledge.paths("foot pain", "back pain").paths[0].node_ids)
        except Exception as error:  # noqa: BLE001 - any failure in a thread is reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({id(p) for p in seen}) == 1
    assert set(answers) == {("foot-pain", "altered-gait", "spinal-misalignment", "back-pain")}


def test_the_same_answers_on_every_store(store: Store) -> None:
    knowledge = Knowledge.shipped(store=store)
    best = knowledge.paths("foot pain", "back pain").paths[0]
    assert best.node_ids == ("foot-pain", "altered-gait", "spinal-misalignment", "back-pain")
    reference = Knowledge.shipped()
    expected = reference.explain(["foot numbness", "foot weakness"])
    found = knowledge.explain(["foot numbness", "foot weakness"])
    assert [e.cause.id for e in found.explanations] == [e.cause.id for e in expected.explanations]
    assert [a.flag.id for a in found.red_flags] == [a.flag.id for a in expected.red_flags]
    assert found.explanations[0].cause.id == "sciatica"
    assert len(Graph().parse(data=knowledge.export("nt").decode(), format="nt")) == len(store)
