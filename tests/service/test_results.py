"""The result writers write what pyoxigraph's own serialisers write, for every kind of term, and stop
at the cap."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from painlink.service.results import TooManyResults, write_boolean, write_solutions, write_triples

DATA = r"""
PREFIX e: <http://e/>
INSERT DATA {
  e:a e:p "plain", "tab\there", "quote \" and, comma", "line\nbreak", "<b>&amp;</b>"@en, "sept"@fr-CA,
          "x"@ar--rtl, 42, 1.5, "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>, _:blank,
          <<( e:a e:p e:b )>>, e:b .
}
"""
QUERY = "SELECT ?o ?unbound WHERE { ?s ?p ?o } ORDER BY STR(?o)"
NATIVE = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.update(DATA)
    return store


def _parsed(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple]:
    result = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in result.variables]
    return [tuple(solution[name] for name in names) for solution in result]


@pytest.mark.parametrize("fmt", list(NATIVE))
def test_writers_match_pyoxigraph(store: ox.Store, fmt: str) -> None:
    ours = write_solutions(store.query(QUERY), fmt, max_rows=100)
    theirs = store.query(QUERY).serialize(format=NATIVE[fmt])
    assert _parsed(ours, NATIVE[fmt]) == _parsed(theirs, NATIVE[fmt])
    assert len(_parsed(ours, NATIVE[fmt])) == 13


def test_csv_matches_pyoxigraph_byte_for_byte(store: ox.Store) -> None:
    # pyoxigraph cannot read CSV back (the format is lossy), so compare the bytes.
    ours = write_solutions(store.query(QUERY), "csv", max_rows=100)
    assert ours == store.query(QUERY).serialize(format=ox.QueryResultsFormat.CSV)


def test_json_matches_pyoxigraph_byte_for_byte(store: ox.Store) -> None:
    ours = write_solutions(store.query(QUERY), "json", max_rows=100)
    assert ours == store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON)


def test_cap_counts_rows(store: ox.Store) -> None:
    assert write_solutions(store.query(QUERY + " LIMIT 13"), "json", max_rows=13)
    with pytest.raises(TooManyResults, match="more than 12 rows"):
        write_solutions(store.query(QUERY), "json", max_rows=12)
    with pytest.raises(TooManyResults, match="more than 12 triples"):
        write_triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "turtle", max_rows=12)


def test_boolean_formats() -> None:
    for value in (True, False):
        for fmt, native in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)):
            assert bool(ox.parse_query_results(write_boolean(value, fmt), format=native)) is value


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "nquads", "trig"])
def test_triples_round_trip(fmt: str) -> None:
    triple = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x\ny", language="en"))
    body = write_triples([triple], fmt, max_rows=1, prefixes={"e": "http://e/"})
    parsed = list(ox.parse(body, format={"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                                         "rdfxml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS,
                                         "trig": ox.RdfFormat.TRIG}[fmt]))
    assert [(q.subject, q.predicate, q.object) for q in parsed] == [(triple.subject, triple.predicate, triple.object)]


def test_a_format_that_cannot_hold_triple_terms_says_so(store: ox.Store) -> None:
    with pytest.raises(ValueError, match="JSON-LD"):
        write_triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "jsonld", max_rows=100)


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_an_answer_its_limit_keeps_under_the_cap_is_the_same_and_a_larger_one_still_refused(store: ox.Store, fmt: str) -> None:
    # A LIMIT at or under the cap lets pyoxigraph's writer answer (faster); the bytes are the same,
    # and a LIMIT over the cap leaves the counting writer in charge, which refuses.
    from painlink.service.messages import Answered, Failed, Query
    from painlink.service.replica import NATIVE_FROM_ROWS, answer_query

    limited = f"{QUERY} LIMIT {NATIVE_FROM_ROWS}"
    answer = answer_query(store, Query(limited, results_format=fmt, max_rows=NATIVE_FROM_ROWS))
    assert isinstance(answer, Answered)
    assert answer.body == write_solutions(store.query(QUERY), fmt, max_rows=100)
    refused = answer_query(store, Query(limited, results_format=fmt, max_rows=10))
    assert isinstance(refused, Failed) and refused.code == "too_large"
