"""What a route can ask FastAPI for: the settings, the store, the knowledge facade, the evaluator.

All of them are built once by the app's lifespan (:func:`painlink.service.app.create_app`) and kept on
``app.state``; these aliases fetch them, so a route says what it needs in its signature::

    from painlink.service.dependencies import KnowledgeDep

    @router.get("/api/entities/{name}")
    def entity(name: str, knowledge: KnowledgeDep) -> EntityModel:
        return EntityModel.of(knowledge.entity(name))

Routes never open stores or load files themselves.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from painlink.graph.knowledge import Knowledge
from painlink.graph.stores import Store
from painlink.service.evaluator import Evaluator
from painlink.service.settings import Settings

__all__ = [
    "EvaluatorDep",
    "KnowledgeDep",
    "SettingsDep",
    "StoreDep",
    "get_evaluator",
    "get_knowledge",
    "get_settings",
    "get_store",
]


def get_settings(request: Request) -> Settings:
    """The service's :class:`~painlink.service.settings.Settings`."""
    return request.app.state.settings


def get_store(request: Request) -> Store:
    """The store the service answers from (embedded, persistent or remote)."""
    return request.app.state.store


def get_knowledge(request: Request) -> Knowledge:
    """The graph facade over that store (search, entities, paths, explain, claims)."""
    return request.app.state.knowledge


def get_evaluator(request: Request) -> Evaluator:
    """Where SPARQL queries and updates run (off the event loop, under the timeout)."""
    return request.app.state.evaluator


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
EvaluatorDep = Annotated[Evaluator, Depends(get_evaluator)]
