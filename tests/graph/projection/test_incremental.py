"""The projection followed write by write equals a projection built from scratch.

Random writes, from a seeded generator, through the store's real write paths (SPARQL ``INSERT DATA``,
``DELETE DATA``, ``DELETE WHERE``, data loads, named-graph writes): inserts and deletes of claims,
evidence, labels, synonyms, red-flag signs, types and ``skos:broader``. After each one the patched
projection is compared with a full build of the same store: every public attribute, and the answers of
paths, explain and interventions.
"""

from __future__ import annotations

import random
import threading
import time

import pyoxigraph as ox
import pytest

from painlink.graph import Knowledge
from painlink.graph.chains import causal_paths, weighted_causal_graph
from painlink.graph.explain import explain_symptoms
from painlink.graph.interventions import interventions_for
from painlink.graph.projection import Projection, build_projection
from painlink.graph.projection.patch import advance, patch
from painlink.graph.redflags import red_flag_alerts
from painlink.graph.stores import OxigraphStore
from painlink.ontology import NAMESPACES
from tests.bench_generator import bench_generator

PL, PLI, PLC, PLV, PLS = (NAMESPACES[p] for p in ("pl", "pli", "plc", "plv", "pls"))
RDFS, SKOS, RDF, OA = NAMESPACES["rdfs"], NAMESPACES["skos"], NAMESPACES["rdf"], NAMESPACES["oa"]
CAUSAL = ["causes", "contributesTo", "mayCause", "associatedWith"]
OTHER = ["relieves", "worsens", "locatedIn", "indicates"]


@pytest.fixture
def generated() -> Knowledge:
    """The shipped ontology plus a small generated graph, in a store of the test's own."""
    knowledge = Knowledge.shipped()
    data = "\n".join(bench_generator().generate(60, seed=7)).encode()
    knowledge.store.load(data, ox.RdfFormat.N_TRIPLES)
    return knowledge


def assert_same(patched: Projection, built: Projection) -> None:
    """Every public attribute equal; orders that follow the store's own row order compared as sets."""
    assert patched.version == built.version
    assert patched.entities == built.entities
    assert patched.claims == built.claims
    assert patched.red_flags == built.red_flags
    assert patched.properties == built.properties
    assert patched.examinable == built.examinable
    assert patched.sources == built.sources
    assert dict(patched.graph.nodes(data=True)) == dict(built.graph.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in built.graph.edges(keys=True, data=True)}
    assert {(u, v, k): d for u, v, k, d in patched.graph.edges(keys=True, data=True)} == edges
    assert set(patched.causal.edges(keys=True)) == set(built.causal.edges(keys=True))
    assert {n: set(v) for n, v in patched.broader.items()} == {n: set(v) for n, v in built.broader.items()}
    assert patched.narrower == built.narrower
    assert {n: sorted(v) for n, v in patched.locations.items()} == {n: sorted(v) for n, v in built.locations.items()}


def assert_same_indexes(knowledge: Knowledge, patched: Projection, built: Projection) -> None:
    """What questions keep beside a snapshot (followed, not rebuilt, after a patch) equal a build's."""
    assert vars(knowledge._lookup(patched)) == vars(knowledge._lookup(built))
    (graph, degree), (built_graph, built_degree) = weighted_causal_graph(patched), weighted_causal_graph(built)
    assert degree == built_degree
    assert dict(graph.nodes(data=True)) == dict(built_graph.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)} == {
        (u, v, k): d for u, v, k, d in built_graph.edges(keys=True, data=True)}


def assert_same_answers(patched: Projection, built: Projection, rng: random.Random) -> None:
    causal = sorted(n for n in built.graph if built.graph.nodes[n].get("kind") in ("symptom", "cause"))
    for _ in range(3):
        source, target = rng.sample(causal, 2)
        assert causal_paths(patched, source, target) == causal_paths(built, source, target)
        assert explain_symptoms(patched, [target]) == explain_symptoms(built, [target])
        assert interventions_for(patched, target) == interventions_for(built, target)
        assert red_flag_alerts(patched, [source, target]) == red_flag_alerts(built, [source, target])


