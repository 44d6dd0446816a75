"""What a write changed in the default graph, when that is cheap to know: the :class:`Difference` a store
records beside each version (:meth:`painlink.graph.stores.Store.difference`), so the path engine's
projection can follow a write by re-reading only what it touched (:mod:`painlink.graph.projection.patch`)
instead of reading the whole graph again.

A difference may hold more triples than really changed (an ``INSERT DATA`` of a triple already there),
never fewer; ``None`` stands for "not known" and makes the reader start again from the whole graph:

* data added (Graph Store POST, ``Knowledge.add_file``): its triples, when it is small enough to read
  twice (:data:`MAX_BYTES`; an update: :data:`MAX_UPDATE_CHARS`);
* a SPARQL update: the triples of its ``INSERT DATA`` and ``DELETE DATA`` operations, what its
  ``DELETE WHERE`` and ``DELETE {..} INSERT {..} WHERE {..}`` operations match (the same templates
  CONSTRUCTed over the graph just before the update runs), and nothing for operations on named graphs
  only (``DROP GRAPH``, ``CREATE``, a Graph Store PUT of a named graph); not known for ``WITH`` and
  ``USING``, ``LOAD``, and anything that clears, moves or copies the default graph;
* writes of another client (a remote store): not known.

Only the default graph counts: it is what the projection reads.

>>> difference = of_update('PREFIX ex: <http://e/> INSERT DATA { ex:a ex:p ex:b . GRAPH ex:g { ex:c ex:p 1 } }')
>>> sorted(difference.triples)
[('http://e/a', 'http://e/p', 'http://e/b')]
>>> of_update("CLEAR DEFAULT") is None, of_update("DROP GRAPH <http://e/g>") == NOTHING
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = [
    "MAX_BYTES", "MAX_KEPT", "MAX_TRIPLES", "MAX_UPDATE_CHARS", "NOTHING", "Difference", "of_data", "of_quads",
    "of_update",
]

#: Data bigger than this is not read a second time to find its difference (it is not known).
MAX_BYTES = 4 * 1024 * 1024
#: Nor is an update longer than this scanned (the scan is Python; a big update is a bulk write, after
#: which a full build costs little more than following it would).
MAX_UPDATE_CHARS = 256 * 1024
#: A difference of more triples than this is not kept: the reader starts from the whole graph anyway.
MAX_TRIPLES = 50_000
#: A store keeps the differences of its last writes up to this many triples in all (the oldest go first).
MAX_KEPT = 4 * MAX_TRIPLES

#: A term in a difference: an IRI's text, or None for a blank node or a literal (nothing to look up).
Term = str | None


@dataclass(frozen=True)
class Difference:
    """Triples ``(subject, predicate, object)`` of the default graph a write may have added or removed."""

    triples: frozenset[tuple[Term, Term, Term]]

    def __or__(self, other: Difference) -> Difference:
        return Difference(self.triples | other.triples)

    @property
    def resources(self) -> frozenset[str]:
        """The IRIs in subject or object position: the resources whose description may have changed."""
        return frozenset(term for s, _, o in self.triples for term in (s, o) if term is not None)


NOTHING = Difference(frozenset())


def _iri(term) -> Term:
    # An IRI is the only term a reader can ask about by name.
    if isinstance(term, ox.NamedNode):
        return term.value
    return None


def _bounded(triples: Iterable[tuple]) -> Difference | None:
    """The difference of these triples; None when too many, or when a blank node is described that
    nothing named in the same write leads to (a resource it belongs to cannot be found by name)."""
    found, described, referenced = set(), set(), set()
    for s, p, o in triples:
        found.add((_iri(s), _iri(p), _iri(o)))
        if isinstance(s, ox.BlankNode):
            described.add(s)
        if isinstance(o, ox.BlankNode):
            referenced.add(o)
        if len(found) > MAX_TRIPLES:
            return None
    if described - referenced:
        return None
    return Difference(frozenset(found))


def of_quads(quads: Iterable[ox.Quad]) -> Difference | None:
    """The difference of adding (or removing) ``quads``."""
    return _bounded((q.subject, q.predicate, q.object) for q in quads if isinstance(q.graph_name, ox.DefaultGraph))


def of_data(data, fmt: ox.RdfFormat, graph: str | None, base_iri: str | None = None) -> Difference | None:
    """The difference of loading ``data`` (bytes) in ``fmt`` into ``graph`` (None: the default graph)."""
    if graph is not None and not fmt.supports_datasets:
        return NOTHING
    if not isinstance(data, bytes | str) or len(data) > MAX_BYTES or graph is not None:
        return None
    try:
        return of_quads(ox.parse(data, format=fmt, base_iri=base_iri))
    except (SyntaxError, ValueError):
        return None  # the load itself reports it


#: The pieces of SPARQL text a scan tells apart: blanks and comments, strings, IRIs, words (keywords,
#: prefixed names, variables), and anything else one character at a time.
_TOKEN = re.compile(
    r"(?P<skip>\s+|#[^\n]*)"
    r"|(?P<text>'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|\"{3}(?:[^\"\\]|\\.|\"(?!\"\"))*\"{3}"
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<word>[A-Za-z_][\w\-.]*:?[\w\-.:%]*|[?$]\w+|:[\w\-.:%]*)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def _operations(text: str) -> list[tuple[str, str, list[str]]] | None:
    """The update's operations: (the prologue so far, the operation's own text, its first keywords)."""
    prologue: list[str] = []
    operations: list[tuple[str, str, list[str]]] = []
    current: list[re.Match] = []
    pending: list[re.Match] = []  # a PREFIX or BASE declaration being read
    depth = 0  # of braces: a ";" inside them separates predicates, not operations

    def close() -> None:
        if current:
            body = text[current[0].start() : current[-1].end()]
            operations.append(("\n".join(prologue) + "\n", body, [m.group().upper() for m in current[:3]]))
        current.clear()

    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "skip":
            continue
        if pending or (kind == "word" and token.upper() in ("PREFIX", "BASE") and not current):
            pending.append(match)
            if kind == "iri":
                prologue.append(text[pending[0].start() : match.end()])
                pending = []
            continue
        if kind == "other" and token in "{}":
            depth += 1 if token == "{" else -1
        if kind == "other" and token == ";" and depth == 0:
            close()
            continue
        current.append(match)
    close()
    return None if pending else operations


#: Functions whose value differs between two evaluations of the same pattern.
_NEW_EACH_TIME = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


def _modify_parts(body: str) -> tuple[str | None, str | None, str] | None:
    """(delete template, insert template, the WHERE pattern) of ``DELETE {..} INSERT {..} WHERE {..}``
    (either template may be missing); None for any other shape (WITH, USING, DELETE WHERE ...)."""
    tokens = [m for m in _TOKEN.finditer(body) if m.lastgroup != "skip"]
    if any(t.lastgroup == "word" and t.group().upper() in _NEW_EACH_TIME for t in tokens):
        return None  # its CONSTRUCT would not make the same IRIs as the update does

    def word(at: int) -> str | None:
        return tokens[at].group().upper() if at < len(tokens) and tokens[at].lastgroup == "word" else None

    def block(at: int) -> tuple[str, int] | None:
        """The text inside the braces opening at token ``at``, and the token after them."""
        depth = 0
        for index in range(at, len(tokens)):
            token = tokens[index]
            if token.lastgroup == "other" and token.group() in "{}":
                depth += 1 if token.group() == "{" else -1
                if depth == 0:
                    return body[tokens[at].end() : token.start()], index + 1
            elif index == at:
                return None  # no brace where a template must open
        return None

    templates: dict[str, str | None] = {"DELETE": None, "INSERT": None}
    at = 0
    for keyword in templates:
        if word(at) == keyword:
            found = block(at + 1)
            if found is None:
                return None
            templates[keyword], at = found
    if at == 0 or word(at) != "WHERE" or at + 1 >= len(tokens):
        return None
    return templates["DELETE"], templates["INSERT"], body[tokens[at + 1].start() :]


def of_update(text: str, base_iri: str | None = None, construct: Callable[[str], Iterable] | None = None
              ) -> Difference | None:
    """The difference of the SPARQL update ``text``, found before it runs; ``construct(query)`` (the
    triples of a CONSTRUCT over the store as it is) is needed for ``DELETE WHERE`` (not known without it)."""
    if len(text) > MAX_UPDATE_CHARS:
        return None
    operations = _operations(text)
    if operations is None:
        return None
    difference = NOTHING
    for prologue, body, keywords in operations:
        found = _of_operation(prologue, body, keywords, base_iri, construct)
        if found is None:
            return None
        difference |= found
        if len(difference.triples) > MAX_TRIPLES:
            return None
    return difference


def _of_operation(prologue: str, body: str, keywords: list[str], base_iri: str | None, construct
                  ) -> Difference | None:
    first, second = (keywords + ["", ""])[:2]
    rest = body[len(first):]  # the operation after its first keyword
    try:
        if (first, second) in (("INSERT", "DATA"), ("DELETE", "DATA")):
            # The store's own parser reads the data: into an empty scratch store, deletions as insertions.
            scratch = ox.Store()
            scratch.update(prologue + "INSERT" + rest, base_iri=base_iri)
            return of_quads(scratch.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        parts = _modify_parts(body) if first in ("DELETE", "INSERT") and construct is not None else None
        if parts is not None:
            # DELETE {..} INSERT {..} WHERE {..} matches once, on the graph as it was: the CONSTRUCTs of
            # both templates over the same pattern, run just before it, are what it removes and adds.
            found = [t for template in parts[:2] if template is not None
                     for t in construct(f"{prologue}CONSTRUCT {{ {template} }} WHERE {parts[2]}")]
            return _bounded((t.subject, t.predicate, t.object) for t in found)
        if (first, second) == ("DELETE", "WHERE") and construct is not None:
            # CONSTRUCT WHERE gives exactly the triples DELETE WHERE removes (and fails, as unknown, on GRAPH).
            found = construct(prologue + "CONSTRUCT" + rest)
            return _bounded((t.subject, t.predicate, t.object) for t in found)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        return None  # the store reports it when the update runs
    if first in ("DROP", "CLEAR", "CREATE"):
        target = [k for k in keywords[1:] if k != "SILENT"][:1]
        return None if target in (["DEFAULT"], ["ALL"]) else NOTHING
    return None  # WITH, USING, LOAD, ADD, MOVE, COPY: not known before they run
