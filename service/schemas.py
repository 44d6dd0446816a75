"""The JSON API's response models: what ``/api`` answers, documented field by field for ``/docs``.

They are separate from the engine's answer dataclasses (:mod:`painlink.graph.model`) so the public
JSON can stay stable while the engine changes, and so OpenAPI can describe every field. Each model is
built from an answer's ``to_dict()`` (:meth:`Model.model_validate`), which has the same field names;
keys the models do not declare are dropped.

>>> from painlink.graph.model import EntityRef
>>> ref = EntityRef("foot-pain", "https://w3id.org/painlink/id/foot-pain", "foot pain", "symptom")
>>> EntitySummary.of(ref).href
'/api/entities/foot-pain'
>>> NotFoundError(detail="no entity named 'foot pian'", parameter="id").model_dump()["suggestions"]
[]
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "TRUNCATION_REASONS",
    "Action",
    "Claim",
    "ClaimSummary",
    "ClaimsResponse",
    "Differential",
    "DifferentialOption",
    "DistinguishingSign",
    "Entity",
    "EntitySummary",
    "ErrorMessage",
    "Evidence",
    "EvidenceCounts",
    "ExplainResponse",
    "ExplainedSymptom",
    "Explanation",
    "Intervention",
    "InterventionsResponse",
    "Mapping",
    "Neighbourhood",
    "NotFoundError",
    "Path",
    "PathStep",
    "PathsResponse",
    "Quote",
    "Relation",
    "ScoreBreakdown",
    "SearchHit",
    "SearchResponse",
    "Source",
    "Suggestion",
]

Stance = Literal["supports", "qualifies", "contradicts"]

#: Why a path search stopped early (the engine's codes) and what that means for the reader.
TRUNCATION_REASONS: dict[str, str] = {
    "max_length": "a longer chain may exist beyond max_length",
    "limit": "more chains exist than limit",
    "max_expansions": "the search reached its work cap before it had looked everywhere",
}


def entity_href(entity_id: str) -> str:
    """The API address of an entity."""
    return f"/api/entities/{quote(entity_id, safe='')}"


def claim_href(claim_id: str) -> str:
    """The API address of a claim."""
    return f"/api/claims/{quote(claim_id, safe='')}"


class Model(BaseModel):
    """Base of the response models: built from an answer's ``to_dict()``."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    def of(cls, answer: Any) -> Any:
        """The model of an engine answer (anything with ``to_dict()``)."""
        return cls.model_validate(answer.to_dict())


# --- entities ----------------------------------------------------------------------------------------
class EntitySummary(Model):
    """Just enough of an entity to name it and follow it."""

    id: str = Field(description="The entity's id, its local name under pli: (kebab-case), e.g. 'foot-pain'.")
    iri: str = Field(description="The entity's IRI, e.g. https://w3id.org/painlink/id/foot-pain.")
    label: str = Field(description="Its English label.")
    kind: str | None = Field(
        None,
        description="symptom, anatomy, cause or intervention (null for an untyped node from a user's data).",
    )
    href: str = Field("", description="Where the API describes it: /api/entities/{id}.")

    @model_validator(mode="after")
    def _link(self) -> EntitySummary:
        if not self.href:
            self.href = entity_href(self.id)
        return self


class Mapping(Model):
    """A mapping of an entity to a public ontology term (HPO, UBERON, MONDO, MAxO, MeSH)."""

    relation: Literal["exact", "close"] = Field(
        description="exact (skos:exactMatch: the terms mean the same) "
        "or close (skos:closeMatch: approximate)."
    )
    curie: str = Field(description="The term's compact id, e.g. HP:0025238.")
    iri: str = Field(description="The term's IRI.")
    label: str | None = Field(None, description="The term's label in its ontology.")


# --- claims and evidence ---------------------------------------------------------------------------------
class Source(Model):
    """Where evidence comes from: the article, or a page it cites."""

    id: str = Field(description="The source's id, its local name under pls:.")
    iri: str = Field(description="The source's IRI.")
    title: str | None = Field(None, description="Its title.")
    url: str | None = Field(None, description="Its web address, when it has one.")
    local_copy: str | None = Field(None, description="The file painlink ships it as (the article), if any.")


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


