"""Which store holds the RDF.

Every part of painlink talks to RDF through one small interface, :class:`Store`
(:mod:`~painlink.graph.stores.interface`), so the SPARQL endpoint, the path engine and the pages work
the same on every backend:

* :class:`OxigraphStore` (:mod:`~painlink.graph.stores.embedded`) -- the embedded engine
  (pyoxigraph), in memory or persistent in a data directory;
* :class:`RemoteStore` (:mod:`~painlink.graph.stores.remote`, over
  :mod:`~painlink.graph.stores.protocol`) -- any SPARQL 1.1 server.

:func:`open_store` (:mod:`~painlink.graph.stores.opening`) picks one from the settings and
:func:`sync_shipped` (:mod:`~painlink.graph.stores.shipped`) puts the shipped ontology into it. The
errors are in :mod:`~painlink.graph.stores.errors`, the result and report types in
:mod:`~painlink.graph.stores.values`, file formats and the replacement update in
:mod:`~painlink.graph.stores.rdf`.

Results are pyoxigraph objects on every backend (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``) so callers never branch on the store.
"""

from .embedded import OxigraphStore
from .errors import (
    ShippedOntologyError,
    StoreError,
    StoreFullError,
    StoreOpenError,
    StoreReadOnlyError,
    StoreUnavailableError,
    says_disk_full,
)
from .interface import Store
from .opening import default_data_dir, open_store
from .rdf import rdf_format_for, replacement_update
from .records import RECORDS_GRAPH
from .remote import RemoteStore
from .shipped import sync_shipped
from .values import DEFAULT_GRAPH, LoadProgress, LoadReport, QueryResult, SyncReport

__all__ = [
    "Store",
    "OxigraphStore",
    "RemoteStore",
    "RECORDS_GRAPH",
    "QueryResult",
    "DEFAULT_GRAPH",
    "StoreError",
    "StoreOpenError",
    "StoreUnavailableError",
    "StoreReadOnlyError",
    "StoreFullError",
    "ShippedOntologyError",
    "says_disk_full",
    "LoadProgress",
    "LoadReport",
    "SyncReport",
    "rdf_format_for",
    "replacement_update",
    "open_store",
    "sync_shipped",
    "default_data_dir",
]
