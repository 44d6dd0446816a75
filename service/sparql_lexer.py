"""A SPARQL tokenizer that knows strings, IRIs and comments, and what the endpoint learns from it.

The endpoint must know a few things about a query or update *before* it runs it: which form it is
(SELECT/ASK or CONSTRUCT/DESCRIBE, for content negotiation), whether it calls ``SERVICE`` or ``LOAD``
(the server would fetch URLs: refused unless configured), whether an update names its own dataset
(``USING``/``WITH``, which conflicts with the protocol's ``using-graph-uri``), and where to put the
protocol's ``using-graph-uri`` so the update honours it. A regex over the raw text would be fooled by
``"SERVICE"`` in a string, ``<urn:x#SERVICE>`` or ``# SERVICE`` in a comment; this tokenizer follows
the SPARQL 1.1 grammar's terminals (strings with escapes and long quotes, ``IRIREF`` with ``\\u``
escapes, prefixed names, variables, blank-node labels, comments), so a keyword token is a keyword.

The engine parses the text again when it runs it; whatever the tokenizer sees as the keyword
``SERVICE`` cannot be hidden from it, because every token that may contain the letters (string, IRI,
prefixed name, variable, comment) has the same extent in both lexers -- ``<`` that does not start an
``IRIREF`` (no spaces, braces or quotes before the next ``>``) is an operator in both.

>>> inspect_sparql('SELECT * WHERE { ?s ?p "SERVICE <http://x/> {}" } # SERVICE <http://y/>').services
()
>>> inspect_sparql("PREFIX s: <http://e/> SELECT * { SERVICE SILENT <http://x/> { ?a ?b ?c } }").services
('http://x/',)
>>> inspect_sparql("BASE <http://e/> PREFIX : <http://e/> CONSTRUCT WHERE { ?s ?p ?o }").form
'CONSTRUCT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Inspection", "LexerError", "OnePattern", "Token", "add_using_clauses", "inspect_sparql", "one_pattern", "outer_limit", "tokenize"]


class LexerError(ValueError):
    """Raised by :func:`add_using_clauses` when an update's structure cannot be followed (unbalanced
    braces); the engine would reject such an update as a syntax error too."""


_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_LOCAL_CHAR = r"(?:[\w\-:\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# The grammar's terminals, each written once: the tokenizer and one_pattern are made of them.
_COMMENT = r"#[^\n\r]*"
_STRING = (r'"""(?:[^"\\]|\\.|"(?!""))*"""'
           r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
           r'|"(?:[^"\\\n\r]|\\.)*"'
           r"|'(?:[^'\\\n\r]|\\.)*'")
_IRI_CHARS = r'[^<>"{}|^`\\\x00-\x20]*'
# Characters, then escapes each followed by characters ("unrolled": the same IRIs as
# (?:char|escape)*, matched without an alternation at every character -- twice as fast).
_IRI = rf'<{_IRI_CHARS}(?:(?:{_UCHAR}){_IRI_CHARS})*>'
_VAR = r"[?$][\w\u00B7]+"
_PNAME = rf"(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?"
_LANGTAG = r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<space>\s+)",
            rf"(?P<comment>{_COMMENT})",
            rf"(?P<string>{_STRING})",
            rf"(?P<iri>{_IRI})",
            rf"(?P<var>{_VAR})",
            r"(?P<bnode>_:\w(?:[\w.\-]*[\w\-])?)",
            rf"(?P<pname>{_PNAME})",
            rf"(?P<langtag>{_LANGTAG})",
            r"(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)",
            r"(?P<word>[A-Za-z_]\w*)",
            r"(?P<punct>\^\^|<<|>>|\|\||&&|!=|<=|>=|[{}()\[\];,.*/+\-=<>!^|?$@])",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)


class Token(NamedTuple):
    """One lexical token: ``kind`` is the group name above (``word`` for keywords and function
    names), ``text`` the source text, ``start``/``end`` its offsets, ``depth`` the nesting of
    ``{}``/``()``/``[]`` around it. (A named tuple: a 100,000-character query makes tens of thousands,
    three times faster than frozen dataclasses.)"""

    kind: str
    text: str
    start: int
    end: int
    depth: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased text of a word token (SPARQL keywords are case-insensitive), else None."""
        return self.text.upper() if self.kind == "word" else None


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` without spaces and comments.

    >>> [(t.kind, t.text) for t in tokenize('ASK { <a#b> ?p "x\\\\"y" } # no')]
    [('word', 'ASK'), ('punct', '{'), ('iri', '<a#b>'), ('var', '?p'), ('string', '"x\\\\"y"'), ('punct', '}')]
    >>> [t.kind for t in tokenize("FILTER(?a < ?b && ?c > 1)")][:5]
    ['word', 'punct', 'var', 'punct', 'var']
    """
    tokens = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "punct" and value in ("}", ")", "]"):
            depth -= 1
        tokens.append(Token(kind, value, match.start(), match.end(), depth))
        if kind == "punct" and value in ("{", "(", "["):
            depth += 1
    return tokens


_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _skip_prologue(tokens: list[Token], index: int) -> int:
    """The index after any ``BASE <iri>`` / ``PREFIX p: <iri>`` declarations starting at ``index``."""
    while index < len(tokens):
        keyword = tokens[index].keyword
        if keyword == "BASE":
            index += 2
        elif keyword == "PREFIX":
            index += 3
        else:
            break
    return index


def _iri_value(token: Token) -> str:
    return token.text[1:-1] if token.kind == "iri" else token.text


@dataclass(frozen=True)
class Inspection:
    """What :func:`inspect_sparql` found.

    ``form`` -- SELECT, ASK, CONSTRUCT or DESCRIBE for a query; None for an update or text whose form
    cannot be told. ``services`` -- the target of every ``SERVICE`` (an IRI, or ``?var`` for a
    variable endpoint). ``loads`` -- whether ``LOAD`` appears. ``names_dataset`` -- whether an update
    has ``USING``/``USING NAMED``/``WITH``. ``has_pattern`` -- whether an update has a ``WHERE``
    (its cost depends on the data; ``INSERT DATA``, ``CLEAR`` and the like do bounded work).
    ``depth`` -- the deepest nesting of ``{}``/``()``/``[]``.
    """

    form: str | None
    services: tuple[str, ...]
    loads: bool
    names_dataset: bool
    has_pattern: bool
    depth: int = 0


def inspect_sparql(text: str) -> Inspection:
    """Inspect a query or update (see :class:`Inspection`).

    >>> inspect_sparql("LOAD <http://x/data.ttl>").loads
    True
    >>> inspect_sparql('INSERT DATA { <a> <b> "LOAD" }').loads
    False
    >>> found = inspect_sparql("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    >>> found.names_dataset, found.has_pattern, found.form
    (True, True, None)
    >>> inspect_sparql("select (1 as ?x) {}").form
    'SELECT'
    >>> inspect_sparql("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }").services
    ('?endpoint',)
    >>> inspect_sparql("ASK { FILTER((1)) }").depth
    3
    """
    tokens = tokenize(text)
    start = _skip_prologue(tokens, 0)
    first = tokens[start].keyword if start < len(tokens) else None
    form = first if first in _QUERY_FORMS else None
    services = []
    loads = names_dataset = has_pattern = False
    for index, token in enumerate(tokens):
        keyword = token.keyword
        if keyword is None:
            continue
        if keyword == "SERVICE":
            target = index + 1
            if target < len(tokens) and tokens[target].keyword == "SILENT":
                target += 1
            services.append(_iri_value(tokens[target]) if target < len(tokens) else "")
        elif keyword == "LOAD":
            loads = True
        elif form is None and keyword in ("USING", "WITH") and token.depth == 0:
            names_dataset = True
        elif form is None and keyword == "WHERE" and token.depth == 0:
            has_pattern = True
    # An IRI token may be operators to the engine ("<" as less-than, see security.py): its brackets count.
    depth = max(
        (t.depth + (t.text in "{([" if t.kind == "punct" else t.text.count("(") + t.text.count("[") if t.kind == "iri" else 0)
         for t in tokens),
        default=0,
    )
    return Inspection(form, tuple(services), loads, names_dataset, has_pattern, depth)


def _operations(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each operation of an update (split at ``;`` outside any braces)."""
    operations: list[list[Token]] = [[]]
    for token in tokens:
        if token.depth < 0:
            raise LexerError("the update has an unbalanced closing brace or parenthesis")
        if token.kind == "punct" and token.text == ";" and token.depth == 0:
            operations.append([])
        else:
            operations[-1].append(token)
    return [op for op in operations if op]


def _group_end(tokens: list[Token], open_index: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``open_index``."""
    depth = tokens[open_index].depth
    for index in range(open_index + 1, len(tokens)):
        if tokens[index].kind == "punct" and tokens[index].text == "}" and tokens[index].depth == depth:
            return index
    raise LexerError("the update has an unclosed '{'")


def add_using_clauses(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update, as the
    SPARQL 1.1 Protocol says: as if each ``DELETE``/``INSERT ... WHERE`` operation had those ``USING``
    and ``USING NAMED`` clauses. Operations without a ``WHERE`` (``INSERT DATA``, ``CLEAR``, ...) do not
    read a dataset and are left alone; ``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE
    { P }``, its long form. The caller has already refused an update that names its own dataset.

    >>> add_using_clauses("INSERT { ?s a <T> } WHERE { ?s ?p ?o }", ["http://g/1"], ["http://g/2"])
    'INSERT { ?s a <T> } USING <http://g/1> USING NAMED <http://g/2> WHERE { ?s ?p ?o }'
    >>> add_using_clauses("CLEAR ALL ; DELETE WHERE { ?s <p> ?o }", ["http://g/1"], [])
    'CLEAR ALL ; DELETE { ?s <p> ?o } USING <http://g/1> WHERE { ?s <p> ?o }'
    """
    clauses = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    if not clauses:
        return update
    tokens = tokenize(update)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied right to left
    for operation in _operations(tokens):
        first = _skip_prologue(operation, 0)
        if first >= len(operation) or operation[first].keyword not in ("DELETE", "INSERT", "WITH"):
            continue
        following = operation[first + 1].keyword if first + 1 < len(operation) else None
        if following == "DATA":
            continue
        if operation[first].keyword == "DELETE" and following == "WHERE":
            # DELETE WHERE { P }: the short form takes no USING; write the long form.
            open_index = tokens.index(operation[first + 2])
            close_index = _group_end(tokens, open_index)
            pattern = update[tokens[open_index].start : tokens[close_index].end]
            edits.append(
                (operation[first + 1].start, tokens[close_index].end, f"{pattern} {clauses} WHERE {pattern}")
            )
            continue
        where = next((t for t in operation if t.keyword == "WHERE" and t.depth == 0), None)
        if where is not None:
            edits.append((where.start, where.start, clauses + " "))
    for start, end, replacement in sorted(edits, reverse=True):
        update = update[:start] + replacement + update[end:]
    return update


def outer_limit(text: str) -> int | None:
    """The ``LIMIT`` of the query's outermost solution modifiers (a subquery's own LIMIT is inside
    braces, so not at depth 0), or None without one.

    >>> outer_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 20000 OFFSET 3")
    20000
    >>> outer_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }"), outer_limit('ASK { ?s ?p "LIMIT 3" }')
    (None, None)
    """
    tokens = tokenize(text)
    limit = None
    for here, after in zip(tokens, tokens[1:]):
        if here.depth == 0 and here.keyword == "LIMIT" and after.kind == "number" and after.text.isdigit():
            limit = int(after.text)
    return limit


def star_variables(text: str) -> list[str] | None:
    """For a ``SELECT *`` query, its variables in the order they first appear (the columns users and
    the W3C result-format tests expect; the engine lists ``*`` in an order of its own); None for any
    other query.

    >>> star_variables("PREFIX : <http://e/> SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?p2 $o2 } }")
    ['s', 'p', 'o', 'p2', 'o2']
    >>> star_variables("SELECT DISTINCT * { ?b ?a '?c' } ORDER BY ?a") , star_variables("SELECT ?o ?s { ?s ?p ?o }")
    (['b', 'a'], None)
    """
    tokens = tokenize(text)
    index = _skip_prologue(tokens, 0)
    if index >= len(tokens) or tokens[index].keyword != "SELECT":
        return None
    index += 1
    if index < len(tokens) and tokens[index].keyword in ("DISTINCT", "REDUCED"):
        index += 1
    if index >= len(tokens) or tokens[index].text != "*":
        return None
    return list(dict.fromkeys(token.text[1:] for token in tokens[index:] if token.kind == "var"))


_GAP = rf"(?:\s|{_COMMENT})*"  # between tokens: what the tokenizer skips


def _word(name: str) -> str:  # a keyword, not the start of a longer word or a prefixed name
    return rf"(?i:{name})(?![\w:])"


def _declaration(*, captures: bool = False) -> str:
    """One BASE or PREFIX declaration; with ``captures``, the keyword BASE, the prefix and the IRI
    are groups 1-3 (written once for the shape of a query and for reading its declarations)."""
    base, prefix, iri = (f"({x})" if captures else f"(?:{x})" for x in (_word("BASE"), _PNAME, _IRI))
    return rf"(?:{base}{_GAP}|{_word('PREFIX')}{_GAP}{prefix}{_GAP}){iri}"


def _one_pattern_shape() -> re.Pattern[str]:
    gap, word = _GAP, _word
    term = rf"{_IRI}|{_PNAME}|{_VAR}"
    return re.compile(
        rf"(?P<prologue>{gap}(?:{_declaration()}{gap})*)"
        rf"(?:(?P<select>{word('SELECT')}){gap}(?P<selected>\*{gap}|(?:{_VAR}{gap})+)|{word('ASK')}{gap})"
        rf"(?:{word('WHERE')}{gap})?"
        rf"\{{{gap}(?P<s>{term}){gap}(?P<p>{term}|{word('a')}){gap}(?P<o>{term}|(?:{_STRING})(?:{_LANGTAG})?)"
        rf"{gap}(?:\.{gap})?\}}{gap}(?:{word('LIMIT')}{gap}(?P<limit>\d+){gap})?",
        re.DOTALL,
    )


_ONE_PATTERN = _one_pattern_shape()
_DECLARATION = re.compile(_declaration(captures=True), re.DOTALL)


class OnePattern(NamedTuple):
    """A query of one triple pattern (:func:`one_pattern`), as written: the terms' source text."""

    #: ``("PREFIX" or "BASE", the prefix with its colon or "", the IRI's text with its brackets)``.
    declarations: tuple[tuple[str, str, str], ...]
    #: The SELECT's variables (without ``?``/``$``), None for ``SELECT *``; ASK has ``()``.
    selected: tuple[str, ...] | None
    ask: bool
    subject: str
    predicate: str
    object: str
    limit: int | None

    @property
    def variables(self) -> list[str]:
        """The pattern's variables in the order they appear (the columns of ``SELECT *``)."""
        return [term[1:] for term in (self.subject, self.predicate, self.object) if term[0] in "?$"]


def one_pattern(text: str) -> OnePattern | None:
    """``text`` as a :class:`OnePattern` if it is a ``SELECT`` (no ``DISTINCT``/``REDUCED``, ``*`` or
    variables) or ``ASK`` of exactly one triple pattern of IRIs, prefixed names and distinct variables
    (``a`` as a predicate; a plain or language-tagged string as an object), with at most a ``LIMIT``,
    after ``BASE``/``PREFIX`` declarations; else None. Such a query is an index scan that yields each
    answer row at once: its cost grows with the rows it answers, never with the store -- no filter,
    join, sort, grouping, path or repeated variable that could scan the store for few rows. (One
    regular expression made of the tokenizer's terminals.)

    >>> one_pattern("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l { <http://e/a> rdfs:label ?l }")
    ... # doctest: +NORMALIZE_WHITESPACE
    OnePattern(declarations=(('PREFIX', 'rdfs:', '<http://www.w3.org/2000/01/rdf-schema#>'),),
               selected=('l',), ask=False, subject='<http://e/a>', predicate='rdfs:label', object='?l', limit=None)
    >>> one_pattern('ASK WHERE { ?s a <http://e/C> . } # a comment').ask, one_pattern("SELECT * { ?s ?p 'x'@en } LIMIT 5").limit
    (True, 5)
    >>> [one_pattern(text) for text in ("SELECT ?s { ?s ?p ?s }", "SELECT ?s { ?s <http://e/p>+ ?o }")]
    [None, None]
    >>> [one_pattern(text) for text in ("SELECT DISTINCT ?s { ?s ?p ?o }", "SELECT ?s { ?s ?p ?o } ORDER BY ?s")]
    [None, None]
    >>> [one_pattern(text) for text in ("SELECT ?s { ?s ?p ?o . ?o ?q ?r }", "SELECT ?s { ?s ?p ?o FILTER(?o > 1) }")]
    [None, None]
    >>> [one_pattern(text) for text in ("SELECT ?s { ?s ?p ?o } OFFSET 9", "SELECT ?s FROM <http://g> { ?s ?p ?o }")]
    [None, None]
    """
    return _one_pattern(text) if len(text) < _REMEMBERED_BELOW else _read_one_pattern(text)


#: Texts shorter than this have their :func:`one_pattern` remembered (the front asks, then the
#: replica: one regular expression run for both), at most 2,048 of them.
_REMEMBERED_BELOW = 4096


def _read_one_pattern(text: str) -> OnePattern | None:
    match = _ONE_PATTERN.fullmatch(text)
    if match is None:
        return None
    subject, predicate, obj = match.group("s", "p", "o")
    found = OnePattern(
        declarations=tuple(("BASE" if base else "PREFIX", prefix or "", iri)
                           for base, prefix, iri in _DECLARATION.findall(match.group("prologue"))),
        selected=(None if match.group("selected").startswith("*")
                    else tuple(name[1:] for name in _VAR_NAMES.findall(match.group("selected"))))
        if match.group("select") else (),
        ask=not match.group("select"),
        subject=subject, predicate=predicate, object=obj,
        limit=int(match.group("limit")) if match.group("limit") is not None else None,
    )
    variables = found.variables
    return found if len(set(variables)) == len(variables) else None


_VAR_NAMES = re.compile(_VAR)


_one_pattern = lru_cache(maxsize=2048)(_read_one_pattern)