class EvidenceCounts(Model):
    """How much evidence a claim has, by stance."""

    supporting: int = Field(0, description="Items that support the claim.")
    qualifying: int = Field(0, description="Items that qualify it (true only in part, or under conditions).")
    contradicting: int = Field(0, description="Items that contradict it.")
    sources: int = Field(0, description="Distinct sources among them.")
    disputed: bool = Field(False, description="True when the evidence has more than one stance.")


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
    summary: EvidenceCounts = Field(description="Its evidence, counted by stance.")
    disputed: bool = Field(False, description="True when its evidence has more than one stance.")

    @model_validator(mode="after")
    def _link(self) -> ClaimSummary:
        if not self.href:
            self.href = claim_href(self.id)
        return self


class Claim(ClaimSummary):
    """One claim with every item of evidence: supporting, qualifying and contradicting alike."""

    evidence: list[Evidence] = Field(description="Every item of evidence, whatever its stance.")


# --- one entity --------------------------------------------------------------------------------------------
class Relation(Model):
    """One relation between two entities of a neighbourhood."""

    subject: str = Field(description="The subject's id.")
    predicate: str = Field(
        description="The relation's local name under pl: (or 'broader' for the kind-of hierarchy)."
    )
    predicate_label: str = Field(description="The relation in words.")
    group: str | None = Field(
        None, description="causal, sign, anatomy, intervention (null for the hierarchy)."
    )
    object: str = Field(description="The object's id.")
    claim: str | None = Field(None, description="The claim's id, when the relation is a claim with evidence.")
    summary: EvidenceCounts | None = Field(None, description="The claim's evidence, counted by stance.")


class Neighbourhood(Model):
    """The entities within ``depth`` relations of an entity (any direction) and the relations among them."""

    depth: int = Field(description="How many relations away the neighbourhood reaches.")
    nodes: list[EntitySummary] = Field(
        description="The entity itself first, then its neighbours, nearest first."
    )
    edges: list[Relation] = Field(description="Every relation among those nodes.")


class Entity(Model):
    """Everything the graph says about one entity: names, definition, mappings, neighbours and claims."""

    id: str = Field(description="The entity's id (local name under pli:).")
    iri: str = Field(description="The entity's IRI.")
    label: str = Field(description="Its English label.")
    kind: str | None = Field(None, description="symptom, anatomy, cause or intervention.")
    definition: str | None = Field(None, description="What it is, in plain words.")
    synonyms: list[str] = Field(
        default_factory=list, description="Other names people use for it (skos:altLabel)."
    )
    mappings: list[Mapping] = Field(default_factory=list, description="The public ontology terms it maps to.")
    categories: list[str] = Field(
        default_factory=list, description="Its Biolink categories, e.g. biolink:PhenotypicFeature."
    )
    broader: list[EntitySummary] = Field(default_factory=list, description="What it is a kind of.")
    narrower: list[EntitySummary] = Field(default_factory=list, description="The kinds of it.")
    neighbourhood: Neighbourhood = Field(description="Its neighbours and the relations among them.")
    claims: list[ClaimSummary] = Field(
        description="Every claim with the entity as subject (first) or object, with its evidence counted."
    )


class SearchHit(Model):
    """One entity a search found."""

    entity: EntitySummary = Field(description="The entity.")
    matched: str = Field(description="The label or synonym that matched.")
    score: float = Field(
        description="How well it matched, higher is better: about 1 for the whole name, less for part of it."
    )


class SearchResponse(Model):
    """Entities whose label or a synonym matches the search text, best first."""

    query: str = Field(description="The search text, as given.")
    limit: int = Field(description="The most hits asked for.")
    hits: list[SearchHit] = Field(description="The entities found, best first.")


# --- paths ---------------------------------------------------------------------------------------------
class ScoreBreakdown(Model):
    """How a path's score is made: score = edge_mean x length_factor x hub_factor."""

    edge_weights: list[float] = Field(description="Each step's weight (causal strength x evidence weight).")
    edge_mean: float = Field(description="The geometric mean of the step weights.")
    length_factor: float = Field(description="The penalty for length (shorter chains score higher).")
    hub_factor: float = Field(description="The penalty for passing through hubs (very connected nodes).")
    hub_damping: dict[str, float] = Field(
        default_factory=dict, description="Each damped hub's id and the factor it contributed."
    )