class Writer:
    """Random writes to a store, chosen from what the current projection holds."""

    def __init__(self, store: OxigraphStore, rng: random.Random) -> None:
        self.store, self.rng, self.count = store, rng, 0

    def __call__(self, projection: Projection) -> str:
        self.count += 1
        name = self.rng.choice([n for n in dir(self) if n.startswith("write_")])
        getattr(self, name)(projection)
        return name

    def _entity(self, projection: Projection) -> str:
        return PLI + self.rng.choice(sorted(e for e in projection.entities if "://" not in e))

    def _claim(self, projection: Projection) -> str:
        return self.rng.choice(sorted(c.iri for c in projection.claims.values()))

    def write_insert_claim(self, projection: Projection) -> None:
        s, o = self._entity(projection), self._entity(projection)
        predicate = self.rng.choice(CAUSAL + OTHER)
        claim = f"{PLC}w{self.count}--{predicate}"
        source = self.rng.choice(sorted(projection.sources))
        stance = self.rng.choice(["Supports", "Qualifies", "Contradicts"])
        self.store.update(f"""INSERT DATA {{ <{s}> <{PL}{predicate}> <{o}> .
            <{claim}> a <{PL}Claim> ; <{RDF}subject> <{s}> ; <{RDF}predicate> <{PL}{predicate}> ; <{RDF}object> <{o}> ;
                <{PL}hasEvidence> <{PLV}w{self.count}> .
            <{PLV}w{self.count}> a <{PL}Evidence> ; <{PL}source> <{source}> ; <{PL}stance> <{PL}{stance}> ;
                <{OA}hasSelector> [ <{OA}exact> "quote {self.count}" ] }}""")

    def write_delete_claim(self, projection: Projection) -> None:
        claim = self._claim(projection)
        if self.rng.random() < 0.5:  # the claim resource only: its direct triple becomes a plain fact
            self.store.update(f"DELETE WHERE {{ <{claim}> ?p ?o }}")
        else:
            c = projection.claims[claim.removeprefix(PLC)] if claim.startswith(PLC) else None
            if c is not None:
                self.store.update(f"DELETE DATA {{ <{c.subject.iri}> <{c.predicate_iri}> <{c.object.iri}> }} ; "
                                  f"DELETE WHERE {{ <{claim}> ?p ?o }}")

    def write_add_evidence(self, projection: Projection) -> None:
        claim, source = self._claim(projection), self.rng.choice(sorted(projection.sources))
        ev = f"{PLV}x{self.count}"
        data = (f"<{claim}> <{PL}hasEvidence> <{ev}> . <{ev}> a <{PL}Evidence> ; <{PL}source> <{source}> ; "
                f"<{PL}stance> <{PL}Contradicts> ; <{PL}summary> \"against {self.count}\"@en .")
        self.store.load(data.encode(), ox.RdfFormat.TURTLE)  # a Graph Store POST's path

    def write_delete_evidence(self, projection: Projection) -> None:
        items = sorted({e.iri for c in projection.claims.values() for e in c.evidence})
        self.store.update(f"DELETE WHERE {{ <{self.rng.choice(items)}> ?p ?o }}")

    def write_label(self, projection: Projection) -> None:
        # Half the time one that others show by label (as the term they are a kind of, or a kind of it).
        related = sorted(e.iri for e in projection.entities.values() if e.broader or e.narrower)
        entity = self.rng.choice(related) if related and self.rng.random() < 0.5 else self._entity(projection)
        self.store.update(f"DELETE WHERE {{ <{entity}> <{RDFS}label> ?l }} ; "
                          f"INSERT DATA {{ <{entity}> <{RDFS}label> \"renamed {self.count}\"@en }}")

    def write_label_by_pattern(self, projection: Projection) -> None:
        # DELETE/INSERT ... WHERE: the difference is what its templates match before it runs.
        entity = self._entity(projection)
        self.store.update(f"DELETE {{ ?e <{RDFS}label> ?l }} INSERT {{ ?e <{RDFS}label> ?new }} WHERE {{ "
                          f"BIND(<{entity}> AS ?e) ?e <{RDFS}label> ?l BIND(CONCAT(STR(?l), ' {self.count}') AS ?new) }}")

    def write_synonym(self, projection: Projection) -> None:
        entity = self._entity(projection)
        if self.rng.random() < 0.5:
            self.store.update(f"INSERT DATA {{ <{entity}> <{SKOS}altLabel> \"also {self.count}\"@en }}")
        else:
            self.store.update(f"DELETE WHERE {{ <{entity}> <{SKOS}altLabel> ?l }}")

    def write_type(self, projection: Projection) -> None:
        if self.rng.random() < 0.5:  # an entity loses its kind: it is a bare node (or nothing) after
            entity = self._entity(projection)
            self.store.update(f"DELETE WHERE {{ <{entity}> a ?t }}")
        else:
            kind = self.rng.choice(["Symptom", "Cause", "Intervention", "AnatomicalStructure", "Sign"])
            self.store.update(f"INSERT DATA {{ <{self._entity(projection)}> a <{PL}{kind}> . "
                              f"<{PLI}new-{self.count}> a <{PL}{kind}> ; <{RDFS}label> \"new {self.count}\"@en }}")

    def write_broader(self, projection: Projection) -> None:
        a, b = self._entity(projection), self._entity(projection)
        verb = "INSERT" if self.rng.random() < 0.7 else "DELETE"
        self.store.update(f"{verb} DATA {{ <{a}> <{SKOS}broader> <{b}> }}")

    def write_red_flag(self, projection: Projection) -> None:
        flag = self.rng.choice(sorted(f.iri for f in projection.red_flags.values()))
        sign = self._entity(projection)
        if self.rng.random() < 0.5:
            self.store.update(f"INSERT DATA {{ <{flag}> <{PL}redFlagSign> <{sign}> }}")
        else:
            self.store.update(f"DELETE WHERE {{ <{flag}> <{PL}action> ?a }} ; "
                              f"INSERT DATA {{ <{flag}> <{PL}action> \"act {self.count}\"@en }}")

    def write_source(self, projection: Projection) -> None:
        source = self.rng.choice(sorted(projection.sources))
        kind = self.rng.choice(["Guideline", "Commercial", "PracticePage"])
        self.store.update(f"DELETE WHERE {{ <{source}> <{PL}sourceKind> ?k }} ; "
                          f"INSERT DATA {{ <{source}> <{PL}sourceKind> <{PL}{kind}> }}")

    def write_quote(self, projection: Projection) -> None:
        # A quote's selector is its own resource in generated data: the evidence holding it shows the change.
        selectors = sorted(row["s"].value for row in self.store.select(
            f"SELECT DISTINCT ?s WHERE {{ ?e <{OA}hasSelector> ?s FILTER(isIRI(?s)) }}"))
        if selectors:
            selector = self.rng.choice(selectors)
            self.store.update(f"DELETE WHERE {{ <{selector}> <{OA}exact> ?x }} ; "
                              f"INSERT DATA {{ <{selector}> <{OA}exact> \"requoted {self.count}\" }}")

    def write_fact(self, projection: Projection) -> None:
        a, b = self._entity(projection), self._entity(projection)
        self.store.update(f"INSERT DATA {{ <{a}> <{PL}locatedIn> <{b}> }}")

    def write_named_graph(self, projection: Projection) -> None:
        entity = self._entity(projection)
        data = f"<{entity}> <{RDFS}label> \"elsewhere\"@en ."
        self.store.load(data.encode(), ox.RdfFormat.TURTLE, graph="http://example.org/other")


