"""The answers painlink's graph engine gives: frozen dataclasses the service, the pages and the CLI share.

Every answer has ``to_dict()``, a JSON-ready rendering (tuples become lists, nested answers dicts), so the
service can hand it to pydantic and the CLI to ``json.dumps`` without knowing the classes.

>>> ref = EntityRef("foot-pain", "https://w3id.org/painlink/id/foot-pain", "foot pain", "symptom")
>>> ref.to_dict()["label"]
'foot pain'
>>> summary = EvidenceSummary(supporting=2, qualifying=0, contradicting=1, sources=3)
>>> summary.disputed
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

__all__ = [
    "Action",
    "ClaimList",
    "EntityReport",
    "RedFlag",
    "RedFlagReport",
    "SearchResult",
    "Subgraph",
    "SubgraphEdge",
    "RedFlagAlert",
    "Answer",
    "Claim",
    "Differential",
    "DifferentialOption",
    "DistinguishingSign",
    "Entity",
    "EntityRef",
    "Evidence",
    "EvidenceSummary",
    "ExplainResult",
    "ExplainedSymptom",
    "Explanation",
    "InterventionAnswer",
    "InterventionResult",
    "Mapping",
    "NeighbourEdge",
    "Neighbourhood",
    "Path",
    "PathResult",
    "PathStep",
    "Quote",
    "ScoreBreakdown",
    "SearchHit",
    "Source",
]



def _plain(value: Any) -> Any:
    # Recursion over dataclasses by hand rather than dataclasses.asdict: asdict deep-copies every leaf
    # and cannot leave out derived properties we want in the JSON (e.g. Path.claims is not a field).
    if isinstance(value, Answer):
        return value.to_dict()
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


class Answer:
    """Mixin: ``to_dict()`` for every answer dataclass."""

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready dicts, lists, strings and numbers."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


# --- entities ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mapping(Answer):
    """One mapping of an entity to a public ontology term: ``relation`` is ``exact`` or ``close``."""

    relation: str
    curie: str
    iri: str
    label: str | None = None


@dataclass(frozen=True)
class EntityRef(Answer):
    """Just enough of an entity to name it: id (``foot-pain``), IRI, label and kind
    (``symptom`` / ``anatomy`` / ``cause`` / ``intervention``; ``None`` for an untyped node)."""

    id: str
    iri: str
    label: str
    kind: str | None = None


@dataclass(frozen=True)
class Entity(Answer):
    """Everything the graph says about one entity, apart from its relations (see :class:`Neighbourhood`)."""

    id: str
    iri: str
    label: str
    kind: str | None
    definition: str | None = None
    synonyms: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    categories: tuple[str, ...] = ()
    broader: tuple[EntityRef, ...] = ()
    narrower: tuple[EntityRef, ...] = ()

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.iri, self.label, self.kind)


@dataclass(frozen=True)
class SearchHit(Answer):
    """One search result: the entity, the text that matched (label or a synonym) and how well
    (``score`` 1.0 for an exact match, lower for partial ones)."""

    entity: EntityRef
    matched: str
    score: float


@dataclass(frozen=True)
class SearchResult(Answer):
    """The answer to the ``search`` question: the text asked for, the limit, the hits best first."""

    query: str
    limit: int
    hits: tuple[SearchHit, ...]


# --- claims and evidence -------------------------------------------------------------------------
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


# --- red flags -----------------------------------------------------------------------------------
#: Urgencies, most urgent first (the schema's ``pl:Urgency`` individuals carry the same labels and ranks).
URGENCIES = ("emergency", "urgent", "soon", "routine")


@dataclass(frozen=True)
class RedFlag(Answer):
    """A presentation that must be ruled out before anything else (``pl:RedFlag``): the serious
    ``condition`` it warns of, the ``signs`` that raise it, how urgently to act (``urgency``: one of
    :data:`URGENCIES`, ``urgency_rank`` 1 = most urgent), what to do (``action``, our words), the
    evidence that says so (with its sources and their kinds), what to ask directly because patients
    rarely volunteer it (``ask_about``, ``questions``) and the presentations in which to ask
    (``screens_for``)."""

    id: str
    iri: str
    label: str
    condition: EntityRef
    signs: tuple[EntityRef, ...]
    urgency: str
    urgency_label: str
    urgency_rank: int
    action: str
    evidence: tuple[Evidence, ...]
    ask_about: tuple[EntityRef, ...] = ()
    questions: tuple[str, ...] = ()
    screens_for: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class RedFlagAlert(Answer):
    """A red flag raised by a question. ``level`` is ``warning`` (the question names a sign of it, the
    serious condition, or something the graph says can lead to it) or ``reminder`` (a presentation in
    which its questions should be asked although no sign was named). ``trigger`` is the entity of the
    question that raised it and ``reason`` says how, in words."""

    flag: RedFlag
    level: str
    trigger: EntityRef
    reason: str


def _red_flags_first(data: dict[str, Any]) -> dict[str, Any]:
    # JSON readers (and people reading JSON) meet the warnings before any ranking.
    return {"red_flags": data.pop("red_flags", []), **data}


# --- paths ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreBreakdown(Answer):
    """How a path's score was made (see :mod:`painlink.graph.paths` for the formula):
    ``score = edge_mean * length_factor * hub_factor``."""

    edge_weights: tuple[float, ...]
    edge_mean: float
    length_factor: float
    hub_factor: float
    hub_damping: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PathStep(Answer):
    """One causal step of a path: the claim, the causal strength of its predicate, the weight its
    evidence earns, and their product ``weight``."""

    claim: Claim
    strength: float
    evidence_weight: float
    weight: float


@dataclass(frozen=True)
class Path(Answer):
    """A causal chain from ``nodes[0]`` to ``nodes[-1]``: one step per edge, a score, its breakdown
    and a plain-language explanation with the evidence for each step."""

    nodes: tuple[EntityRef, ...]
    steps: tuple[PathStep, ...]
    score: float
    breakdown: ScoreBreakdown
    explanation: str = ""
    #: Why it ranks where it does, in words: the grounds of its weakest step and what the score weighs.
    rationale: str = ""
    #: When the question named a broader term than where the chain starts or ends (back pain, and the
    #: chain ends at low back pain): the term asked for. None when the chain starts/ends at it.
    via_source: EntityRef | None = None
    via_target: EntityRef | None = None

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(step.claim.id for step in self.steps)

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.nodes)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "claims": list(self.claims)}


@dataclass(frozen=True)
class PathResult(Answer):
    """The best paths between two entities, best first. ``truncated`` says a limit cut the search
    short; ``truncated_reasons`` says which (max length, max count, search budget)."""

    source: EntityRef
    target: EntityRef
    paths: tuple[Path, ...]
    max_length: int
    limit: int
    truncated: bool = False
    truncated_reasons: tuple[str, ...] = ()
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _red_flags_first(super().to_dict())


# --- explain ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExplainedSymptom(Answer):
    """How a candidate cause accounts for one observed symptom: by causal ``paths`` into it or into a
    term it is a kind of (``via`` names that term when so), or by a sign ``claim`` (``pl:indicates``)
    pointing to the cause. ``strength`` is the best path score (or the sign's weight)."""

    symptom: EntityRef
    strength: float
    paths: tuple[Path, ...] = ()
    sign: Claim | None = None
    via: EntityRef | None = None
    #: How the candidate reaches the symptom: ``exact`` (the symptom itself, or -- with ``via`` -- a
    #: sign the symptom is a kind of), ``narrower`` (a kind of
    #: it, named by ``via``: foot drop for "foot problem") or ``broader`` (only a term it is a kind of,
    #: named by ``via``: "foot problem" for foot numbness). A ``broader`` reach does not explain the
    #: symptom: a cause of the broad term is not a cause of the specific one.
    match: str = "exact"

    @property
    def specific(self) -> bool:
        """True when it explains the symptom itself or a kind of it."""
        return self.match != "broader"


@dataclass(frozen=True)
class DistinguishingSign(Answer):
    """A finding that tells one candidate origin from another: the ``sign`` (a symptom or finding)
    and the claim that ties it to the candidate (``indicates`` it, or caused by it)."""

    sign: EntityRef
    claim: Claim
    observed: bool = False
    #: The candidate it points to, and the alternatives it speaks against (``pl:ratherThan``).
    points_to: EntityRef | None = None
    rather_than: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class DifferentialOption(Answer):
    """One candidate origin of a symptom in a differential, where it sits in the body and the signs
    that point to it."""

    cause: EntityRef
    locations: tuple[EntityRef, ...]
    path: Path | None
    signs: tuple[DistinguishingSign, ...]


@dataclass(frozen=True)
class Differential(Answer):
    """Different origins for the same observed symptom (e.g. foot drop from the lower back vs from the
    peroneal nerve at the knee), each with the signs that tell them apart, and a note in words."""

    symptom: EntityRef
    options: tuple[DifferentialOption, ...]
    note: str
    #: Findings a source says do *not* tell these origins apart (a contradicted ``pl:distinguishes``).
    not_distinguishing: tuple[DistinguishingSign, ...] = ()


@dataclass(frozen=True)
class Explanation(Answer):
    """A candidate cause of the observed symptoms: what it explains, what it leaves unexplained, its
    score (see :mod:`painlink.graph.explain`) and the paths that support it."""

    cause: EntityRef
    explained: tuple[ExplainedSymptom, ...]
    unexplained: tuple[EntityRef, ...]
    score: float
    #: Symptoms it reaches only through a broader term (not explained, not counted in the score).
    unspecific: tuple[ExplainedSymptom, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(path for item in self.explained for path in item.paths)

    @property
    def broader_only(self) -> tuple[EntityRef, ...]:
        """The broader terms it reaches when it explains *no* symptom specifically (the graph says it
        leads to "foot problem", not to foot numbness in particular); empty otherwise. Such candidates
        are listed apart, after every specific one, as unspecific."""
        if self.explained:
            return ()
        return tuple({item.via.id: item.via for item in self.unspecific if item.via is not None}.values())

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "broader_only": _plain(self.broader_only)}


@dataclass(frozen=True)
class ExplainResult(Answer):
    """Candidate causes for the observed symptoms, best first, and the differentials among them."""

    symptoms: tuple[EntityRef, ...]
    explanations: tuple[Explanation, ...]
    differentials: tuple[Differential, ...] = ()
    truncated: bool = False
    #: Candidates that reach the symptoms only through broader terms: shown after every specific one,
    #: never counted as explaining a symptom.
    unspecific: tuple[Explanation, ...] = ()
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _red_flags_first(super().to_dict())


# --- interventions ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action(Answer):
    """An intervention acting on one node: the claim (``relieves`` / ``prevents`` / ``worsens``) and
    the node it acts on; ``via`` names the target when the node is a kind of it (low back pain for
    back pain)."""

    node: EntityRef
    claim: Claim
    via: EntityRef | None = None
    #: How the node stands to the target: ``target`` (it is the target), ``narrower`` (a kind of the
    #: target), ``broader`` (a term that covers the target) or ``upstream`` (a cause on a chain into it).
    #: Only the first three speak about the target itself; upstream evidence is about that cause.
    relation: str = "target"

    @property
    def on_target(self) -> bool:
        return self.relation != "upstream"


@dataclass(frozen=True)
class InterventionAnswer(Answer):
    """One intervention for a target: what it acts on, which causal paths into the target it cuts
    (indexes into :attr:`InterventionResult.paths`), whether it cuts them all (a node cut between the
    upstream causes and the target, or acting on the target itself), and every item of evidence on its
    claims: for (supports), against (contradicts) and qualifying. ``effect`` is ``helps`` (relieves or
    prevents), ``harms`` (worsens) or ``mixed``."""

    intervention: EntityRef
    acts_on: tuple[Action, ...]
    paths_cut: tuple[int, ...]
    cuts_all: bool
    acts_on_target: bool
    evidence_for: tuple[Evidence, ...]
    evidence_against: tuple[Evidence, ...]
    evidence_qualifying: tuple[Evidence, ...] = ()
    effect: str = "helps"
    score: float = 0.0
    #: Evidence on what it does to causes upstream of the target (not counted for the target).
    evidence_upstream: tuple[Evidence, ...] = ()
    #: The sides of the evidence about the target, weighed by kind of source, in words
    #: ("for: 1 commercial page; against: 1 guideline, 2 systematic reviews").
    weighed: str = ""

    @property
    def disputed(self) -> bool:
        """True when sources both support and contradict what it is said to do to the target."""
        return bool(self.evidence_for and self.evidence_against)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "disputed": self.disputed}


