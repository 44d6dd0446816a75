"""Data in and out of the graph: the export, and the one admission path for a user's data files
(parsed, merged, validated with the shipped SHACL shapes and QC queries, then loaded all or nothing).
:class:`~painlink.graph.knowledge.Knowledge` has these methods from :class:`DataAdmission`."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path as FilePath

import pyoxigraph as ox

from painlink.ontology import NAMESPACES

from .exceptions import DataRejectedError, InvalidParameterError
from .stores import Store
from .vocabulary import EXPORT_FORMATS

__all__ = ["DataAdmission"]


class DataAdmission:
    """The export and the admission of data files, over ``self.store``; the violations already in the
    store are remembered per store version (a user's file is judged only on what it adds)."""

    store: Store
    _baseline_lock: threading.Lock
    _baseline: tuple[int, frozenset] | None

    def export(self, format: str = "ttl") -> bytes:
        """The whole default graph serialised as ``ttl``, ``nt`` or ``jsonld`` (read with a SPARQL
        CONSTRUCT, so it works on every store)."""
        if format not in EXPORT_FORMATS:
            raise InvalidParameterError("format", f"unknown format {format!r}: use one of {', '.join(EXPORT_FORMATS)}")
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        fmt = EXPORT_FORMATS[format]
        prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else dict(NAMESPACES)
        return ox.serialize(list(triples), format=fmt, prefixes=prefixes)

    def add_file(self, source: str | FilePath | bytes, format: str | None = None, *, name: str | None = None) -> int:
        """Add one data file (a path, or bytes with ``format``: ``turtle``/``ttl``, ``nt``, ``json-ld``).

        The file is parsed, merged with the current graph and validated with the shipped SHACL shapes and
        QC queries; only if it parses and adds no violation is it loaded, in one atomic write. Otherwise
        :class:`~painlink.graph.exceptions.DataRejectedError` says why and the store is unchanged.
        Returns the number of triples in the file.
        """
        return self.add_files([(source, format, name)])

    def add_files(self, sources: Iterable) -> int:
        """Add several files all or nothing; each item is a path or a ``(source, format, name)`` tuple.
        Returns the number of triples read."""
        from rdflib import Graph

        from painlink.ontology.datafile import read_data
        from painlink.ontology.exceptions import OntologyParseError, UnsupportedFormatError

        incoming = Graph()
        labels = []
        for item in sources:
            source, fmt, label = item if isinstance(item, tuple) else (item, None, None)
            label = label or (str(source) if not isinstance(source, bytes) else "<data>")
            labels.append(label)
            try:
                incoming += read_data(source, format=fmt, name=label)
            except OntologyParseError as error:
                raise DataRejectedError("parse", [error.reason], source=error.source, line=error.line,
                                        column=error.column) from None
            except UnsupportedFormatError as error:
                raise DataRejectedError("format", [str(error)], source=label) from None
            except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
                raise DataRejectedError("file", [f"cannot read it: {error.strerror or error}"], source=label) from None
        with self.store.write_lock:
            # Holding the write lock keeps the graph we validate against the one we add to.
            self._validate_addition(incoming, ", ".join(labels))
            data = incoming.serialize(format="nt", encoding="utf-8")
            if len(incoming):
                self.store.load(data, ox.RdfFormat.N_TRIPLES)
        return len(incoming)

    def _current_graph(self):
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=self.export("nt").decode("utf-8"), format="nt")
        return graph

    def _baseline_violations(self) -> frozenset:
        from painlink.ontology.validation import validate

        with self._baseline_lock:
            version = self.store.version
            if self._baseline is None or self._baseline[0] != version:
                report = validate(self._current_graph(), include_shipped=False)
                self._baseline = (version, frozenset(report.errors))
            return self._baseline[1]

    def _validate_addition(self, incoming, label: str) -> None:
        from painlink.ontology.validation import ValidationReport, validate

        merged = self._current_graph()
        merged += incoming
        report = validate(merged, include_shipped=False)
        new = [v for v in report.errors if v not in self._baseline_violations()]
        if new:
            only_new = ValidationReport(new + report.warnings)
            messages = [_violation_line(v) for v in new]
            raise DataRejectedError("validation", messages, source=label, report=only_new)


def _violation_line(violation) -> str:
    from painlink.ontology.validation import ValidationReport

    # Reuse the report's own wording (prefixed IRIs): its block for one finding, on one line.
    block = ValidationReport([violation]).text().split("\n\n", 1)[1]
    return " ".join(part.strip() for part in block.splitlines())


