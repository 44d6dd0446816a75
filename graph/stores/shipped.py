"""The shipped ontology in a lasting store: :func:`sync_shipped`.

A persistent or remote store outlives the painlink release that filled it, so the ontology files a
release ships may differ from the ones already in the store. :func:`sync_shipped` keeps a record --
the SHA-256 of the shipped files and the exact triples it loaded -- and on each start:

* empty store, no record: load the shipped triples (first start);
* record with the same hash: do nothing (the usual restart, cheap: no parse);
* record with another hash (painlink was upgraded): apply the difference in one atomic update --
  remove the triples the old release shipped and the new one does not, add the new ones. Triples
  the user added are kept; a shipped triple the user deleted stays deleted unless the new release
  changed it. A triple both shipped by the old release and asserted by the user is removed with the
  old release (RDF cannot tell the two assertions apart);
* data but no record (a store filled by hand or by another tool): add the shipped triples. RDF
  stores are sets, so nothing is duplicated.

The shipped files must not contain blank nodes: a blank node cannot be matched across two parses,
so it could never be removed again (:class:`ShippedOntologyError`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .errors import ShippedOntologyError
from .interface import Store
from .rdf import parse_file
from .values import SyncReport

__all__ = ["SHIPPED_RECORD", "sync_shipped"]

#: The name of the record (:meth:`Store.get_record`) that says which shipped ontology a store holds.
SHIPPED_RECORD = "shipped-ontology"


def _shipped_digest(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _shipped_triples(files: Sequence[Path]) -> set[str]:
    """The shipped triples as N-Triples lines (canonical enough to compare: pyoxigraph writes one
    form per term)."""
    lines = set()
    for path in files:
        try:
            for quad in parse_file(path):
                if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
                    raise ShippedOntologyError(
                        f"{path} contains a blank node ({quad.subject} {quad.predicate} {quad.object}); "
                        "shipped files must name every node with an IRI so an upgrade can remove it"
                    )
                lines.add(f"{quad.subject} {quad.predicate} {quad.object} .")
        except SyntaxError as error:
            raise ShippedOntologyError(str(error)) from None
    return lines


def _damaged_record(store: Store, problem: str) -> ShippedOntologyError:
    path = getattr(store, "path", None)
    where = str(path / "records" / SHIPPED_RECORD) if path is not None else f"the record {SHIPPED_RECORD!r}"
    return ShippedOntologyError(
        f"{where} is damaged ({problem}); nothing was changed: restore it from a backup, or delete it "
        "to merge the shipped ontology into the store again"
    )


def _record_digest(store: Store, record: bytes) -> str:
    """The digest on the record's first line, checked before anything trusts it."""
    first = record.split(b"\n", 1)[0]
    if len(first) != 64 or any(byte not in b"0123456789abcdef" for byte in first):
        raise _damaged_record(store, "its first line is not a SHA-256 digest")
    return first.decode()


def _record_triples(store: Store, record: bytes) -> set[str]:
    """The triples the record says were shipped, parsed first so a damaged record never reaches an update."""
    try:
        body = record.split(b"\n", 1)[1] if b"\n" in record else b""
        lines = set(body.decode().split("\n")) - {""}
        for _ in ox.parse(body, ox.RdfFormat.N_TRIPLES):
            pass
    except (UnicodeDecodeError, SyntaxError) as error:
        raise _damaged_record(store, f"not N-Triples: {str(error).splitlines()[0]}") from None
    return lines


def sync_shipped(store: Store, files: Sequence[str | Path]) -> SyncReport:
    """Bring the shipped ontology in ``store`` up to date with ``files`` (the policy is in the module
    docstring). Safe to call on every start; a crash half-way is repaired by the next call, because
    the record is written only after the store holds the new triples and applying a difference twice
    changes nothing.

    >>> import tempfile
    >>> from painlink.graph.stores import OxigraphStore
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "o.ttl").write_text("<http://e/a> <http://e/p> <http://e/b> .")
    >>> store = OxigraphStore()
    >>> sync_shipped(store, [folder / "o.ttl"]).action, len(store)
    ('loaded', 1)
    >>> sync_shipped(store, [folder / "o.ttl"]).action
    'unchanged'
    >>> _ = (folder / "o.ttl").write_text("<http://e/a> <http://e/p> <http://e/c> .")
    >>> report = sync_shipped(store, [folder / "o.ttl"])
    >>> report.action, report.removed, report.added
    ('upgraded', 1, 1)
    >>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['http://e/c']
    """
    paths = [Path(f) for f in files]
    digest = _shipped_digest(paths)
    with store.write_lock:
        record = store.get_record(SHIPPED_RECORD)
        if record is not None and _record_digest(store, record) == digest:
            return SyncReport("unchanged", digest)
        new = _shipped_triples(paths)
        if record is None:
            action = "loaded" if len(store) == 0 else "merged"
            removed: set[str] = set()
            added = new
        else:
            old = _record_triples(store, record)
            removed, added = old - new, new - old
            action = "upgraded"
        if removed or added:
            parts = []
            if removed:
                parts.append("DELETE DATA {\n" + "\n".join(sorted(removed)) + "\n}")
            if added:
                parts.append("INSERT DATA {\n" + "\n".join(sorted(added)) + "\n}")
            store.update(" ;\n".join(parts))
        store.put_record(SHIPPED_RECORD, (digest + "\n" + "\n".join(sorted(new))).encode())
        return SyncReport(action, digest, added=len(added), removed=len(removed))
