"""The SPARQL tokenizer: SERVICE/LOAD found wherever the engine would see them and nowhere else, and
the protocol's using-graph-uri applied so the engine gives what a written USING would."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from painlink.service.sparql_lexer import add_using_clauses, inspect_sparql, tokenize


@pytest.mark.parametrize(
    ("query", "services"),
    [
        ("SELECT * { SERVICE <http://a/> { ?s ?p ?o } }", ("http://a/",)),
        ("select * { service silent <http://a/> { ?s ?p ?o } }", ("http://a/",)),
        ("SELECT * { SERVICE ?where { ?s ?p ?o } }", ("?where",)),
        ("PREFIX x: <http://a/> SELECT * { SERVICE x:q { ?s ?p ?o } }", ("x:q",)),
        ("SELECT * { FILTER(1<2) SERVICE<http://a/>{ ?s ?p ?o } }", ("http://a/",)),
        ("SELECT * { ?s ?p ?o FILTER(?o<?p) SERVICE <http://a/> {} }", ("http://a/",)),
        # an IRI with \u escapes is one token: its '#' does not start a comment that would hide the rest
        ("SELECT * { <http://x/\\u0041#> ?p ?o . SERVICE <http://a/> {} }", ("http://a/",)),
        # a string that spans lines, then the keyword
        ('SELECT * { ?s ?p """line\n# not a comment""" . SERVICE <http://a/> {} }', ("http://a/",)),
    ],
)
def test_service_is_found(query: str, services: tuple[str, ...]) -> None:
    assert inspect_sparql(query).services == services


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://a/> {}" }',
        "SELECT * { ?s ?p 'it\\'s a SERVICE' }",
        'SELECT * { ?s ?p """SERVICE\n<http://a/> {}""" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://a/> {}",
        "SELECT * { <http://a/SERVICE> ?p ?o }",
        "PREFIX SERVICE: <http://a/> SELECT * { SERVICE:x ?p ?o }",
        "SELECT ?service { ?service ?p ?o }",
        "SELECT * { _:service ?p ?o }",
        "SELECT * { ?s ?p 'x'@en-SERVICE }",
    ],
)
def test_service_in_data_names_and_comments_is_not_a_call(query: str) -> None:
    assert inspect_sparql(query).services == ()
    list(ox.Store().query(query))  # and the engine agrees: this runs without any SERVICE call


def test_query_forms() -> None:
    assert inspect_sparql("PREFIX a: <http://a/>\nBASE <http://b/>\nask {}").form == "ASK"
    assert inspect_sparql("# a comment\nDESCRIBE <x>").form == "DESCRIBE"
    assert inspect_sparql("INSERT DATA { <a> <b> <c> }").form is None


def test_update_structure() -> None:
    bounded = inspect_sparql("INSERT DATA { <a> <b> 'WHERE' } ; CLEAR ALL ; DROP GRAPH <g>")
    assert not bounded.has_pattern and not bounded.names_dataset
    modify = inspect_sparql("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert modify.has_pattern
    assert inspect_sparql("DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }").names_dataset
    assert not inspect_sparql("INSERT DATA { <a> <b> 'USING WITH' }").names_dataset


def test_tokens_keep_their_positions() -> None:
    text = 'ASK { ?s <p> "x" }'
    assert [(t.text, text[t.start:t.end]) for t in tokenize(text)] == [(t.text, t.text) for t in tokenize(text)]
    assert [t.depth for t in tokenize(text)] == [0, 0, 1, 1, 1, 0]


# --- using-graph-uri gives what USING gives --------------------------------------------------------
SETUP = """INSERT DATA {
  <http://e/c> <http://e/v> 3 .
  GRAPH <http://g/1> { <http://e/a> a <http://e/T> . <http://e/a> <http://e/v> 1 }
  GRAPH <http://g/2> { <http://e/b> a <http://e/T> . <http://e/b> <http://e/v> 2 }
}"""


def _dataset_after(update: str) -> set[str]:
    store = ox.Store()
    store.update(SETUP)
    store.update(update)
    return {str(q) for q in store}


@pytest.mark.parametrize(
    ("update", "written"),
    [
        (
            "PREFIX e: <http://e/> INSERT { GRAPH <http://out> { ?s e:seen true } } WHERE { ?s a e:T }",
            "PREFIX e: <http://e/> INSERT { GRAPH <http://out> { ?s e:seen true } } USING <http://g/1> WHERE { ?s a e:T }",
        ),
        (
            "DELETE { GRAPH <http://g/1> { ?s ?p ?o } } WHERE { ?s ?p ?o } ; INSERT DATA { <http://e/x> <http://e/y> 1 }",
            "DELETE { GRAPH <http://g/1> { ?s ?p ?o } } USING <http://g/1> WHERE { ?s ?p ?o } ; "
            "INSERT DATA { <http://e/x> <http://e/y> 1 }",
        ),
        (
            "DELETE WHERE { ?s <http://e/v> ?o }",
            "DELETE { ?s <http://e/v> ?o } USING <http://g/1> WHERE { ?s <http://e/v> ?o }",
        ),
    ],
)
def test_using_graph_uri_equals_a_written_using(update: str, written: str) -> None:
    rewritten = add_using_clauses(update, ["http://g/1"], [])
    assert _dataset_after(rewritten) == _dataset_after(written)
    assert _dataset_after(rewritten) != _dataset_after(update)  # the parameter made a difference


def test_using_named_graph_uri() -> None:
    update = "INSERT { GRAPH <http://out> { ?g <http://e/has> ?s } } WHERE { GRAPH ?g { ?s a <http://e/T> } }"
    rewritten = add_using_clauses(update, [], ["http://g/2"])
    assert "USING NAMED <http://g/2>" in rewritten
    after = _dataset_after(rewritten)
    assert "<http://g/2> <http://e/has> <http://e/b> <http://out>" in after
    assert not any(line.startswith("<http://g/1> <http://e/has>") for line in after)


def test_where_inside_a_string_is_not_the_pattern() -> None:
    update = "INSERT { <http://e/x> <http://e/note> 'WHERE?' } WHERE { ?s ?p ?o }"
    rewritten = add_using_clauses(update, ["http://g/1"], [])
    assert rewritten == "INSERT { <http://e/x> <http://e/note> 'WHERE?' } USING <http://g/1> WHERE { ?s ?p ?o }"
