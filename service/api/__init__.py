"""The explainer's JSON API under ``/api`` (OpenAPI at ``/docs``).

=================================  ==================================================================
``GET /api/entities?q=&limit=``    entities whose label or a synonym matches ``q``, best first
``GET /api/entities/{id}``         one entity: names, definition, mappings, neighbours, claims
``GET /api/paths?from=&to=``       the best causal chains between two entities (``max_length``, ``limit``)
``GET /api/explain?symptom=...``   candidate causes of the observed symptoms (``symptom`` repeated)
``GET /api/interventions?for=``    what acts on the causal chains into a symptom or condition
``GET /api/claims/{id}``           one claim with all its evidence, for and against
``GET /api/claims?about=``         every claim about one entity, with its evidence
=================================  ==================================================================

Entities are named by id (``foot-pain``), IRI, CURIE (``pli:foot-pain``), label or synonym.
``/api/entities/{id}`` and ``/api/claims/{id}`` also answer ``Accept: application/ld+json`` (a compacted
JSON-LD document with painlink's IRIs, :mod:`painlink.service.jsonld`; JSON-LD's ``compacted`` profile
may be asked for) and ``text/turtle``.

Errors, always JSON and decided before any search runs:

* an unknown entity or claim: 404 ``{"detail", "parameter", "suggestions": [{"id", "label", "href"}]}``;
* a bad parameter (missing, not a number, out of range, given twice, or refused by the engine): 422 in
  FastAPI's shape, ``{"detail": [{"loc": ["query" or "path", NAME], "msg": REASON, "type", "input"}]}``;
* an ``Accept`` the route cannot satisfy: 406 ``{"detail"}`` naming the formats it has.

The package: :mod:`~painlink.service.api.routing` (a route from a declaration, the errors),
:mod:`~painlink.service.api.reading` (a request's values, names resolved), one module per resource adding its routes to
:data:`~painlink.service.api.routing.router` (:mod:`~painlink.service.api.entities`, :mod:`~painlink.service.api.chains`,
:mod:`~painlink.service.api.claims`) and the Swagger page (:mod:`~painlink.service.api.docs`).

Each route answers one question of :data:`painlink.graph.QUESTIONS` (:data:`ROUTES`): its query
parameters, their defaults and bounds, its summary and the OpenAPI description of each come from the
declaration, with the server's caps (settings ``max_path_length``, ``max_answers``) applied
(:func:`painlink.service.questions.served`) -- the same as every other face.
"""

from __future__ import annotations

from . import entities, chains, claims  # noqa: F401 -- each adds its resource's routes to the router
from .docs import docs_router
from .routing import ROUTES, bound_documents, router

__all__ = ["ROUTES", "bound_documents", "docs_router", "router"]
