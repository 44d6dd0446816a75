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

from .answer import Answer
from .claims import Claim, Evidence, EvidenceSummary, Quote, Source
from .entities import Entity, EntityRef, Mapping, SearchHit, SearchResult
from .explain import (
    Differential,
    DifferentialOption,
    DistinguishingSign,
    ExplainResult,
    ExplainedSymptom,
    Explanation,
)
from .interventions import Action, InterventionAnswer, InterventionResult
from .paths import Path, PathResult, PathStep, ScoreBreakdown
from .redflags import RedFlag, RedFlagAlert, RedFlagReport, URGENCIES
from .reports import ClaimList, EntityReport, NeighbourEdge, Neighbourhood, Subgraph, SubgraphEdge

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
    "URGENCIES",
]
