"""The file every system of the benchmark loads at a size (bench/generate.py's graph after the
shipped ontology), made once and kept in bench/results/data/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import generate  # (bench/ is a folder of scripts, not a package)
from processes import RESULTS

__all__ = ["bench_data"]


def bench_data(label: str, entities: int) -> Path:
    """The file every system loads at this size: the shipped ontology followed by the synthetic graph.

    painlink puts the shipped ontology (its schema: which predicates are causal and how strong) in
    every store it opens, and the path engine needs it; the peers and the remote store's server get
    the same triples from this file, so all of them hold exactly the same data."""
    synthetic = RESULTS / "data" / f"synthetic-{label}.nt"
    if not synthetic.exists():
        print(f"[{label}] generating {synthetic.name}", file=sys.stderr)
        generate.write(entities, synthetic)
    data = RESULTS / "data" / f"bench-{label}.nt"
    if not data.exists() or data.stat().st_mtime < synthetic.stat().st_mtime:
        import pyoxigraph as ox

        from painlink.graph.stores import OxigraphStore, sync_shipped
        from painlink.ontology import SHIPPED_FILES

        store = OxigraphStore()
        sync_shipped(store, SHIPPED_FILES)
        with open(data, "wb") as out, open(synthetic, "rb") as graph:
            out.write(store.dump(ox.RdfFormat.N_TRIPLES))
            shutil.copyfileobj(graph, out)
    return data
