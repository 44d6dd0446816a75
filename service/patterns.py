"""A query of one triple pattern answered from the store's index, without the SPARQL engine.

The commonest query an application sends -- an entity's label, its types, what points at it -- is one
triple pattern (:func:`~painlink.service.sparql_lexer.one_pattern`). For such a query pyoxigraph
spends most of its time parsing and planning the text (about 0.08 ms of a 0.14 ms answer on the 1k
bench graph, bench/README.md) before one index scan. :func:`answer_pattern` does that scan itself,
``Store.quads_for_pattern`` over the default graph, and writes the rows with the same writers: the
same rows in the same order, hence the same bytes (tests/service/test_patterns.py compares the two on
every shape against the engine).

Only what needs no judgement is read here: absolute IRIs, prefixed names of declared prefixes, ``a``,
plain and language-tagged strings without escapes. Anything else -- a ``BASE``, a relative IRI, an
escape, a prefix declared twice or not at all, a projection naming a variable twice, a request with
its own dataset -- is None: the engine answers it (and words its errors).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from painlink.service.messages import Answered, Failed, Query, Reply
from painlink.service.results import TooManyResults, write_boolean, write_rows
from painlink.service.sparql_lexer import OnePattern

__all__ = ["answer_pattern"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_DEFAULT = ox.DefaultGraph()


class _Unread(Exception):
    """Raised for a term this module leaves to the engine."""


def _iri(value: str) -> ox.NamedNode:
    if "\\" in value or not _ABSOLUTE.match(value):
        raise _Unread
    try:
        return ox.NamedNode(value)
    except ValueError:  # the engine says what is wrong with it
        raise _Unread from None


def _term(text: str, prefixes: dict[str, str]) -> ox.NamedNode | ox.Literal | None:
    """The RDF term a pattern's term stands for; None for a variable."""
    first = text[0]
    if first in "?$":
        return None
    if first == "<":
        return _iri(text[1:-1])
    if first in "\"'":
        if text.startswith(('"""', "'''")):
            raise _Unread
        end = text.rindex(first)
        value, language = text[1:end], text[end + 1:]
        if "\\" in value:
            raise _Unread
        try:
            return ox.Literal(value, language=language[1:]) if language else ox.Literal(value)
        except ValueError:
            raise _Unread from None
    if text == "a":
        return _RDF_TYPE
    prefix, _, local = text.partition(":")
    namespace = prefixes.get(prefix + ":")
    if namespace is None or "\\" in local:
        raise _Unread
    return _iri(namespace + local)


def answer_pattern(store: ox.Store, pattern: OnePattern, spec: Query) -> Reply | None:
    """Answer ``spec`` -- whose text is ``pattern`` -- from ``store``'s index, as
    :func:`~painlink.service.replica.answer_query` would; None when the engine must (module docstring).

    >>> from painlink.service.sparql_lexer import one_pattern
    >>> store = ox.Store()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x"@en , "y" }')
    >>> text = 'PREFIX e: <http://e/> SELECT ?o WHERE { e:a e:p ?o } LIMIT 5'
    >>> answer_pattern(store, one_pattern(text), Query(text, results_format="csv", graph_format=None, max_rows=9))
    Answered(kind='results', body=b'o\\r\\ny\\r\\nx\\r\\n')
    >>> text = "ASK { ?s a <http://e/C> }"
    >>> answer_pattern(store, one_pattern(text), Query(text, results_format="json", graph_format=None, max_rows=9))
    Answered(kind='boolean', body=b'{"head":{},"boolean":false}')
    >>> text = "BASE <http://e/> SELECT * { <a> ?p ?o }"
    >>> answer_pattern(store, one_pattern(text), Query(text, results_format="json", graph_format=None, max_rows=9))
    """
    if spec.default_graph is not None or spec.named_graphs is not None:
        return None
    prefixes: dict[str, str] = {}
    for kind, prefix, iri in pattern.declarations:
        if kind == "BASE" or prefix in prefixes:
            return None
        prefixes[prefix] = iri[1:-1]
    texts = (pattern.subject, pattern.predicate, pattern.object)
    try:
        subject, predicate, obj = (_term(text, prefixes) for text in texts)
    except _Unread:
        return None
    matches = store.quads_for_pattern(subject, predicate, obj, _DEFAULT)  # type: ignore[arg-type]
    if pattern.ask:
        if spec.results_format is None:
            return Failed("not_acceptable", "boolean")
        return Answered("boolean", write_boolean(next(matches, None) is not None, spec.results_format))
    if spec.results_format is None:
        return Failed("not_acceptable", "results")
    names = pattern.variables if pattern.selected is None else list(pattern.selected)
    if len(set(names)) != len(names):
        return None
    places = [(index, text[1:]) for index, text in enumerate(texts) if text[0] in "?$"]
    limit = spec.max_rows + 1 if pattern.limit is None else min(pattern.limit, spec.max_rows + 1)
    rows = []
    for quad in matches:
        if len(rows) == limit:
            break
        terms = (quad.subject, quad.predicate, quad.object)
        row = dict.fromkeys(names)
        for index, name in places:
            row[name] = terms[index]
        rows.append(row)
    if len(rows) > spec.max_rows:
        return Failed("too_large", str(TooManyResults(spec.max_rows)))
    return Answered("results", write_rows(names, rows, spec.results_format))
