"""Plain-language explanations of causal paths and claims, quoting the evidence for each step.

The wording follows the predicate (``causes`` -> "leads to", ``mayCause`` -> "can lead to" ...), so a
hedged claim reads hedged; a relation this table does not know is said with its schema label. Each
step's evidence follows "because:": the article's words verbatim in quotation marks, a cited page's
point in our words (marked as a summary), and anyone who disputes the step by name.

>>> from painlink.graph.model import Claim, EntityRef, Evidence, EvidenceSummary, Source, Quote
>>> article = Source("article", "https://w3id.org/painlink/source/article", "An article")
>>> a, b = EntityRef("a", "i:a", "foot pain"), EntityRef("b", "i:b", "altered gait")
>>> claim = Claim("a--causes--b", "c:1", a, "causes", "p:causes", "causes", "causal", b, None,
...               (Evidence("e1", "v:e1", "supports", article, Quote("you walk differently")),),
...               EvidenceSummary(1, 0, 0, 1))
>>> print(narrate_steps([claim]))
Foot pain leads to altered gait — because: the article says "you walk differently".
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Claim, Evidence, Source
from .vocabulary import SOURCE_KINDS, STANCES

__all__ = [
    "PHRASES",
    "STANCE_MARKERS",
    "chain_sentence",
    "claim_sentence",
    "evidence_text",
    "grounds",
    "kind_noun",
    "narrate_steps",
    "phrase",
    "rank_comparison",
    "rank_rationale",
    "source_name",
    "weigh_sides",
]

#: Predicate (local name) -> how a step reads in a sentence.
PHRASES = {
    "causes": "leads to",
    "mayCause": "can lead to",
    "contributesTo": "contributes to",
    "associatedWith": "is linked with",
    "indicates": "is a sign of",
    "hasSign": "can show as",
    "relieves": "can relieve",
    "prevents": "can help prevent",
    "worsens": "can make worse",
    "locatedIn": "is in",
    "partOf": "is part of",
    "runsThrough": "runs through",
    "innervates": "supplies",
    "broader": "is a kind of",
}
#: How a stance shows in plain text: supports, qualifies, contradicts.
STANCE_MARKERS = {stance.name: stance.marker for stance in STANCES.values()}
ARTICLE_ID = "article"  # docs/design.md: the article is pls:article


def phrase(claim: Claim) -> str:
    """The verb phrase for a claim's predicate."""
    return PHRASES.get(claim.predicate, claim.predicate_label)


def source_name(source: Source) -> str:
    """How to name a source in a sentence: "the article" for the article, else its title."""
    if source.id == ARTICLE_ID:
        return "the article"
    return source.title or source.url or source.id


def evidence_text(evidence: Evidence) -> str:
    """One evidence item in words: who says what.

    >>> from painlink.graph.model import Evidence, Source
    >>> nice = Source("nice", "s:nice", "NICE NG59")
    >>> evidence_text(Evidence("C20", "v:C20", "contradicts", nice, summary="advises against it."))
    'NICE NG59 disputes it (summary: advises against it.)'
    """
    who = source_name(evidence.source)
    if evidence.quote is not None:
        said = f'"{evidence.quote.exact}"'
    else:
        said = f"(summary: {evidence.summary})" if evidence.summary else ""
    verb = {
        "supports": "says" if evidence.quote is not None else "supports it",
        "qualifies": "qualifies it" if evidence.quote is None else "says, with reservations,",
        "contradicts": "disputes it" if evidence.quote is None else "disputes it, saying",
    }[evidence.stance]
    return f"{who} {verb} {said}".strip()


def claim_sentence(claim: Claim, *, subject: str | None = None) -> str:
    """``subject phrase object`` for one claim (``subject`` overrides the subject's label)."""
    return f"{subject or claim.subject.label} {phrase(claim)} {claim.object.label}"


def _because(claim: Claim) -> str:
    supporting = [evidence_text(e) for e in claim.evidence if e.stance != "contradicts"]
    against = [evidence_text(e) for e in claim.contradicting]
    parts = []
    if supporting:
        parts.append("; ".join(supporting))
    if against:
        parts.append("but " + "; ".join(against))
    return "; ".join(parts) if parts else "no evidence is recorded"


def chain_sentence(claims: Sequence[Claim]) -> str:
    """The chain in one sentence, without the evidence: "Foot pain leads to altered gait, which can
    lead to spinal misalignment"."""
    if not claims:
        return ""
    sentence = claim_sentence(claims[0])
    for claim in claims[1:]:
        sentence += f", which {phrase(claim)} {claim.object.label}"
    return sentence[0].upper() + sentence[1:]


def narrate_steps(claims: Sequence[Claim]) -> str:
    """A chain of claims as one sentence, then the evidence per step.

    The first step names its subject, each further step continues "which ...", so a three-step path
    reads "Foot pain leads to altered gait, which can lead to spinal misalignment, which can lead to
    back pain". With one step the evidence follows after "because:"; with several, each step's evidence
    is given in turn.
    """
    if not claims:
        return ""
    sentence = chain_sentence(claims)
    if len(claims) == 1:
        return _full_stop(f"{sentence} — because: {_because(claims[0])}")
    steps = [f"({n}) {claim_sentence(c)}: {_because(c)}" for n, c in enumerate(claims, start=1)]
    return f"{sentence} — because: " + " ".join(_full_stop(step) for step in steps)


def _full_stop(text: str) -> str:
    """End a sentence with one full stop, also after a quote that ends with its own.

    >>> _full_stop('says "it hurts."'), _full_stop('says "it hurts"')
    ('says "it hurts."', 'says "it hurts".')
    """
    return text if text.endswith(('."', '!"', '?"', ".", ')."')) else text + "."


