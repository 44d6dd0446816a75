"""The W3C SPARQL 1.1 result-format tests (``json-res``, ``csv-tsv-res``), run by painlink's own runner
against a real server.

The suite is data (``shared/conformance/sparql11-result-formats/``, beside the project root): each test
names a query, the data for the default graph and the expected answer (``.srj``, ``.csv``, ``.tsv``).
For each one this runner empties the server's dataset, PUTs the data into the default graph through
the Graph Store Protocol, asks the query at ``/sparql`` for the expected result's media type, and
compares: the head's variables in order (for ``SELECT *``, the order they appear in the query), then
the rows in order (the queries have ORDER BY), term by term, blank nodes up to a consistent renaming.
JSON and TSV are read as RDF terms with pyoxigraph, CSV cell by cell (CSV has no datatypes).

csv03 and tsv03 ask for literals the store normalises when it loads them (Oxigraph keeps values, not
lexical forms: ``"-3"^^xsd:negativeInteger`` becomes ``xsd:integer``, ``"1.0E6"^^xsd:double``
becomes ``"1000000"``). There the runner shows each cell that differs and asserts it is the same value
(numbers compared as numbers) -- nothing else may differ.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from servers import Server, launch

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO.parent / "shared" / "conformance" / "sparql11-result-formats"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
MEDIA_TYPES = {".srj": "application/sparql-results+json", ".csv": "text/csv", ".tsv": "text/tab-separated-values"}
PARSED = {".srj": ox.QueryResultsFormat.JSON, ".tsv": ox.QueryResultsFormat.TSV}
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Tests whose data holds literals the store normalises on load: compared by value (module docstring).
NORMALISED = {"csv03", "tsv03"}


@dataclass
class ResultFormatTest:
    name: str
    query: Path
    data: Path
    result: Path


def load_suite() -> list[ResultFormatTest]:
    tests = []
    for folder in ("json-res", "csv-tsv-res"):
        manifest_file = SUITE / folder / "manifest.ttl"
        if not manifest_file.is_file():
            pytest.fail(f"the W3C result-format suite is missing: expected {manifest_file}")
        graph = Graph().parse(manifest_file, format="turtle", publicID=manifest_file.as_uri())
        manifest = next(graph.subjects(MF.entries, None))
        from rdflib.collection import Collection

        for entry in Collection(graph, graph.value(manifest, MF.entries)):
            action = graph.value(entry, MF.action)
            path = lambda node: SUITE / folder / Path(str(node)).name  # noqa: E731
            tests.append(ResultFormatTest(str(entry).rsplit("#", 1)[-1], path(graph.value(action, QT.query)),
                                          path(graph.value(action, QT.data)), path(graph.value(entry, MF.result))))
    return tests


SUITE_TESTS = load_suite()


def test_the_suite_has_its_10_tests() -> None:
    assert len(SUITE_TESTS) == 10 and all(t.query.is_file() and t.data.is_file() and t.result.is_file() for t in SUITE_TESTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = launch(tmp_path_factory.mktemp("result-format-conformance"))
    yield started
    started.stop()


def _table(body: bytes, suffix: str) -> tuple[list[str], list[list]] | bool:
    """(variables, rows of cells) of a result document, or the boolean of an ASK answer; cells are
    pyoxigraph terms (JSON, TSV) or strings (CSV), None when unbound."""
    if suffix == ".csv":
        lines = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return lines[0], [[cell if cell != "" else None for cell in line] for line in lines[1:]]
    parsed = ox.parse_query_results(body, format=PARSED[suffix])
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    names = [variable.value for variable in parsed.variables]
    return names, [[solution[name] for name in names] for solution in parsed]


def _is_blank(cell) -> bool:
    return isinstance(cell, ox.BlankNode) or (isinstance(cell, str) and cell.startswith("_:"))


def _same_value(answered, expected) -> bool:
    """Whether two cells hold the same value though not the same lexical form (numbers as numbers)."""
    def number(cell):
        if isinstance(cell, ox.Literal):
            if not cell.datatype.value.startswith(XSD) or cell.datatype.value.endswith(("string", "hexBinary")):
                return None
            cell = cell.value
        try:
            return Decimal(cell)
        except (InvalidOperation, TypeError):
            return None

    left, right = number(answered), number(expected)
    return left is not None and left == right


@pytest.mark.parametrize("test", SUITE_TESTS, ids=[t.name for t in SUITE_TESTS])
def test_result_format(test: ResultFormatTest, server: Server) -> None:
    with httpx.Client(timeout=10) as client:
        reset = client.post(server.sparql_url, content=b"DROP ALL",
                            headers={"Content-Type": "application/sparql-update", **server.auth})
        assert reset.status_code == 204, reset.text
        loaded = client.put(server.store_url, params={"default": ""}, content=test.data.read_bytes(),
                            headers={"Content-Type": "text/turtle", **server.auth})
        assert loaded.status_code in (201, 204), loaded.text
        media_type = MEDIA_TYPES[test.result.suffix]
        response = client.get(server.sparql_url, params={"query": test.query.read_text()}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type

    answered, expected = _table(response.content, test.result.suffix), _table(test.result.read_bytes(), test.result.suffix)
    if isinstance(expected, bool):
        assert answered is expected
        return
    assert answered[0] == expected[0], f"the head's variables: {answered[0]} (expected {expected[0]})"
    assert len(answered[1]) == len(expected[1]), f"{len(answered[1])} rows (expected {len(expected[1])})"
    blanks: dict = {}
    normalised = []
    for number, (row, wanted) in enumerate(zip(answered[1], expected[1], strict=True), start=1):
        for name, cell, want in zip(expected[0], row, wanted, strict=True):
            if _is_blank(cell) and _is_blank(want):
                assert blanks.setdefault(str(cell), str(want)) == str(want), f"row {number}, ?{name}: blank nodes"
            elif cell != want:
                assert test.name in NORMALISED, f"row {number}, ?{name}: {cell} (expected {want})"
                normalised.append(f"row {number}, ?{name}: {cell} for {want}")
                assert _same_value(cell, want), f"row {number}, ?{name}: {cell} is not the value of {want}"
    assert len(set(blanks.values())) == len(blanks), "two blank nodes answered for one"
    if normalised:  # shown in the report: what the store's normalisation changes, and that it keeps values
        print(f"{test.name}: same values, other lexical forms: " + "; ".join(normalised))
