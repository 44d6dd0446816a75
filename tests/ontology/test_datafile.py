"""Reading users' data files: Turtle, N-Triples and JSON-LD; a file that does not parse is reported with
where the parser stopped."""

from __future__ import annotations

import pytest

from painlink.ontology.datafile import format_for, read_data
from painlink.ontology.exceptions import OntologyParseError, UnsupportedFormatError

TRIPLE = "<https://w3id.org/painlink/id/foot> <https://w3id.org/painlink/vocab#partOf> <https://w3id.org/painlink/id/leg> ."


def test_reads_each_format_by_suffix(tmp_path):
    (tmp_path / "a.ttl").write_text("@prefix pli: <https://w3id.org/painlink/id/> .\n" + TRIPLE)
    (tmp_path / "a.nt").write_text(TRIPLE + "\n")
    (tmp_path / "a.jsonld").write_text(
        '{"@id": "https://w3id.org/painlink/id/foot",'
        ' "https://w3id.org/painlink/vocab#partOf": {"@id": "https://w3id.org/painlink/id/leg"}}'
    )
    graphs = [read_data(tmp_path / name) for name in ("a.ttl", "a.nt", "a.jsonld")]
    assert all(set(g) == set(graphs[0]) and len(g) == 1 for g in graphs)


def test_turtle_error_gives_line_and_column(tmp_path):
    path = tmp_path / "ext.ttl"
    path.write_text('@prefix pli: <https://w3id.org/painlink/id/> .\n\npli:a pli:b "unterminated .\n')
    with pytest.raises(OntologyParseError) as caught:
        read_data(path)
    assert caught.value.line == 3 and caught.value.column is not None
    assert str(caught.value).startswith(f"{path}, line 3")


def test_ntriples_error_gives_the_line(tmp_path):
    path = tmp_path / "ext.nt"
    path.write_text(TRIPLE + "\n" + TRIPLE + "\n<https://e/a> <https://e/b> c .\n")
    with pytest.raises(OntologyParseError) as caught:
        read_data(path)
    assert caught.value.line == 3


def test_jsonld_error_gives_line_and_column():
    with pytest.raises(OntologyParseError) as caught:
        read_data(b'{"@id": "https://e/a",\n "https://e/b": [1,}', format="json-ld", name="ext.jsonld")
    assert (caught.value.line, caught.value.column) == (2, 20)  # the stray }


def test_unknown_format_is_refused():
    with pytest.raises(UnsupportedFormatError, match="use one of turtle, nt, json-ld"):
        format_for("x.ttl", "rdfxml")
    with pytest.raises(UnsupportedFormatError, match="suffix"):
        format_for("notes.txt")


def test_non_utf8_file_is_refused_with_its_line():
    with pytest.raises(OntologyParseError, match="not UTF-8") as caught:
        read_data(b"# ok\n# ok\n\xff\n", format="turtle")
    assert caught.value.line == 3
