"""The networkx projection of the RDF: built with a handful of SPARQL SELECTs (so it works the same on
an embedded and a remote store), never by reading files, and moved forward by each write's difference
rather than built again when that difference is known and small.

* Nodes are entities, keyed by id (``foot-pain``; the full IRI for an entity outside ``pli:``), with
  ``label``, ``kind``, ``definition`` and ``synonyms``.
* Edges of the :class:`networkx.MultiDiGraph` run subject -> object and are keyed by claim id; each
  carries ``predicate`` (local name), ``group`` (``causal`` / ``sign`` / ``anatomy`` / ``intervention``
  from the schema's ``pl:propertyGroup``, or ``hierarchy`` for ``skos:broader``), ``strength`` (the
  predicate's ``pl:causalStrength``, 0 when it has none), ``claim`` (the :class:`~painlink.graph.model.Claim`
  with its evidence, None for a plain fact such as standard anatomy) and ``summary`` (items per
  stance and independent sources).

Property groups and causal strengths are read from the graph, so a schema change needs no code change.

The modules: :mod:`.names` (IRIs, ids, CURIEs), :mod:`.schema` (properties, sources), :mod:`.entities`,
:mod:`.evidence`, :mod:`.claims` (claims and plain facts), :mod:`.flags` (red flags) read the store;
:mod:`.build` makes a whole :class:`Projection` (:mod:`.snapshot`); :mod:`.patch` makes the next one from
a write's difference; :mod:`.cache` holds the current one.

>>> from painlink.graph.stores import OxigraphStore
>>> import pyoxigraph as ox
>>> store = OxigraphStore()
>>> store.load(TINY.encode(), ox.RdfFormat.TURTLE)
>>> projection = build_projection(store)
>>> sorted(projection.graph.nodes)
['a', 'b']
>>> [(u, v, key, data["group"], data["strength"]) for u, v, key, data in projection.graph.edges(keys=True, data=True)]
[('a', 'b', 'a--causes--b', 'causal', 1.0)]
>>> projection.claims["a--causes--b"].summary
EvidenceSummary(supporting=1, qualifying=0, contradicting=0, sources=1, by_kind={'supports': {'guideline': 1}}, weak_sources_only=False)
"""

from .build import build_projection
from .cache import ProjectionCache
from .evidence import summarise
from .example import TINY
from .names import WEAK_KINDS, PropertyInfo, curie, entity_id
from .snapshot import Change, Projection

__all__ = [
    "TINY", "WEAK_KINDS", "Change", "Projection", "ProjectionCache", "PropertyInfo", "build_projection", "curie",
    "entity_id", "summarise",
]
