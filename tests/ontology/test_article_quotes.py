"""Every quote the graph attributes to the article is in the article, character for character, and
locates one place in it; the shipped copy of the article is the project's."""

from __future__ import annotations

import pytest
from ontology_reference import shared_dir
from rdflib import RDF

from painlink.ontology import ARTICLE_PATH, OA, PL, PLS


def selectors(graph):
    return sorted(graph.subjects(RDF.type, OA.TextQuoteSelector))


def test_the_article_copy_is_the_shared_one():
    shared = shared_dir()
    if shared is None:
        pytest.skip("the project's shared folder is not on this machine")
    assert ARTICLE_PATH.read_bytes() == (shared / "sources" / "foot-and-back-pain-article.txt").read_bytes()


def test_the_article_source_points_at_the_shipped_copy(graph):
    copy = graph.value(PLS.article, PL.localCopy)
    assert copy is not None and (ARTICLE_PATH.parents[1] / str(copy)).resolve() == ARTICLE_PATH


def test_there_are_article_quotes_to_check(graph):
    # every article evidence item has a selector; without this the checks below could pass vacuously
    article_evidence = set(graph.subjects(PL.source, PLS.article))
    assert len(article_evidence) >= 20
    assert all(graph.value(ev, OA.hasSelector) is not None for ev in article_evidence)


def test_every_quote_is_verbatim_and_located_once(graph, article):
    problems = []
    for selector in selectors(graph):
        exact = str(graph.value(selector, OA.exact))
        prefix = str(graph.value(selector, OA.prefix) or "")
        suffix = str(graph.value(selector, OA.suffix) or "")
        if exact not in article:
            problems.append(f"{selector}: oa:exact not in the article: {exact!r}")
        elif article.count(prefix + exact + suffix) != 1:
            problems.append(f"{selector}: prefix+exact+suffix found {article.count(prefix + exact + suffix)} times")
        elif len(prefix) > 32 or len(suffix) > 32:
            problems.append(f"{selector}: prefix or suffix longer than 32 characters")
    assert problems == []


def test_quotes_keep_the_articles_own_wording(graph):
    quotes = {str(graph.value(s, OA.exact)) for s in selectors(graph)}
    # the article's slip ("a great to show") is quoted as written, not corrected
    assert "This is a great to show the link between foot and back pain" in quotes
