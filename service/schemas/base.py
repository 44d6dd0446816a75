"""The base of the response models, the API addresses they link to, and the summary naming an entity."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, model_validator

from painlink.graph.vocabulary import STANCES

__all__ = ["claim_href", "entity_href", "EntitySummary", "Model", "SourceKind", "Stance"]


Stance = Literal[tuple(STANCES)]  # type: ignore[valid-type]  -- the one table of stances


#: The schema's pl:SourceKind labels (the shipped ones; a user's data may add kinds, so the field is
#: a string and this only documents what to expect).
SourceKind = str


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
