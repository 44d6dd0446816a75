"""Claims and their evidence: sources, quotes, evidence items, the evidence summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .answer import Answer
from .entities import EntityRef

__all__ = ["Claim", "Evidence", "EvidenceSummary", "Quote", "Source"]


@dataclass(frozen=True)
class Source(Answer):
    """Where evidence comes from: the article or a cited page (``url`` None when not known)."""

    id: str
    iri: str
    title: str | None = None
    url: str | None = None
    local_copy: str | None = None
    #: What kind of source it is (``guideline``, ``systematic-review`` ... ``commercial``: the schema's
    #: ``pl:SourceKind`` labels) and the weight of its vote (``pl:evidenceWeight``); None when unknown.
    kind: str | None = None
    kind_weight: float | None = None


@dataclass(frozen=True)
class Quote(Answer):
    """A verbatim quote (W3C Web Annotation TextQuoteSelector): ``exact`` with its context."""

    exact: str
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class Evidence(Answer):
    """What one source says about one claim. ``stance`` is ``supports``, ``qualifies`` or
    ``contradicts``; the article's evidence has a ``quote``, a cited page's a ``summary`` (our words)
    and ``cited_claim`` (its row id in the cited-claims table)."""

    id: str
    iri: str
    stance: str
    source: Source
    quote: Quote | None = None
    summary: str | None = None
    cited_claim: str | None = None

    @property
    def text(self) -> str:
        """The quote, else the summary: what to show a reader."""
        if self.quote is not None:
            return self.quote.exact
        return self.summary or ""

    @property
    def kind(self) -> str | None:
        """The kind of its source (``guideline`` ... ``commercial``)."""
        return self.source.kind

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "kind": self.kind}


@dataclass(frozen=True)
class EvidenceSummary(Answer):
    """Counts over a claim's evidence: items per stance and independent sources (distinct sources)."""

    supporting: int = 0
    qualifying: int = 0
    contradicting: int = 0
    sources: int = 0
    #: Stance -> source kind -> number of distinct sources of that kind taking that stance.
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    #: True when every source behind the claim is a commercial or a practice page (weak grounds).
    weak_sources_only: bool = False

    @property
    def disputed(self) -> bool:
        """True when the evidence has more than one stance."""
        return sum(1 for n in (self.supporting, self.qualifying, self.contradicting) if n) > 1

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "disputed": self.disputed}


@dataclass(frozen=True)
class Claim(Answer):
    """One subject-predicate-object statement with its evidence. ``predicate`` is the property's local
    name (``mayCause``), ``group`` its property group (``causal``, ``sign``, ``anatomy``,
    ``intervention``)."""

    id: str
    iri: str
    subject: EntityRef
    predicate: str
    predicate_iri: str
    predicate_label: str
    group: str | None
    object: EntityRef
    statement: str | None
    evidence: tuple[Evidence, ...]
    summary: EvidenceSummary
    #: For a sign that points to one origin *rather than* another (``pl:ratherThan``): the others.
    rather_than: tuple[EntityRef, ...] = ()
    #: For a finding said to tell candidates apart (``pl:distinguishes``): the candidates (``pl:between``).
    between: tuple[EntityRef, ...] = ()

    @property
    def supporting(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stance == "supports")

    @property
    def qualifying(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stance == "qualifies")

    @property
    def contradicting(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stance == "contradicts")

    @property
    def disputed(self) -> bool:
        return self.summary.disputed

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "disputed": self.disputed}
