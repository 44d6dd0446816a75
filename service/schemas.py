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

from painlink.graph.vocabulary import STANCES

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
    "ParameterError",
    "ParameterProblem",
    "Path",
    "PathStep",
    "PathsResponse",
    "Quote",
    "RedFlag",
    "RedFlagAlert",
    "Relation",
    "ScoreBreakdown",
    "SearchHit",
    "SearchResponse",
    "Source",
    "Suggestion",
]

Stance = Literal[tuple(STANCES)]  # type: ignore[valid-type]  -- the one table of stances
#: The schema's pl:SourceKind labels (the shipped ones; a user's data may add kinds, so the field is
#: a string and this only documents what to expect).
SourceKind = str

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


# --- red flags ------------------------------------------------------------------------------------------
class RedFlag(Model):
    """A presentation to rule out before anything else: the serious condition, its signs, the urgency,
    what to do, and who says so."""

    id: str = Field(description="The red flag's id (local name under plr:).")
    iri: str = Field(description="Its IRI.")
    label: str = Field(description="Its name, e.g. 'Possible cauda equina syndrome'.")
    condition: EntitySummary = Field(description="The serious condition it warns of.")
    signs: list[EntitySummary] = Field(description="The signs that raise it.")
    urgency: str = Field(
        description="How urgently to act: emergency (now: A&E / 999), urgent (same day), soon, routine."
    )
    urgency_rank: int = Field(description="1 for the most urgent.")
    action: str = Field(description="What to do, in plain words.")
    evidence: list[Evidence] = Field(description="The sources that say so, each with its kind.")
    ask_about: list[EntitySummary] = Field(
        default_factory=list, description="What to ask about directly: patients rarely mention it unless asked."
    )
    questions: list[str] = Field(default_factory=list, description="Questions to ask, in plain words.")
    screens_for: list[EntitySummary] = Field(
        default_factory=list, description="Presentations in which to ask its questions even when no sign is named."
    )


class RedFlagAlert(Model):
    """A red flag raised by this question: a warning, or a reminder of what to ask."""

    level: Literal["warning", "reminder"] = Field(
        description="warning: the question names a sign, the condition, or something that can lead to it; "
        "reminder: a presentation in which to ask about its signs."
    )
    flag: RedFlag = Field(description="The red flag.")
    trigger: EntitySummary = Field(description="The entity of the question (or the answer) that raised it.")
    reason: str = Field(description="How it was raised, in words.")


RED_FLAGS_FIELD = Field(
    default_factory=list,
    description="Red-flag warnings (most urgent first) and reminders, before any ranking: never ranked away.",
)


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

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD

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
    rationale: str = Field(
        "", description="Why it ranks where it does: its weakest step, that step's sources by kind, its length."
    )
    via_source: EntitySummary | None = Field(
        None, description="The term asked for, when the chain starts at a kind of it (null otherwise)."
    )
    via_target: EntitySummary | None = Field(
        None, description="The term asked for, when the chain ends at a kind of it (low back pain for back pain)."
    )