@dataclass(frozen=True)
class InterventionResult(Answer):
    """What acts on the causal chains into ``target``: the paths considered and the interventions,
    helpful ones first."""

    target: EntityRef
    paths: tuple[Path, ...]
    interventions: tuple[InterventionAnswer, ...]
    truncated: bool = False
    #: Warnings and reminders that open the answer (see :class:`RedFlagAlert`); never ranked away.
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _red_flags_first(super().to_dict())


# --- neighbourhood -------------------------------------------------------------------------------
@dataclass(frozen=True)
class NeighbourEdge(Answer):
    """One relation around an entity. ``claim`` is the claim id (None for plain anatomical facts and
    for the ``broader`` hierarchy)."""

    subject: str
    predicate: str
    predicate_label: str
    group: str | None
    object: str
    claim: str | None = None
    summary: EvidenceSummary | None = None


@dataclass(frozen=True)
class Neighbourhood(Answer):
    """The entities within ``depth`` relations of ``center`` and the relations among them."""

    center: Entity
    depth: int
    nodes: tuple[EntityRef, ...]
    edges: tuple[NeighbourEdge, ...]


# --- composite answers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EntityReport(Answer):
    """The answer to the ``entity`` question: the entity, its neighbourhood and every claim about it
    (as subject first), after the red flags it raises. ``to_dict()`` flattens the entity's own fields
    into the top level (the JSON API's shape)."""

    entity: Entity
    neighbourhood: Neighbourhood
    claims: tuple[Claim, ...]
    red_flags: tuple[RedFlagAlert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "red_flags": _plain(self.red_flags),
            **self.entity.to_dict(),
            "neighbourhood": self.neighbourhood.to_dict(),
            "claims": _plain(self.claims),
        }