@pytest.mark.parametrize("seed", range(4))
def test_patched_projection_equals_a_full_build_after_random_writes(generated: Knowledge, seed: int) -> None:
    rng = random.Random(seed)
    store = generated.store
    projection = build_projection(store)
    assert_same_indexes(generated, projection, projection)  # made now, so each patch has them to follow
    writer = Writer(store, rng)
    for _ in range(12):
        name = writer(projection)
        difference = store.difference(projection.version, store.version)
        assert difference is not None, f"{name}: a write the store knows the difference of"
        patched = patch(projection, store, difference, store.version)
        built = build_projection(store)
        assert_same(patched, built)
        assert_same_indexes(generated, patched, built)
        assert_same_answers(patched, built, rng)
        projection = patched


def test_two_writes_are_followed_in_one_step(generated: Knowledge) -> None:
    rng = random.Random(99)
    store = generated.store
    projection = build_projection(store)
    writer = Writer(store, rng)
    writer.write_insert_claim(projection)
    writer.write_label(projection)
    assert_same(advance(projection, store), build_projection(store))


def test_a_small_write_shares_what_it_did_not_touch(generated: Knowledge) -> None:
    store = generated.store
    projection = build_projection(store)
    store.update(f'INSERT DATA {{ <{PLI}foot-pain> <{SKOS}altLabel> "sore sole"@en }}')
    patched = advance(projection, store)
    assert "sore sole" in patched.entities["foot-pain"].synonyms
    assert patched.graph._succ["back-pain"] is projection.graph._succ["back-pain"]  # not copied: patched
    assert "sore sole" not in projection.entities["foot-pain"].synonyms  # the old snapshot is as it was
    assert "sore sole" not in projection.graph.nodes["foot-pain"]["synonyms"]


