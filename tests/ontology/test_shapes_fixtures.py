"""The shapes and QC queries on users' extension files: valid fixtures pass; each invalid fixture fails
with the message its `# expect:` lines state (validated merged with the shipped graph, as the CLI does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from painlink.ontology import shipped_graph
from painlink.ontology.validation import qc_queries, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))


def expected_messages(path: Path) -> list[str]:
    return [line.removeprefix("# expect:").strip() for line in path.read_text().splitlines() if line.startswith("# expect:")]


def test_there_are_fixtures_of_both_kinds():
    assert len(VALID) >= 3 and len(INVALID) >= 20
    assert all(expected_messages(path) for path in INVALID)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_passes(path):
    report = validate(Graph().parse(path))
    assert report.conforms, report.text()
    assert report.violations == [], report.text()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_message(path):
    report = validate(Graph().parse(path))
    assert not report.conforms
    messages = [v.message for v in report.errors]
    for expected in expected_messages(path):
        assert any(expected in message for message in messages), f"{expected!r} not in {messages}"
    # the readable report names the finding too
    assert "Does not conform" in report.text()


def test_validation_does_not_change_the_data():
    data = Graph().parse(INVALID[0])
    before = set(data)
    validate(data)
    assert set(data) == before


def test_findings_name_the_node_property_and_finder():
    report = validate(Graph().parse(FIXTURES / "invalid" / "relation-to-undefined-entity.ttl"))
    by_finder = {v.shape: v for v in report.errors}
    shape_finding = by_finder["plsh:RelationShape"]
    assert shape_finding.focus == "https://w3id.org/painlink/id/foot"
    assert shape_finding.value == "https://w3id.org/painlink/id/lower-limbb"
    assert by_finder["qc/dangling-entity-violation.sparql"].focus == "https://w3id.org/painlink/id/lower-limbb"
    text = report.text()
    assert "pli:lower-limbb" in text and "(found by plsh:RelationShape)" in text


def test_warnings_do_not_reject_data():
    data = Graph().parse(
        data="""@prefix pl: <https://w3id.org/painlink/vocab#> . @prefix pli: <https://w3id.org/painlink/id/> .
                @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                pli:test-bare a pl:Symptom ; rdfs:label "bare test symptom" .""",
        format="turtle",
    )
    report = validate(data)
    assert report.conforms and report.errors == []
    assert {v.path.rsplit("/", 1)[-1] for v in report.warnings} == {"core#definition", "category"}


# The QC queries for the second edition's new kinds of thing, and the invalid fixtures each must catch (the
# shipped graph gives none of them a row: test_shipped_ontology.py).
NEW_QC = {
    "source-without-kind": ["source-without-kind", "source-with-two-kinds", "source-with-unknown-kind"],
    "redflag-without-source": ["red-flag-without-evidence", "red-flag-evidence-source-without-kind"],
    "redflag-ask-about": ["red-flag-asks-about-a-non-sign"],
    "distinguishes-candidates": ["distinguishes-with-one-candidate", "between-on-a-sign-claim"],
    "rather-than": ["rather-than-on-a-causal-claim", "rather-than-its-own-object"],
}


@pytest.mark.parametrize("check, fixture", [(c, f) for c, fs in NEW_QC.items() for f in fs])
def test_new_qc_queries_find_their_invalid_fixture(check, fixture):
    merged = shipped_graph()
    merged.parse(FIXTURES / "invalid" / f"{fixture}.ttl")
    rows = list(merged.query(qc_queries()[f"qc/{check}-violation.sparql"]))
    assert rows, f"{check} found nothing in {fixture}"
    # and nothing on the valid fixtures of the same kinds
    for path in VALID:
        clean = shipped_graph()
        clean.parse(path)
        assert list(clean.query(qc_queries()[f"qc/{check}-violation.sparql"])) == [], (check, path.name)