def kind_noun(kind: str | None, count: int = 1) -> str:
    """``count`` sources of ``kind`` in words.

    >>> kind_noun("systematic-review", 2), kind_noun("commercial"), kind_noun(None)
    ('2 systematic reviews', '1 commercial page', '1 source of unknown kind')
    """
    known = SOURCE_KINDS.get(kind or "")
    one, many = (known.singular, known.plural) if known else (f"{(kind or '').replace('-', ' ')} source".strip(), "")
    if not kind:
        one, many = "source of unknown kind", "sources of unknown kind"
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _kind_order(kind: str) -> int:
    order = list(SOURCE_KINDS)
    return order.index(kind) if kind in order else len(order)


def weigh_sides(evidence: Sequence[Evidence]) -> str:
    """The sides of some evidence counted by kind of source, strongest kind first; each source
    counted once per side.

    >>> from painlink.graph.model import Evidence, Source
    >>> shop = Source("shop", "s:shop", kind="commercial")
    >>> nice = Source("nice", "s:nice", kind="guideline")
    >>> weigh_sides([Evidence("1", "e1", "supports", shop), Evidence("2", "e2", "supports", shop),
    ...              Evidence("3", "e3", "contradicts", nice)])
    'for: 1 commercial page; against: 1 guideline'
    """
    parts = []
    for stance, side in ((s.name, s.side) for s in STANCES.values()):
        kinds: dict[str | None, set[str]] = {}
        for item in evidence:
            if item.stance == stance:
                kinds.setdefault(item.source.kind, set()).add(item.source.iri)
        if kinds:
            counted = sorted(kinds.items(), key=lambda kv: _kind_order(kv[0] or ""))
            parts.append(f"{side}: " + ", ".join(kind_noun(kind, len(iris)) for kind, iris in counted))
    return "; ".join(parts) if parts else "no evidence recorded"


def grounds(claim: Claim) -> str:
    """What a claim rests on, by kind of source and side, and a warning when that is only commercial or
    practice pages.

    >>> from painlink.graph.model import EntityRef, EvidenceSummary, Source
    >>> shop = Source("article", "s:article", kind="commercial")
    >>> a, b = EntityRef("a", "i:a", "spinal misalignment"), EntityRef("b", "i:b", "back pain")
    >>> claim = Claim("a--mayCause--b", "c:1", a, "mayCause", "p:m", "may cause", "causal", b, None,
    ...               (Evidence("e1", "v:e1", "supports", shop),),
    ...               EvidenceSummary(1, 0, 0, 1, weak_sources_only=True))
    >>> grounds(claim)
    '1 commercial page for it (only commercial or practice pages)'
    """
    sides = {"for": "for it", "qualifying": "qualifying it", "against": "against it"}
    parts = []
    for part in weigh_sides(claim.evidence).split("; "):
        side, _, counted = part.partition(": ")
        parts.append(f"{counted} {sides[side]}" if side in sides else part)
    text = "; ".join(parts)
    if claim.summary.weak_sources_only:
        text += " (only commercial or practice pages)"
    return text


def rank_rationale(steps, breakdown, score: float, labels=None) -> str:
    """Why a chain scores what it does, in words: its weakest step and that step's grounds, the cost
    of its length and of hubs (see :mod:`painlink.graph.paths` for the formula)."""
    if not steps:
        return ""
    weakest = min(steps, key=lambda step: step.weight)
    claim = weakest.claim
    parts = [f"Score {score:.3f}."]
    if len(steps) == 1:
        parts.append(f"One step, {claim_sentence(claim)}, resting on {grounds(claim)}.")
    else:
        parts.append(
            f"{len(steps)} steps; the weakest, {claim_sentence(claim)} (weight {weakest.weight:.2f}), rests on "
            f"{grounds(claim)}."
        )
        parts.append(f"Each step beyond the first costs 10% (x{breakdown.length_factor:.2f}).")
    if breakdown.hub_factor < 1:
        hubs = ", ".join(sorted((labels or {}).get(node, node) for node in breakdown.hub_damping))
        parts.append(f"It passes through much-connected terms ({hubs}), which lowers it (x{breakdown.hub_factor:.2f}).")
    if claim.disputed:
        parts.append("That step is disputed: its contradicting evidence keeps it low.")
    return " ".join(parts)


def rank_comparison(above, below, above_rank: int) -> str:
    """Why ``below`` ranks under ``above`` (chain number ``above_rank``), in one sentence: the scores,
    and what differs -- the weakest steps' relations and grounds, or the length."""
    if not above.steps or not below.steps:
        return ""
    a = min(above.steps, key=lambda step: step.weight)
    b = min(below.steps, key=lambda step: step.weight)
    if below.score == above.score:
        reason = "it scores the same and is listed after it by length and name"
    elif len(below.steps) > len(above.steps) and b.weight >= a.weight:
        reason = f"it is longer ({len(below.steps)} steps against {len(above.steps)})"
    else:
        reason = f"its weakest step weighs {b.weight:.2f} against {a.weight:.2f}"
        if b.strength < a.strength:
            reason += (f"; \"{phrase(b.claim)}\" is a weaker relation ({b.strength:.1f}) than "
                       f"\"{phrase(a.claim)}\" ({a.strength:.1f})")
        if grounds(b.claim) != grounds(a.claim):
            reason += f"; it rests on {grounds(b.claim)}, chain {above_rank}'s on {grounds(a.claim)}"
        elif b.strength >= a.strength:
            reason += f"; both rest on {grounds(b.claim)}"
    return f"It ranks below chain {above_rank} ({above.score:.3f} against {below.score:.3f}): {reason}."