class PathStep(Model):
    """One causal step of a chain: the claim, with its evidence, and the weight it carries."""

    claim: Claim = Field(description="The claim the step rests on, with all its evidence.")
    strength: float = Field(
        description="The causal strength of the claim's relation (causes 1.0 ... associatedWith 0.4)."
    )
    evidence_weight: float = Field(
        description="The weight the claim's evidence earns (independent sources, stances)."
    )
    weight: float = Field(description="strength x evidence_weight.")


class Path(Model):
    """A causal chain, its score and breakdown, and a plain-language explanation with the evidence."""

    rank: int | None = Field(
        None,
        description="1 for the best chain, 2 for the next ... "
        "(the ?path index of SERVICE <urn:painlink:paths>).",
    )
    nodes: list[EntitySummary] = Field(
        description="The entities along the chain, from the source to the target."
    )
    steps: list[PathStep] = Field(description="One step per relation along the chain.")
    claims: list[str] = Field(description="The ids of the steps' claims, in order.")
    score: float = Field(description="How well the chain is supported, from 0 to 1 (see breakdown).")
    breakdown: ScoreBreakdown = Field(description="How the score was made.")
    explanation: str = Field("", description="The chain in plain words, with the evidence for each step.")


class PathsResponse(Model):
    """The best causal chains from one entity to another, best first."""

    source: EntitySummary = Field(description="Where the chains start (the 'from' entity).")
    target: EntitySummary = Field(description="Where they end (the 'to' entity).")
    max_length: int = Field(description="The most steps a chain could have in this search.")
    limit: int = Field(description="The most chains asked for.")
    paths: list[Path] = Field(description="The chains found, best first (empty when there is none).")
    truncated: bool = Field(
        False, description="True when a limit may have hidden chains; see truncated_reasons."
    )
    truncated_reasons: list[str] = Field(
        default_factory=list,
        description="Which limits: max_length, limit and/or max_expansions (the work cap).",
    )
    reason: str | None = Field(None, description="The truncation in words (null when nothing was cut).")

    @model_validator(mode="after")
    def _rank_and_explain(self) -> PathsResponse:
        for rank, path in enumerate(self.paths, start=1):
            path.rank = rank
        if self.truncated_reasons and self.reason is None:
            self.reason = "; ".join(TRUNCATION_REASONS.get(code, code) for code in self.truncated_reasons)
        return self


# --- explain -------------------------------------------------------------------------------------------
class ExplainedSymptom(Model):
    """How a candidate cause accounts for one observed symptom."""

    symptom: EntitySummary = Field(description="The observed symptom.")
    strength: float = Field(description="How strongly: the best chain's score, or the sign's weight.")
    paths: list[Path] = Field(
        default_factory=list, description="Causal chains from the cause into the symptom."
    )
    sign: Claim | None = Field(
        None, description="A sign claim (pl:indicates) tying the symptom to the cause, if any."
    )
    via: EntitySummary | None = Field(
        None, description="The broader term the chain reaches, when it is a kind of it."
    )


class DistinguishingSign(Model):
    """A finding that tells one candidate origin from another."""

    sign: EntitySummary = Field(description="The sign or finding.")
    claim: Claim = Field(description="The claim tying it to the candidate, with its evidence.")
    observed: bool = Field(False, description="True when the sign is among the observed symptoms.")


class DifferentialOption(Model):
    """One candidate origin of a symptom in a differential."""

    cause: EntitySummary = Field(description="The candidate origin.")
    locations: list[EntitySummary] = Field(description="Where it sits in the body.")
    path: Path | None = Field(None, description="Its best causal chain to the symptom.")
    signs: list[DistinguishingSign] = Field(description="Signs that point to it rather than to the others.")


class Differential(Model):
    """Different origins for the same symptom, and how to tell them apart."""

    symptom: EntitySummary = Field(description="The observed symptom with several possible origins.")
    options: list[DifferentialOption] = Field(description="The candidate origins.")
    note: str = Field(description="The differential in words.")