@dataclass(frozen=True)
class ClaimList(Answer):
    """The answer to the ``claims`` question: every claim about one entity, as subject first."""

    about: EntityRef
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class RedFlagReport(Answer):
    """The answer to the ``red_flags`` question: the warnings and reminders for the entities named."""

    about: tuple[EntityRef, ...]
    red_flags: tuple[RedFlagAlert, ...]

    def to_dict(self) -> dict[str, Any]:
        return _red_flags_first(super().to_dict())


# --- subgraphs (what a page draws) ---------------------------------------------------------------
@dataclass(frozen=True)
class SubgraphEdge(Answer):
    """One relation of a :class:`Subgraph`: ``subject`` -> ``object`` (ids) by ``predicate`` (its local
    name, and its label), in property ``group`` (``causal``, ``sign``, ``anatomy``, ``intervention`` or
    ``hierarchy``). ``key`` tells apart two relations between the same ends (the claim id when there
    is one); ``claim`` is the claim behind it (None for a plain fact such as standard anatomy);
    ``strength`` the causal strength of a causal property."""

    key: str
    subject: str
    object: str
    predicate: str
    predicate_label: str
    group: str | None
    claim: Claim | None = None
    strength: float | None = None


@dataclass(frozen=True)
class Subgraph(Answer):
    """Some entities (by label) and every relation among them: what a drawing of the map shows."""

    nodes: tuple[Entity, ...]
    edges: tuple[SubgraphEdge, ...]
