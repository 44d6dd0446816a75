"""Reading evidence items (of claims and of red flags alike) and summarising them per stance and kind
of source."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from painlink.ontology import NAMESPACES

from ..model import Evidence, EvidenceSummary, Quote, Source
from .names import STANCES, WEAK_KINDS, local, text, values

__all__ = ["CLAIM_EVIDENCE", "FLAG_EVIDENCE", "read_evidence", "summarise"]

#: The patterns that bind ``?c`` to what holds evidence ``?ev``: a claim, a red flag.
CLAIM_EVIDENCE = "?c a pl:Claim ; pl:hasEvidence ?ev ."
FLAG_EVIDENCE = "?c a pl:RedFlag ; pl:hasEvidence ?ev ."


def read_evidence(
    rows, pattern: str, sources: Mapping[str, Source], only: Iterable[str] | None = None
) -> dict[str, list[Evidence]]:
    """IRI of what ``pattern`` binds to ``?c`` (of ``only``, when given) -> its evidence items
    (``?ev``), by stance (supports, qualifies, contradicts), then id."""
    result: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows(
        """SELECT ?c ?ev ?stance ?source ?exact ?prefix ?suffix ?summary ?cited WHERE {
            """ + values("c", only) + pattern + """
            ?ev pl:stance ?stance ; pl:source ?source .
            OPTIONAL { ?ev oa:hasSelector ?sel . ?sel oa:exact ?exact .
                       OPTIONAL { ?sel oa:prefix ?prefix } OPTIONAL { ?sel oa:suffix ?suffix } }
            OPTIONAL { ?ev pl:summary ?summary }
            OPTIONAL { ?ev pl:citedClaim ?cited } }"""
    ):
        stance = STANCES.get(text(row["stance"]))
        if stance is None:  # the shapes forbid it; a store filled by other means may still hold one
            continue
        source_iri = text(row["source"])
        source = sources.get(source_iri) or Source(local(source_iri, NAMESPACES["pls"]), source_iri)
        ev_iri = text(row["ev"])
        quote = None
        if "exact" in row:
            quote = Quote(
                text(row["exact"]),
                text(row["prefix"]) if "prefix" in row else None,
                text(row["suffix"]) if "suffix" in row else None,
            )
        result[text(row["c"])].append(
            Evidence(
                id=local(ev_iri, NAMESPACES["plv"]),
                iri=ev_iri,
                stance=stance,
                source=source,
                quote=quote,
                summary=text(row["summary"]) if "summary" in row else None,
                cited_claim=text(row["cited"]) if "cited" in row else None,
            )
        )
    for items in result.values():
        # One item per evidence IRI (several selectors or summaries would repeat rows), stable order.
        unique = {item.iri: item for item in sorted(items, key=lambda e: (e.quote is None, e.summary or ""))}
        # Supporting evidence first, then qualifying, then contradicting: the order readers expect.
        order = list(STANCES.values())
        items[:] = sorted(unique.values(), key=lambda e: (order.index(e.stance), _natural(e.id)))
    return result


def _natural(name: str) -> tuple:
    """Sort key that puts C2 before C10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def summarise(evidence: list[Evidence] | tuple[Evidence, ...]) -> EvidenceSummary:
    """Count evidence items per stance, distinct sources, and distinct sources per stance and kind.

    >>> s = Source("s", "https://w3id.org/painlink/source/s", kind="commercial")
    >>> summary = summarise([Evidence("1", "i1", "supports", s), Evidence("2", "i2", "contradicts", s)])
    >>> summary.supporting, summary.contradicting, summary.sources, summary.by_kind, summary.weak_sources_only
    (1, 1, 1, {'supports': {'commercial': 1}, 'contradicts': {'commercial': 1}}, True)
    """
    by_kind: dict[str, dict[str, int]] = {}
    for stance in STANCES.values():
        kinds: dict[str, set[str]] = defaultdict(set)
        for e in evidence:
            if e.stance == stance:
                kinds[e.source.kind or "unknown"].add(e.source.iri)
        if kinds:
            by_kind[stance] = {kind: len(iris) for kind, iris in sorted(kinds.items())}
    source_kinds = {e.source.kind for e in evidence}
    return EvidenceSummary(
        supporting=sum(1 for e in evidence if e.stance == "supports"),
        qualifying=sum(1 for e in evidence if e.stance == "qualifies"),
        contradicting=sum(1 for e in evidence if e.stance == "contradicts"),
        sources=len({e.source.iri for e in evidence}),
        by_kind=by_kind,
        weak_sources_only=bool(evidence) and source_kinds <= WEAK_KINDS,
    )