class Explanation(Model):
    """A candidate cause of the observed symptoms."""

    cause: EntitySummary = Field(description="The candidate cause.")
    explained: list[ExplainedSymptom] = Field(description="The observed symptoms it accounts for, and how.")
    unexplained: list[EntitySummary] = Field(description="The observed symptoms it does not account for.")
    score: float = Field(description="The mean over the observed symptoms of how strongly it explains each.")
    notes: list[str] = Field(default_factory=list, description="Remarks on this candidate.")
    broader_only: list[EntitySummary] = Field(
        default_factory=list,
        description="When it reaches every symptom only through a broader term (e.g. 'foot problem'), "
        "those terms: a weaker candidate, since the graph does not say it leads to these symptoms in particular.",
    )


class ExplainResponse(Model):
    """Candidate causes of a set of observed symptoms, best first, with the differentials among them."""

    symptoms: list[EntitySummary] = Field(description="The observed symptoms, as resolved.")
    explanations: list[Explanation] = Field(description="Candidate causes, best first.")
    differentials: list[Differential] = Field(
        default_factory=list, description="Symptoms with several possible origins."
    )
    truncated: bool = Field(False, description="True when the limit cut the list of candidates.")


# --- interventions -------------------------------------------------------------------------------------
class Action(Model):
    """What an intervention acts on, and the claim that says so."""

    node: EntitySummary = Field(description="The entity it acts on (a cause on the chains, or the target).")
    claim: Claim = Field(description="The relieves / prevents / worsens claim, with its evidence.")
    via: EntitySummary | None = Field(None, description="The target, when the node is a kind of it.")


class Intervention(Model):
    """One intervention on the causal chains into a target, with the evidence for and against it."""

    intervention: EntitySummary = Field(description="The intervention.")
    effect: Literal["helps", "harms", "mixed"] = Field(
        description="helps (relieves or prevents), harms (worsens) or mixed."
    )
    score: float = Field(description="Its rank score: evidence weight x share of the chains it cuts.")
    acts_on: list[Action] = Field(description="What it acts on.")
    paths_cut: list[int] = Field(
        description="The chains it cuts, as 0-based indexes into the response's paths."
    )
    cuts_all: bool = Field(
        description="True when it cuts every chain into the target (or acts on the target itself)."
    )
    acts_on_target: bool = Field(description="True when it acts on the target itself.")
    evidence_for: list[Evidence] = Field(description="Evidence that supports its claims.")
    evidence_against: list[Evidence] = Field(
        description="Evidence that contradicts its claims (kept and shown)."
    )
    evidence_qualifying: list[Evidence] = Field(
        default_factory=list, description="Evidence that qualifies its claims."
    )


class InterventionsResponse(Model):
    """What acts on the causal chains into a target, helpful interventions first."""

    target: EntitySummary = Field(description="The symptom or condition asked about.")
    paths: list[Path] = Field(description="The causal chains into the target that were considered.")
    interventions: list[Intervention] = Field(
        description="Interventions: helpful first, then harmful, then mixed."
    )
    truncated: bool = Field(False, description="True when a limit cut the chains considered.")


class ClaimsResponse(Model):
    """Every claim about one entity, each with all its evidence."""

    about: EntitySummary = Field(description="The entity.")
    claims: list[Claim] = Field(description="The claims with it as subject (first) or object.")


# --- errors ----------------------------------------------------------------------------------------------
class Suggestion(Model):
    """Something the caller may have meant."""

    id: str = Field(description="Its id.")
    label: str = Field(description="Its label (an entity) or statement (a claim).")
    href: str = Field(description="Its API address.")


class ErrorMessage(Model):
    """An error other than an unknown name or a bad parameter (406: no acceptable format)."""

    detail: str = Field(description="What was wrong and, where it helps, what the route offers instead.")


class NotFoundError(Model):
    """An unknown entity or claim: what was not found and what may have been meant."""

    detail: str = Field(description="What was not found.")
    parameter: str | None = Field(
        None, description="The parameter that named it (id, from, to, symptom, for, about)."
    )
    suggestions: list[Suggestion] = Field(
        default_factory=list, description="The closest matches, best first."
    )
