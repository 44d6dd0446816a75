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

from .base import EntitySummary, Model, SourceKind, Stance, claim_href, entity_href
from .claims import Claim, ClaimSummary, ClaimsResponse, Evidence, EvidenceCounts, Quote, Source
from .entities import Entity, Mapping, Neighbourhood, Relation, SearchHit, SearchResponse
from .errors import ErrorMessage, NotFoundError, ParameterError, ParameterProblem, Suggestion
from .explain import (
    Differential,
    DifferentialOption,
    DistinguishingSign,
    ExplainResponse,
    ExplainedSymptom,
    Explanation,
)
from .interventions import Action, Intervention, InterventionsResponse
from .paths import Path, PathStep, PathsResponse, ScoreBreakdown, TRUNCATION_REASONS
from .redflags import RED_FLAGS_FIELD, RedFlag, RedFlagAlert

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
    "Model",
    "entity_href",
    "claim_href",
    "Stance",
    "SourceKind",
    "RED_FLAGS_FIELD",
]
