"""The graph engine: the store, the networkx projection and the answers built on it.

Use :class:`Knowledge` (the facade), the question declarations of :mod:`painlink.graph.questions`
(:data:`QUESTIONS`: every face renders them) and the answer classes of :mod:`painlink.graph.model`; the modules
behind it are :mod:`~painlink.graph.stores` (where the RDF lives), :mod:`~painlink.graph.projection`,
:mod:`~painlink.graph.lookup`, :mod:`~painlink.graph.paths`, :mod:`~painlink.graph.chains`,
:mod:`~painlink.graph.narrate`, :mod:`~painlink.graph.explain` and :mod:`~painlink.graph.interventions`.
"""

from .exceptions import (
    DataRejectedError,
    GraphError,
    InvalidParameterError,
    UnknownClaimError,
    UnknownEntityError,
)
from .knowledge import EXPORT_FORMATS, Knowledge
from .questions import QUESTIONS, Parameter, Question, bounded

__all__ = [
    "EXPORT_FORMATS",
    "DataRejectedError",
    "GraphError",
    "InvalidParameterError",
    "Knowledge",
    "Parameter",
    "QUESTIONS",
    "Question",
    "UnknownClaimError",
    "UnknownEntityError",
    "bounded",
]
