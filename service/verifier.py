"""A second, independent reading of a query or update: which ``SERVICE`` targets and ``LOAD``s rdflib's
SPARQL parser finds in it.

The endpoint's tokenizer (:mod:`painlink.service.sparql_lexer`) reads a query without context, and
SPARQL's grammar is not context-free at the lexical level: ``<`` starts an IRI in one place and is
"less than" in another. ``FILTER(?d<2)SERVICEex:x#>`` is one IRI to a tokenizer and a comparison, a
SERVICE and a comment to the engine. rdflib parses with the grammar, so it reads such text as the
engine does. :mod:`painlink.service.security` asks this module whenever the text could name SERVICE or
LOAD, and refuses a query that rdflib cannot read or that the two read differently.

This runs in the query worker processes (:mod:`painlink.service.replica`: killable under the query
timeout, off the event loop), so it imports nothing of the service and rdflib only when first used.

>>> read_outbound("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", is_update=False)
Reading(services=('http://x/',), loads=0)
>>> read_outbound("LOAD <http://x/data.ttl>", is_update=True)
Reading(services=(), loads=1)
>>> read_outbound("SELECT * { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }", is_update=False).services
('http://x/',)
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass

__all__ = ["Reading", "Unreadable", "expand_escapes", "may_name", "read_outbound"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Python frames rdflib's parser may use (pyparsing recurses about 40 frames a nesting level; the
#: endpoint refuses text nested beyond painlink.ontology.bounds.MAX_NESTING before it gets here).
_RECURSION_LIMIT = 20_000


class Unreadable(ValueError):
    """Raised when rdflib cannot parse the text: it could not be checked."""


@dataclass(frozen=True)
class Reading:
    """What rdflib found: every SERVICE target (an IRI, ``?var`` or ``prefix:local``) and the number of
    LOAD operations."""

    services: tuple[str, ...]
    loads: int


def expand_escapes(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX``/``\\UXXXXXXXX`` escapes replaced by their characters (the
    grammar allows them anywhere; rdflib expands them before parsing).

    >>> expand_escapes("\\\\u0053ERVICE")
    'SERVICE'
    """

    def character(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group()

    return _ESCAPE.sub(character, text)


def may_name(text: str, keyword: str) -> bool:
    """Whether ``text`` could spell ``keyword`` anywhere, whatever its case, escapes or compatibility
    forms (``\\u0053ERVICE``, ``ſervice``): deliberately generous, it only decides whether the second
    reading is needed.

    >>> may_name("# a comment about Service", "service"), may_name("SELECT * {}", "service")
    (True, False)
    """
    if len(text) < _REMEMBERED_BELOW:
        return _may_name_remembered(text, keyword)
    return _may_name(text, keyword)


#: Texts shorter than this are remembered by :func:`may_name` (a client repeating its query pays once).
_REMEMBERED_BELOW = 4096


def _may_name(text: str, keyword: str) -> bool:
    flat = unicodedata.normalize("NFKC", expand_escapes(text)).casefold()
    return keyword.casefold() in flat or keyword.casefold() in text.casefold()


_may_name_remembered = functools.lru_cache(maxsize=4096)(_may_name)


def read_outbound(text: str, *, is_update: bool) -> Reading:
    """rdflib's reading of ``text`` (module docstring); :class:`Unreadable` when it cannot parse it."""
    from pyparsing import ParseResults  # rdflib's parser is built on pyparsing
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
    try:
        tree = parseUpdate(text) if is_update else parseQuery(text)
    except RecursionError:
        raise Unreadable("it is nested too deeply for the checker") from None
    except Exception as error:  # pyparsing's and rdflib's errors: any failure means "not understood"
        raise Unreadable(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
    services: list[str] = []
    loads = 0
    stack: list[object] = [tree]
    seen: set[int] = set()  # a node is reachable both as a list item and by its name: count it once
    while stack:
        node = stack.pop()
        if isinstance(node, (CompValue, ParseResults)):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                if isinstance(term, Variable):
                    services.append(f"?{term}")
                elif isinstance(term, CompValue):  # a prefixed name, unresolved
                    services.append(f"{term.get('prefix') or ''}:{term.get('localname') or ''}")
                else:
                    services.append(str(term))
            elif node.name == "Load":
                loads += 1
            stack.extend(node.values())
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.as_dict().values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return Reading(tuple(services), loads)
