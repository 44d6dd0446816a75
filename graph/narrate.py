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

__all__ = [
    "PHRASES",
    "STANCE_MARKERS",
    "chain_sentence",
    "claim_sentence",
    "evidence_text",
    "narrate_steps",
    "phrase",
    "source_name",
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
STANCE_MARKERS = {"supports": "[+]", "qualifies": "[~]", "contradicts": "[-]"}
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
