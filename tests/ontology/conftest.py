"""Fixtures for the ontology tests: the shipped graph, the article text and the reference tables."""

from __future__ import annotations

import pytest
from ontology_reference import read_tsv
from rdflib import Graph

from painlink.ontology import ARTICLE_PATH, shipped_graph


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The shipped graph; tests must not change it (use shipped_graph() for a copy to change)."""
    return shipped_graph()


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cited_rows() -> list[dict[str, str]]:
    return read_tsv("cited-claims.tsv")


@pytest.fixture(scope="session")
def ontology_ids() -> list[dict[str, str]]:
    return read_tsv("ontology-ids.tsv")
