"""painlink.service.patterns: a one-pattern query read from the index answers as the engine does.

Every /sparql answer to such a query -- a worker's, a front's -- now comes from the index scan, so it
must be the engine's answer to the byte: the same rows, in the same order, in every format, the same
refusals. Each case runs both ways on the shipped graph (and on literals the shipped graph lacks);
the scan must also actually take the cases it claims, or the comparison would prove nothing.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from painlink.graph.stores import OxigraphStore, sync_shipped
from painlink.ontology import SHIPPED_FILES
from painlink.service.messages import Query
from painlink.service.patterns import answer_pattern
from painlink.service.replica import write_answer
from painlink.service.sparql_lexer import one_pattern

PREFIXES = ("PREFIX pl: <https://w3id.org/painlink/vocab#>\nPREFIX pli: <https://w3id.org/painlink/id/>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
#: Queries the scan answers itself.
SCANNED = [
    PREFIXES + "SELECT ?label WHERE { pli:back-pain rdfs:label ?label }",
    PREFIXES + "SELECT * { pli:foot-pain ?p ?o }",
    PREFIXES + "SELECT ?o ?p { pli:foot-pain ?p ?o } LIMIT 3",
    PREFIXES + "SELECT ?s { ?s a pl:Symptom }",
    PREFIXES + "SELECT $s ?unbound WHERE { $s rdfs:label 'foot pain'@EN . } # a comment",
    PREFIXES + 'SELECT * { ?s ?p "Plain" }',
    PREFIXES + "ASK { pli:back-pain ?p ?o }",
    "ASK { <urn:x:nothing> ?p ?o }",
    "SELECT * { ?s ?p ?o } LIMIT 0",
    "SELECT ?s ?p ?o { ?s ?p ?o } LIMIT 40",
    "SELECT * WHERE { <urn:x:a> <urn:x:p> 'x'@en-GB }",
    "SELECT * WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
]
#: Queries of one pattern the scan leaves to the engine.
LEFT = [
    "BASE <https://w3id.org/painlink/id/> SELECT * { <back-pain> ?p ?o }",
    "SELECT * { ?s ?p 'a\\'b' }",
    "PREFIX x: <urn:x:> PREFIX x: <urn:y:> SELECT * { ?s x:p ?o }",
    "SELECT * { ?s nope:p ?o }",  # an undeclared prefix: the engine's syntax error
    "SELECT ?s ?s { ?s ?p ?o }",
]
FORMATS = ["json", "xml", "csv", "tsv"]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    shipped = OxigraphStore()
    sync_shipped(shipped, SHIPPED_FILES)
    store = ox.Store()
    store.extend(shipped._ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    store.update('INSERT DATA { <urn:x:a> <urn:x:p> "x"@en-gb , "Plain" , "Plain"@en }')
    return store


def engine(store: ox.Store, spec: Query):  # type: ignore[no-untyped-def]
    """The engine's answer, as answer_query gave it before the scan."""
    try:
        result = store.query(spec.query)
    except SyntaxError as error:
        return ("syntax", str(error))
    return write_answer(result, spec)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", SCANNED)
def test_the_scan_answers_as_the_engine(store, text, fmt) -> None:  # type: ignore[no-untyped-def]
    pattern = one_pattern(text)
    assert pattern is not None, text
    spec = Query(text, results_format=fmt, graph_format=None, max_rows=100_000)
    scanned = answer_pattern(store, pattern, spec)
    assert scanned is not None, "the scan left a query it should answer"
    assert scanned == engine(store, spec)


@pytest.mark.parametrize("cap", [1, 5, 17])
def test_the_row_cap_refuses_as_the_engine(store, cap) -> None:  # type: ignore[no-untyped-def]
    for text in (PREFIXES + "SELECT ?s { ?s a pl:Symptom }", f"SELECT * {{ ?s ?p ?o }} LIMIT {cap}",
                 f"SELECT * {{ ?s ?p ?o }} LIMIT {cap + 1}"):
        spec = Query(text, results_format="json", graph_format=None, max_rows=cap)
        scanned = answer_pattern(store, one_pattern(text), spec)
        assert scanned == engine(store, spec), text


def test_no_format_for_the_answer_reads_as_the_engine(store) -> None:  # type: ignore[no-untyped-def]
    for text in (SCANNED[0], SCANNED[6]):
        spec = Query(text, results_format=None, graph_format="turtle", max_rows=10)
        assert answer_pattern(store, one_pattern(text), spec) == engine(store, spec)


@pytest.mark.parametrize("text", LEFT)
def test_what_needs_the_engine_is_left_to_it(store, text) -> None:  # type: ignore[no-untyped-def]
    pattern = one_pattern(text)
    assert pattern is not None, text
    assert answer_pattern(store, pattern, Query(text, results_format="json", graph_format=None, max_rows=10)) is None


def test_a_request_with_its_own_dataset_is_left_to_the_engine(store) -> None:  # type: ignore[no-untyped-def]
    spec = Query(SCANNED[0], results_format="json", graph_format=None, max_rows=10, default_graph=("urn:g",))
    assert answer_pattern(store, one_pattern(SCANNED[0]), spec) is None
