"""Fixtures for the graph engine's tests: the shipped ontology in a fresh in-memory store."""

from __future__ import annotations

from pathlib import Path

import pytest

from painlink.graph import Knowledge

FIXTURES = Path(__file__).parent / "fixtures"
ONTOLOGY_FIXTURES = Path(__file__).parent.parent / "ontology" / "fixtures"


@pytest.fixture(scope="session")
def shipped() -> Knowledge:
    """The shipped ontology, shared read-only by the tests that only ask questions."""
    return Knowledge.shipped()


@pytest.fixture
def fresh() -> Knowledge:
    """The shipped ontology in a store of the test's own, for tests that add data."""
    return Knowledge.shipped()


@pytest.fixture(scope="session")
def graph_fixtures() -> Path:
    """This suite's data files (test-only, made-up sources on example.org)."""
    return FIXTURES


@pytest.fixture(scope="session")
def ontology_fixtures() -> Path:
    """The ontology suite's valid/invalid extension files."""
    return ONTOLOGY_FIXTURES