def test_an_unknown_difference_is_a_full_build(generated: Knowledge) -> None:
    store = generated.store
    store.load(f'<{PLI}foot-pain> <{RDFS}label> "foot ache"@en .'.encode(), ox.RdfFormat.TURTLE,
               graph="http://example.org/more")
    projection = build_projection(store)
    # ADD copies a named graph into the default one: what it changes is not known before it runs
    store.update("ADD <http://example.org/more> TO DEFAULT")
    assert store.difference(projection.version, store.version) is None
    moved = advance(projection, store)
    assert moved.entities["foot-pain"].label == "foot ache"
    assert moved.graph._succ["back-pain"] is not projection.graph._succ["back-pain"]  # built anew
    assert_same(moved, build_projection(store))


def test_a_schema_change_is_a_full_build(generated: Knowledge) -> None:
    store = generated.store
    projection = build_projection(store)
    store.update(f"DELETE WHERE {{ <{PL}causes> <{PL}causalStrength> ?s }} ; "
                 f"INSERT DATA {{ <{PL}causes> <{PL}causalStrength> 0.5 }}")
    moved = advance(projection, store)
    assert {d["strength"] for _, _, d in moved.graph.edges(data=True) if d["predicate"] == "causes"} == {0.5}
    assert_same(moved, build_projection(store))


def test_a_write_to_blank_nodes_nothing_named_leads_to_is_a_full_build(generated: Knowledge) -> None:
    store = generated.store
    writer = Writer(store, random.Random(5))
    writer.write_insert_claim(build_projection(store))  # its evidence quotes through a blank-node selector
    projection = build_projection(store)
    assert any(e.quote and e.quote.exact == "quote 0" for c in projection.claims.values() for e in c.evidence)
    # Which evidence the selector belongs to is not in the write: the difference is not known.
    store.update(f'DELETE WHERE {{ ?selector <{OA}exact> "quote 0" }}')
    assert store.difference(projection.version, store.version) is None
    moved = advance(projection, store)
    assert not any(e.quote and e.quote.exact == "quote 0" for c in moved.claims.values() for e in c.evidence)
    assert_same(moved, build_projection(store))


def test_quotes_on_named_selectors_are_patched(generated: Knowledge) -> None:
    store = generated.store
    projection = build_projection(store)
    store.update(f"DELETE WHERE {{ ?selector <{OA}exact> ?quote }}")  # the shipped and generated selectors have IRIs
    assert store.difference(projection.version, store.version) is not None
    moved = advance(projection, store)
    assert not any(e.quote for c in moved.claims.values() for e in c.evidence)
    assert_same(moved, build_projection(store))


def test_questions_during_writes_read_whole_snapshots(generated: Knowledge) -> None:
    """A reader asking while writes are followed gets one snapshot, old or new, never half of one."""
    knowledge, stop, torn = generated, threading.Event(), []
    knowledge.prepare()

    def ask() -> None:
        while not stop.is_set():
            projection = knowledge.projection
            synonyms = projection.entities["foot-pain"].synonyms
            if (projection.graph.nodes["foot-pain"]["synonyms"] != synonyms
                    or knowledge._lookup(projection).entities["foot-pain"].synonyms != synonyms):
                torn.append(projection.version)

    reader = threading.Thread(target=ask)
    reader.start()
    try:
        for number in range(15):
            knowledge.store.update(f'INSERT DATA {{ <{PLI}foot-pain> <{SKOS}altLabel> "sore {number}"@en }}')
            time.sleep(0.01)
    finally:
        stop.set()
        reader.join()
    assert torn == []
    assert {f"sore {n}" for n in range(15)} <= set(knowledge.projection.entities["foot-pain"].synonyms)
