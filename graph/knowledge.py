"""The facade the service, the pages and the CLI use to ask the graph questions.

:class:`Knowledge` wraps one :class:`~painlink.graph.stores.Store`. Every question reads the current
:class:`~painlink.graph.projection.Projection` (rebuilt when ``store.version`` moves, thread-safe) and
answers with the dataclasses of :mod:`painlink.graph.model`; names are resolved with
:mod:`painlink.graph.lookup`, so every method taking an entity accepts an id, IRI, CURIE, label or
synonym. Unknown names raise :class:`~painlink.graph.exceptions.UnknownEntityError` with suggestions,
bad parameters :class:`~painlink.graph.exceptions.InvalidParameterError`, before any work.

>>> knowledge = Knowledge.shipped()
>>> knowledge.resolve("Trouble lifting the foot").id
'foot-drop'
>>> best = knowledge.paths("foot pain", "back pain").paths[0]
>>> [node.id for node in best.nodes]
['foot-pain', 'altered-gait', 'spinal-misalignment', 'back-pain']
>>> knowledge.explain(["foot numbness", "foot weakness"]).explanations[0].cause.id
'sciatica'
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path as FilePath

from painlink.ontology import NAMESPACES, SHIPPED_FILES

from .admission import DataAdmission
from .chains import DEFAULT_LIMIT, DEFAULT_MAX_LENGTH, causal_paths
from .exceptions import InvalidParameterError, UnknownClaimError
from .explain import DEFAULT_EXPLAIN_LENGTH, DEFAULT_EXPLAIN_LIMIT, explain_symptoms
from .interventions import interventions_for
from .lookup import DEFAULT_SEARCH_LIMIT, Lookup
from .model import (
    Claim,
    Entity,
    ExplainResult,
    InterventionResult,
    NeighbourEdge,
    Neighbourhood,
    PathResult,
    RedFlagAlert,
    SearchHit,
    Subgraph,
    SubgraphEdge,
)
from .limits import MAX_COUNT_LIMIT, MAX_LENGTH_LIMIT, check_int
from .projection import Projection, ProjectionCache
from .redflags import red_flag_alerts
from .stores import OxigraphStore, Store
from .vocabulary import EXPORT_FORMATS

log = logging.getLogger("painlink.graph")

__all__ = ["DEFAULT_DEPTH", "EXPORT_FORMATS", "MAX_DEPTH", "MAX_NEIGHBOURHOOD_NODES", "Knowledge"]

#: How many relations around an entity its neighbourhood reaches unless asked, and at most.
DEFAULT_DEPTH = 1
MAX_DEPTH = 3
MAX_NEIGHBOURHOOD_NODES = 200


class Knowledge(DataAdmission):
    """Questions over one store (and, from :class:`~painlink.graph.admission.DataAdmission`, data in and
    out). Safe to share between threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache = ProjectionCache(store)
        # Violations already in the store: a user's file is judged only on what it adds.
        self._baseline_lock = threading.Lock()
        self._baseline: tuple[int, frozenset] | None = None
        self._preparing_lock = threading.Lock()
        self._preparing: threading.Thread | None = None

    # --- construction ---------------------------------------------------------------------------
    @classmethod
    def shipped(cls, extra_files: Iterable[str | FilePath] = (), *, store: Store | None = None) -> Knowledge:
        """The shipped ontology in a fresh in-memory store (or ``store``, which should be empty), plus
        ``extra_files`` -- validated together, all or nothing
        (:class:`~painlink.graph.exceptions.DataRejectedError` otherwise)."""
        knowledge = cls(store if store is not None else OxigraphStore())
        knowledge.store.load_files(SHIPPED_FILES)
        extra = list(extra_files)
        if extra:
            knowledge.add_files(extra)
        return knowledge

    @property
    def projection(self) -> Projection:
        """The networkx projection of the current store version (see :mod:`painlink.graph.projection`)."""
        return self._cache.get()

    def prepare(self) -> None:
        """Build what questions need (the projection and the name index) now, not on the first question.

        On a large graph this takes seconds (about 1.5 s at 10k entities); a service calls it at
        start-up so its first user does not wait. Questions asked meanwhile wait for this build
        rather than starting their own.
        """
        self._lookup(self.projection)

    def prepare_in_background(self) -> threading.Thread:
        """Run :meth:`prepare` in a daemon thread (unless one is already running) and return it.

        A service calls it at start-up and after each write, so path questions find the engine
        ready. The thread prepares again if the store moved on while it worked (a few times at most);
        a failure is logged and left for the next question to meet and report.
        """
        with self._preparing_lock:
            if self._preparing is None or not self._preparing.is_alive():
                self._preparing = threading.Thread(target=self._prepare_quietly, name="painlink-prepare", daemon=True)
                self._preparing.start()
            return self._preparing

    def wait_prepared(self, timeout: float | None = None) -> None:
        """Wait for a background :meth:`prepare` to finish (at most ``timeout`` seconds)."""
        thread = self._preparing
        if thread is not None:
            thread.join(timeout)

    def _prepare_quietly(self) -> None:
        try:
            for _round in range(3):
                version = self.store.version
                self.prepare()
                if self.store.version == version:
                    return
        except Exception as error:  # noqa: BLE001 -- the next question rebuilds and reports it itself
            log.warning("could not prepare the path engine in the background: %s", error)

    def _lookup(self, projection: Projection | None = None) -> Lookup:
        projection = projection or self.projection
        # After a write the index follows the entities that changed rather than being built again.
        return projection.derived("lookup", lambda p: Lookup(p.entities.values()),
                                  lambda lookup, _, p, change: lookup.updated(change.entities, p.entities))

    # --- entities -------------------------------------------------------------------------------
    def resolve(self, name: str) -> Entity:
        """The entity ``name`` names (id, IRI, CURIE, label or synonym; case-insensitive)."""
        return self._lookup().resolve(name)

    entity = resolve

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[SearchHit]:
        """Entities whose label or a synonym contains ``text``, best first (see :mod:`painlink.graph.lookup`)."""
        check_int("limit", limit, 1, MAX_COUNT_LIMIT)
        return self._lookup().search(text, limit)

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Every entity (of ``kind`` if given), by label."""
        items = self.projection.entities.values()
        return sorted((e for e in items if kind is None or e.kind == kind), key=lambda e: e.label.casefold())

    def neighbourhood(self, name: str, depth: int = DEFAULT_DEPTH) -> Neighbourhood:
        """The entities within ``depth`` relations (any direction, any group) of the entity, and the
        relations among them; at most ``MAX_NEIGHBOURHOOD_NODES`` nodes, nearest first."""
        check_int("depth", depth, 1, MAX_DEPTH)
        projection = self.projection
        center = self._lookup(projection).resolve(name)
        graph = projection.graph
        order = [center.id]
        seen = {center.id}
        frontier = [center.id]
        for _ in range(depth):
            following = []
            for node in frontier:
                for other in sorted(set(graph.successors(node)) | set(graph.predecessors(node))):
                    if other not in seen and len(order) < MAX_NEIGHBOURHOOD_NODES:
                        seen.add(other)
                        order.append(other)
                        following.append(other)
            frontier = following
        edges = [
            NeighbourEdge(u, data["predicate"], data["predicate_label"], data["group"], v,
                          data["claim"].id if data["claim"] is not None else None, data["summary"])
            for u, v, _, data in graph.subgraph(order).edges(keys=True, data=True)
        ]
        edges.sort(key=lambda e: (e.subject, e.predicate, e.object))
        return Neighbourhood(center, depth, tuple(projection.ref(n) for n in order), tuple(edges))

    def names(self, *, synonyms: bool = False) -> list[str]:
        """Every entity's label (and, with ``synonyms``, every lay synonym), sorted case-insensitively,
        each once: for name pickers and autocomplete. Made once per graph version."""

        def build(projection: Projection) -> list[str]:
            names = {entity.label for entity in projection.entities.values()}
            if synonyms:
                names |= {synonym for entity in projection.entities.values() for synonym in entity.synonyms}
            return sorted(names, key=str.casefold)

        return self.projection.derived("names+synonyms" if synonyms else "names", build)

    def subgraph(self, nodes: Iterable[str] | None = None) -> Subgraph:
        """The entities ``nodes`` (ids; every entity when None; unknown ids are left out), by label,
        and every relation among them."""
        projection = self.projection
        graph = projection.graph
        chosen = list(graph.nodes) if nodes is None else [node for node in dict.fromkeys(nodes) if node in graph]
        entities = [projection.entities.get(node) or _plain_entity(projection.ref(node)) for node in chosen]
        entities.sort(key=lambda entity: (entity.label.casefold(), entity.id))
        edges = tuple(
            SubgraphEdge(str(key), u, v, data["predicate"], data["predicate_label"] or data["predicate"],
                         data["group"], data["claim"], data.get("strength") or None)
            for u, v, key, data in graph.subgraph(chosen).edges(keys=True, data=True)
        )
        return Subgraph(tuple(entities), edges)

    # --- claims ---------------------------------------------------------------------------------
    def claim(self, claim_id: str) -> Claim:
        """A claim by id (``foot-pain--causes--altered-gait``), ``plc:`` CURIE or IRI."""
        claims = self.projection.claims
        key = claim_id.strip()
        for prefix in (NAMESPACES["plc"], "plc:"):
            key = key.removeprefix(prefix)
        if key not in claims:
            raise UnknownClaimError(claim_id)
        return claims[key]

    def claim_ids(self) -> list[str]:
        """Every claim's id (for "did you mean" over mistyped claim ids)."""
        return list(self.projection.claims)

    def claims_about(self, name: str) -> list[Claim]:
        """Every claim with the entity as subject or object: as subject first, then by id."""
        entity = self.resolve(name)
        claims = [c for c in self.projection.claims.values() if entity.id in (c.subject.id, c.object.id)]
        return sorted(claims, key=lambda c: (c.subject.id != entity.id, c.id))

    # --- questions ------------------------------------------------------------------------------
    def paths(
        self, source: str, target: str, *, max_length: int = DEFAULT_MAX_LENGTH, limit: int = DEFAULT_LIMIT
    ) -> PathResult:
        """The best causal paths from ``source`` to ``target`` (see :mod:`painlink.graph.paths`)."""
        check_int("max_length", max_length, 1, MAX_LENGTH_LIMIT)
        check_int("limit", limit, 1, MAX_COUNT_LIMIT)
        projection = self.projection
        lookup = self._lookup(projection)
        start, end = lookup.resolve(source), lookup.resolve(target)
        if start.id == end.id:
            raise InvalidParameterError("target", f"{target!r} names the same entity as the source ({start.label})")
        result = causal_paths(projection, start.id, end.id, max_length=max_length, limit=limit)
        shown = [node.id for path in result.paths for node in path.nodes]
        return dataclasses.replace(result, red_flags=red_flag_alerts(projection, [start.id, end.id], shown=shown))

    def explain(
        self, symptoms: Sequence[str], *, limit: int = DEFAULT_EXPLAIN_LIMIT, max_length: int = DEFAULT_EXPLAIN_LENGTH
    ) -> ExplainResult:
        """Causes that would explain the observed ``symptoms`` (see :mod:`painlink.graph.explain`)."""
        if isinstance(symptoms, str):
            symptoms = [symptoms]
        if not symptoms:
            raise InvalidParameterError("symptoms", "name at least one observed symptom or sign")
        projection = self.projection
        lookup = self._lookup(projection)
        ids = [lookup.resolve(name).id for name in symptoms]
        result = explain_symptoms(projection, ids, limit=limit, max_length=max_length)
        shown = [item.cause.id for item in result.explanations]
        return dataclasses.replace(result, red_flags=red_flag_alerts(projection, ids, shown=shown))

    def interventions(self, target: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> InterventionResult:
        """Interventions on the causal chains into ``target`` (see :mod:`painlink.graph.interventions`)."""
        projection = self.projection
        node = self._lookup(projection).resolve(target).id
        result = interventions_for(projection, node, max_length=max_length)
        shown = [n.id for path in result.paths for n in path.nodes]
        return dataclasses.replace(result, red_flags=red_flag_alerts(projection, [node], shown=shown))

    def red_flags(self, names: Sequence[str]) -> tuple[RedFlagAlert, ...]:
        """The red-flag warnings and reminders for a question about ``names`` (see
        :mod:`painlink.graph.redflags`): what an entity page or any other face shows first."""
        projection = self.projection
        lookup = self._lookup(projection)
        return red_flag_alerts(projection, [lookup.resolve(name).id for name in names])

    def stats(self) -> dict[str, int]:
        """How much the graph holds: entities, claims (and how many are disputed), evidence items,
        sources, mappings, triples."""
        projection = self.projection
        return {
            "entities": len(projection.entities),
            "claims": len(projection.claims),
            "disputed": sum(1 for claim in projection.claims.values() if claim.disputed),
            "evidence": len({e.iri for c in projection.claims.values() for e in c.evidence}),
            "sources": len({e.source.iri for c in projection.claims.values() for e in c.evidence}),
            "mappings": sum(len(e.mappings) for e in projection.entities.values()),
            "triples": len(self.store),
        }


def _plain_entity(ref) -> Entity:
    # A node the graph relates but does not describe (no kind, no label of its own): its name only.
    return Entity(ref.id, ref.iri, ref.label, ref.kind)
