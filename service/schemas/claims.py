"""Claims and their evidence, as the API answers them."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import Field, model_validator

from .base import EntitySummary, Model, SourceKind, Stance, claim_href

__all__ = ["Claim", "ClaimsResponse", "ClaimSummary", "Evidence", "EvidenceCounts", "Quote", "Source"]


class Source(Model):
    """Where evidence comes from: the article, or a page it cites."""

    id: str = Field(description="The source's id, its local name under pls:.")
    iri: str = Field(description="The source's IRI.")
    title: str | None = Field(None, description="Its title.")
    url: str | None = Field(None, description="Its web address, when it has one.")
    local_copy: str | None = Field(None, description="The file painlink ships it as (the article), if any.")
    kind: SourceKind | None = Field(
        None,
        description="What kind of source it is, strongest first: guideline, systematic-review, "
        "clinical-reference, review (narrative), primary-study, patient-information, practice-page, commercial.",
    )
    kind_weight: float | None = Field(
        None, description="The weight of its vote in a claim's evidence factor (pl:evidenceWeight of its kind)."
    )


class Quote(Model):
    """A verbatim quote from the source (a W3C Web Annotation TextQuoteSelector)."""

    exact: str = Field(description="The quoted words, exactly as in the source.")
    prefix: str | None = Field(None, description="The text just before the quote, to find it again.")
    suffix: str | None = Field(None, description="The text just after the quote.")


class Evidence(Model):
    """What one source says about one claim: for it, against it, or qualifying it."""

    id: str = Field(description="The evidence item's id, its local name under plv:.")
    iri: str = Field(description="The evidence item's IRI.")
    stance: Stance = Field(description="supports, qualifies or contradicts the claim.")
    source: Source = Field(description="Where it comes from.")
    quote: Quote | None = Field(None, description="The article's own words, for evidence from the article.")
    summary: str | None = Field(
        None,
        description="What a cited page says, in painlink's words (cited pages are summarised, not quoted).",
    )
    cited_claim: str | None = Field(
        None, description="The row id in painlink's cited-claims table (C1, C2 ...)."
    )
    kind: SourceKind | None = Field(None, description="The kind of its source (the same as source.kind).")


class EvidenceCounts(Model):
    """How much evidence a claim has, by stance."""

    supporting: int = Field(0, description="Items that support the claim.")
    qualifying: int = Field(0, description="Items that qualify it (true only in part, or under conditions).")
    contradicting: int = Field(0, description="Items that contradict it.")
    sources: int = Field(0, description="Distinct sources among them.")
    disputed: bool = Field(False, description="True when the evidence has more than one stance.")
    by_kind: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Stance -> kind of source -> number of distinct sources of that kind taking that stance.",
    )
    weak_sources_only: bool = Field(
        False, description="True when every source behind the claim is a commercial or a practice page."
    )


class ClaimSummary(Model):
    """One subject-predicate-object statement, with its evidence counted but not listed."""

    id: str = Field(
        description="The claim's id: SUBJECT--PREDICATE--OBJECT, e.g. foot-pain--causes--altered-gait."
    )
    iri: str = Field(description="The claim's IRI (under plc:).")
    href: str = Field("", description="Where the API gives it with all its evidence: /api/claims/{id}.")
    subject: EntitySummary = Field(description="What the claim is about.")
    predicate: str = Field(
        description="The relation's local name under pl:, e.g. causes, mayCause, relieves."
    )
    predicate_iri: str = Field(description="The relation's IRI.")
    predicate_label: str = Field(description="The relation in words, e.g. 'may cause'.")
    group: str | None = Field(
        None, description="The relation's group: causal, sign, anatomy or intervention (see docs/design.md)."
    )
    object: EntitySummary = Field(description="What the subject is related to.")
    statement: str | None = Field(None, description="The claim in plain words.")
    summary: EvidenceCounts = Field(description="Its evidence, counted by stance and kind of source.")
    rather_than: list[EntitySummary] = Field(
        default_factory=list,
        description="For a sign pointing to one origin rather than another (pl:ratherThan): the others.",
    )
    between: list[EntitySummary] = Field(
        default_factory=list,
        description="For a finding said to tell candidates apart (pl:distinguishes): the candidates.",
    )
    disputed: bool = Field(False, description="True when its evidence has more than one stance.")

    @model_validator(mode="after")
    def _link(self) -> ClaimSummary:
        if not self.href:
            self.href = claim_href(self.id)
        return self


class Claim(ClaimSummary):
    """One claim with every item of evidence: supporting, qualifying and contradicting alike."""

    evidence: list[Evidence] = Field(description="Every item of evidence, whatever its stance.")


class ClaimsResponse(Model):
    """Every claim about one entity, each with all its evidence."""

    about: EntitySummary = Field(description="The entity.")
    claims: list[Claim] = Field(description="The claims with it as subject (first) or object.")