class PathsResponse(Model):
    """The best causal chains from one entity to another, best first."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
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
        None, description="The term the chain reaches when it is not the symptom itself (see match)."
    )
    match: Literal["exact", "narrower", "broader"] = Field(
        "exact",
        description="exact: the symptom itself; narrower: a kind of it (via); broader: only a term it is a "
        "kind of (via), which does not explain the symptom and is never counted.",
    )


class DistinguishingSign(Model):
    """A finding that tells one candidate origin from another."""

    sign: EntitySummary = Field(description="The sign or finding.")
    claim: Claim = Field(description="The claim tying it to the candidate, with its evidence.")
    observed: bool = Field(False, description="True when the sign is among the observed symptoms.")
    points_to: EntitySummary | None = Field(None, description="The candidate it points to.")
    rather_than: list[EntitySummary] = Field(
        default_factory=list, description="The alternatives it speaks against, or (not_distinguishing) between."
    )


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
    not_distinguishing: list[DistinguishingSign] = Field(
        default_factory=list,
        description="Findings a source says do NOT tell these origins apart (e.g. the pattern of sensory loss).",
    )


class Explanation(Model):
    """A candidate cause of the observed symptoms."""

    cause: EntitySummary = Field(description="The candidate cause.")
    explained: list[ExplainedSymptom] = Field(description="The observed symptoms it accounts for, and how.")
    unexplained: list[EntitySummary] = Field(description="The observed symptoms it does not account for.")
    score: float = Field(description="The mean over the observed symptoms of how strongly it explains each.")
    unspecific: list[ExplainedSymptom] = Field(
        default_factory=list,
        description="Symptoms it reaches only through a broader term: not explained, not counted in the score.",
    )
    broader_only: list[EntitySummary] = Field(
        default_factory=list,
        description="When it explains no symptom specifically, the broader terms it reaches (e.g. 'foot "
        "problem'): the graph does not say it leads to these symptoms in particular.",
    )


class ExplainResponse(Model):
    """Candidate causes of a set of observed symptoms, best first, with the differentials among them."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
    symptoms: list[EntitySummary] = Field(description="The observed symptoms, as resolved.")
    explanations: list[Explanation] = Field(description="Candidate causes that explain a symptom specifically, best first.")
    unspecific: list[Explanation] = Field(
        default_factory=list,
        description="Candidates that reach the symptoms only through broader terms, after every specific one.",
    )
    differentials: list[Differential] = Field(
        default_factory=list, description="Symptoms with several possible origins."
    )
    truncated: bool = Field(False, description="True when the limit cut the list of candidates.")


# --- interventions -------------------------------------------------------------------------------------
class Action(Model):
    """What an intervention acts on, and the claim that says so."""

    node: EntitySummary = Field(description="The entity it acts on (a cause on the chains, or the target).")
    claim: Claim = Field(description="The relieves / prevents / worsens claim, with its evidence.")
    via: EntitySummary | None = Field(None, description="The target, when the node is a kind of it or covers it.")
    relation: Literal["target", "narrower", "broader", "upstream"] = Field(
        "target",
        description="target (the target itself), narrower (a kind of it), broader (a term covering it), or "
        "upstream (a cause on a chain into it: its evidence is about that cause, not counted for the target).",
    )


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
    evidence_for: list[Evidence] = Field(description="Evidence that supports its claims about the target.")
    evidence_against: list[Evidence] = Field(
        description="Evidence that contradicts its claims about the target (kept and shown)."
    )
    evidence_qualifying: list[Evidence] = Field(
        default_factory=list, description="Evidence that qualifies its claims about the target."
    )
    evidence_upstream: list[Evidence] = Field(
        default_factory=list,
        description="Evidence on what it does to causes upstream of the target (not counted for the target).",
    )
    weighed: str = Field(
        "", description="The sides about the target by kind of source, e.g. 'for: 1 commercial page; against: "
        "1 guideline, 2 systematic reviews'."
    )
    disputed: bool = Field(False, description="True when sources both support and contradict it for the target.")


class InterventionsResponse(Model):
    """What acts on the causal chains into a target, helpful interventions first."""

    red_flags: list[RedFlagAlert] = RED_FLAGS_FIELD
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


class ParameterProblem(Model):
    """One bad parameter, in FastAPI's own shape."""

    loc: list[str | int] = Field(description='Where: ["query" or "path", the parameter\'s name].')
    msg: str = Field(description="What is wrong with it: the value given and the allowed range.")
    type: str = Field(description="A short code: value_error, missing, repeated ...")
    input: Any = Field(None, description="The value given (None when it was missing).")


class ParameterError(Model):
    """A bad parameter (missing, not a number, out of range, given twice, refused by the engine)."""

    detail: list[ParameterProblem] = Field(description="The problem, one item.")


class NotFoundError(Model):
    """An unknown entity or claim: what was not found and what may have been meant."""

    detail: str = Field(description="What was not found.")
    parameter: str | None = Field(
        None, description="The parameter that named it (id, from, to, symptom, for, about)."
    )
    suggestions: list[Suggestion] = Field(
        default_factory=list, description="The closest matches, best first."
    )
