"""HTTP content negotiation: pick the best media type the server can produce for an ``Accept`` header.

The rules are RFC 9110's (section 12.5.1): each media range in ``Accept`` carries a quality ``q``
(default 1); a type the server offers gets the quality of the *most specific* range that matches it
(``text/turtle`` beats ``text/*`` beats ``*/*``, and a range with parameters beats the same range
without), so ``text/*;q=0.1, text/turtle`` prefers Turtle and ``*/*, text/csv;q=0`` rules CSV out
while allowing the rest. The offer with the highest quality wins; ties go to the server's order of
preference (the order of ``offers``). Quality 0 means "not acceptable". A missing or empty header
accepts anything. Malformed entries are skipped rather than failing the request.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["application/sparql-results+xml", "text/csv",
...           "application/sparql-results+json"])
'application/sparql-results+json'
>>> negotiate("text/*, */*;q=0.1", ["application/rdf+xml", "text/turtle"])
'text/turtle'
>>> negotiate(None, ["text/turtle", "application/n-triples"])
'text/turtle'
>>> negotiate("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["MediaRange", "negotiate", "parse_accept", "parse_media_type", "prefers", "quality"]


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype`` (either may be ``*``), parameters other
    than ``q`` (lower-cased names), and the quality."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...] = field(default=())
    q: float = 1.0

    def matches(self, media_type: str, params: dict[str, str] | None = None) -> bool:
        """Whether this range covers ``media_type`` (``type/subtype``, lower case) with ``params``.

        >>> MediaRange("text", "*").matches("text/csv")
        True
        >>> MediaRange("text", "plain", (("charset", "utf-8"),)).matches("text/plain", {"charset": "utf-8"})
        True
        >>> MediaRange("application", "ld+json", (("profile", "x"),)).matches("application/ld+json")
        False
        """
        kind, _, subtype = media_type.partition("/")
        if self.type != "*" and self.type != kind:
            return False
        if self.subtype != "*" and self.subtype != subtype:
            return False
        offered = params or {}
        return all(offered.get(name) == value for name, value in self.params)

    @property
    def specificity(self) -> tuple[int, int]:
        """How specific the range is: ``*/*`` < ``type/*`` < ``type/subtype`` < with parameters."""
        if self.type == "*":
            return (0, 0)
        if self.subtype == "*":
            return (1, 0)
        return (2, len(self.params))


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type``-like value into the lower-cased ``type/subtype`` and its parameters
    (names lower-cased, values unquoted; ``charset`` values lower-cased too).

    >>> parse_media_type('Application/SPARQL-Query; charset="UTF-8"')
    ('application/sparql-query', {'charset': 'utf-8'})
    >>> parse_media_type("")
    ('', {})
    """
    head, *rest = value.split(";")
    params: dict[str, str] = {}
    for part in rest:
        name, sep, raw = part.partition("=")
        name = name.strip().lower()
        if not sep or not name:
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        params[name] = raw.lower() if name == "charset" else raw
    return head.strip().lower(), params


#: Accept headers longer than this are not cached (the caches stay small whatever clients send).
_CACHEABLE = 512


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The media ranges of an ``Accept`` header, in the order given; malformed entries (no ``/``, a
    ``q`` that is not a number between 0 and 1, ``*/subtype``) are left out.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/html, application/xml;q=0.9, */*;q=0.8")]
    [('text', 'html', 1.0), ('application', 'xml', 0.9), ('*', '*', 0.8)]
    >>> parse_accept("nonsense, text/csv;q=2, */csv, text/tsv;q=abc")
    ()
    """
    ranges = []
    for entry in (header or "").split(","):
        media_type, params = parse_media_type(entry)
        kind, slash, subtype = media_type.partition("/")
        if not slash or not kind or not subtype or (kind == "*" and subtype != "*"):
            continue
        q = 1.0
        if "q" in params:
            try:
                q = float(params.pop("q"))
            except ValueError:
                continue
            if not 0.0 <= q <= 1.0:
                continue
        # Accept-extensions after q are not media type parameters; charset never changes the
        # representation we send (always UTF-8), so it does not narrow a match either.
        params.pop("charset", None)
        ranges.append(MediaRange(kind, subtype, tuple(sorted(params.items())), q))
    return tuple(ranges)


def quality(ranges: Sequence[MediaRange], offer: str) -> float:
    """The quality an ``Accept`` header (already parsed) gives one offered media type: the ``q`` of the
    most specific matching range, 0 when none matches, 1 when the header is empty.

    >>> ranges = parse_accept("text/*;q=0.3, text/turtle;q=0.7, */*;q=0.1")
    >>> quality(ranges, "text/turtle"), quality(ranges, "text/csv"), quality(ranges, "image/png")
    (0.7, 0.3, 0.1)
    >>> quality(parse_accept("text/turtle;q=0, */*"), "text/turtle")
    0.0
    """
    if not ranges:
        return 1.0
    media_type, params = parse_media_type(offer)
    params.pop("charset", None)
    best: MediaRange | None = None
    for candidate in ranges:
        if candidate.matches(media_type, params) and (best is None or candidate.specificity > best.specificity):
            best = candidate
    return best.q if best is not None else 0.0


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client likes best (ties: the earlier offer), or None when it accepts none.

    >>> negotiate("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.9",
    ...           ["application/sparql-results+json", "application/sparql-results+xml"])
    'application/sparql-results+json'
    >>> negotiate("*/*;q=0.5, text/csv", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("*/*, text/turtle;q=0", ["text/turtle", "application/n-triples"])
    'application/n-triples'
    """
    if accept is not None and len(accept) > _CACHEABLE:
        return _negotiate.__wrapped__(accept, tuple(offers))
    return _negotiate(accept, tuple(offers))


@lru_cache(maxsize=1024)
def _negotiate(accept: str | None, offers: tuple[str, ...]) -> str | None:
    # Cached: a client sends the same Accept header with every request.
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers(accept: str | None, wanted: str, others: Sequence[str]) -> bool:
    """Whether the client explicitly asks for ``wanted`` and likes it more than every one of
    ``others`` -- how a browser (``text/html, ..., */*;q=0.8``) is told from an API client that sends
    ``*/*``, which must get data, not a page.

    >>> browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    >>> prefers(browser, "text/html", ["text/turtle", "application/rdf+xml"])
    True
    >>> prefers("*/*", "text/html", ["text/turtle"])
    False
    >>> prefers("text/html;q=0.5, text/turtle", "text/html", ["text/turtle"])
    False
    """
    if accept is not None and len(accept) > _CACHEABLE:
        return _prefers.__wrapped__(accept, wanted, tuple(others))
    return _prefers(accept, wanted, tuple(others))


@lru_cache(maxsize=1024)
def _prefers(accept: str | None, wanted: str, others: tuple[str, ...]) -> bool:
    ranges = parse_accept(accept)
    if not ranges:
        return False
    media_type, _ = parse_media_type(wanted)
    kind, _, subtype = media_type.partition("/")
    if not any(r.type == kind and r.subtype == subtype and r.q > 0 for r in ranges):
        return False
    wanted_q = quality(ranges, wanted)
    return all(wanted_q > quality(ranges, other) for other in others)
