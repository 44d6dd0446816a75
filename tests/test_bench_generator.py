"""The benchmark's synthetic graph is in painlink's schema: it passes the shipped SHACL shapes and QC
queries (a small size; the benchmark uses the same generator at 1k-100k entities)."""

from __future__ import annotations

import rdflib
from bench_generator import bench_generator

from painlink.ontology.validation import validate


def test_synthetic_graph_validates_against_the_shapes() -> None:
    generate = bench_generator()
    graph = rdflib.Graph().parse(data="\n".join(generate.generate(100)), format="nt")
    report = validate(graph)
    assert report.conforms, report.text()
    kinds = {str(o) for o in graph.objects(None, rdflib.RDF.type)}
    for kind in ("Symptom", "Cause", "AnatomicalStructure", "Intervention", "Claim", "Evidence"):
        assert generate.PL + kind in kinds


def test_path_pairs_are_joined_by_causal_edges() -> None:
    generate = bench_generator()
    graph = rdflib.Graph().parse(data="\n".join(generate.generate(300)), format="nt")
    causal = [rdflib.URIRef(generate.PL + name) for name in generate.CAUSAL]
    edges: dict[str, set[str]] = {}
    for predicate in causal:
        for s, o in graph.subject_objects(predicate):
            edges.setdefault(str(s), set()).add(str(o))
    for source, target in generate.path_pairs(300, count=5):
        frontier, seen = {generate.PLI + source}, set()
        for _ in range(5):
            frontier = {n for node in frontier for n in edges.get(node, ())} - seen
            seen |= frontier
        assert generate.PLI + target in seen, (source, target)
