"""Validating painlink data: the SHACL shapes (``shapes.ttl``, run with pyshacl) plus the QC queries
(``qc/*-violation.sparql``, each must return no rows), reported together.

A user's extension file refers to shipped entities, so by default it is validated merged with the shipped
graph; everything reported is wrong in the merged graph (the shipped graph alone validates clean).

>>> report = validate(shipped_graph())
>>> report.conforms, report.violations
(True, [])
>>> from rdflib import Graph
>>> extension = Graph().parse(data='''
...     @prefix pl: <https://w3id.org/painlink/vocab#> . @prefix pli: <https://w3id.org/painlink/id/> .
...     pli:foot-pain pl:causes pli:back-pain .''', format="turtle")
>>> report = validate(extension)
>>> report.conforms
False
>>> [(v.shape, v.path, v.value) for v in report.errors]   # doctest: +NORMALIZE_WHITESPACE
[('plsh:RelationClaimShape', 'https://w3id.org/painlink/vocab#causes', 'https://w3id.org/painlink/id/back-pain')]
>>> print(report.text().splitlines()[5])
  The relation pli:foot-pain pl:causes pli:back-pain has no claim: add a pl:Claim with this rdf:subject, rdf:predicate and rdf:object and at least one pl:hasEvidence (only anatomical relations may stand without one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from . import NAMESPACES, QC_DIR, SHAPES_PATH, bind_namespaces, shipped_graph

__all__ = ["ValidationReport", "Violation", "qc_queries", "validate"]

SH = Namespace("http://www.w3.org/ns/shacl#")
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Violation:
    """One thing wrong with the data.

    ``focus`` is the node at fault, ``path`` the property concerned (SHACL property-path syntax, or
    None), ``value`` the offending value if any, ``message`` what is wrong in plain words, ``severity``
    ``"Violation"`` (rejects the data) or ``"Warning"``/``"Info"`` (reported only), and ``shape`` the
    shape (e.g. ``plsh:ClaimShape``) or QC file (``qc/claim-id-violation.sparql``) that found it. Nodes
    are given as full IRIs or literal text.
    """

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` is True when nothing of severity Violation was
    found (warnings do not count); ``violations`` lists every finding, violations first."""

    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Violation]:
        """The findings that reject the data (severity Violation)."""
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The findings reported but not rejecting the data."""
        return [v for v in self.violations if v.severity != "Violation"]

    def text(self) -> str:
        """A readable report: a summary line, then one block per finding with IRIs shortened to prefixes.

        >>> print(ValidationReport().text())
        Conforms: no violations, no warnings.
        >>> finding = Violation("https://w3id.org/painlink/id/x", "http://www.w3.org/2000/01/rdf-schema#label",
        ...                     None, "An entity must have exactly one rdfs:label.", "Violation", "plsh:EntityShape")
        >>> print(ValidationReport([finding]).text())
        Does not conform: 1 violation, no warnings.
        <BLANKLINE>
        Violation: pli:x
          property: rdfs:label
          An entity must have exactly one rdfs:label.
          (found by plsh:EntityShape)
        """
        errors, warnings = len(self.errors), len(self.warnings)
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {_count(errors, 'violation')}, {_count(warnings, 'warning')}."]
        for v in self.violations:
            lines += ["", f"{v.severity}: {_compact(v.focus)}"]
            if v.path:
                lines.append(f"  property: {_compact_iris(v.path)}")
            if v.value is not None:
                lines.append(f"  value: {_compact(v.value)}")
            lines += [f"  {_compact_iris(v.message)}", f"  (found by {v.shape})"]
        return "\n".join(lines)


def validate(data: Graph, *, include_shipped: bool = True) -> ValidationReport:
    """Check ``data`` with the SHACL shapes and the QC queries.

    With ``include_shipped`` (the default) ``data`` is merged with the shipped graph first, as a user's
    extension file must be (it uses shipped entities and schema); pass False to check ``data`` exactly
    as given (it then needs the schema in it for the relation checks). ``data`` itself is not changed.
    """
    merged = shipped_graph() if include_shipped else bind_namespaces(Graph())
    for triple in data:
        merged.add(triple)
    shacl = _shacl_findings(merged)
    # A QC query may find the very fault a shape found (same node, property and value): report it once.
    seen = {(v.focus, v.path, v.value) for v in shacl if v.path is not None}
    qc = [v for v in _qc_findings(merged) if (v.focus, v.path, v.value) not in seen]
    ordered = sorted(set(shacl + qc), key=lambda v: (v.severity != "Violation", v.shape, v.focus, v.path or "", v.value or ""))
    return ValidationReport(ordered)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@lru_cache(maxsize=1)
def qc_queries() -> dict[str, Query]:
    """The QC queries, prepared once: ``{"qc/NAME-violation.sparql": query}``, in name order."""
    return {f"qc/{path.name}": prepareQuery(path.read_text(encoding="utf-8")) for path in sorted(QC_DIR.glob("*-violation.sparql"))}


def _shacl_findings(graph: Graph) -> list[Violation]:
    shapes = _shapes()
    # inference stays off: RDFS domain/range entailment would add kinds to entities and hide mistakes.
    # advanced: the shapes use SPARQL targets (SHACL Advanced Features) to keep SPARQL checks fast.
    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, allow_infos=True,
        inplace=True,
    )
    findings = []
    # only the report's own results: nested sh:detail results repeat them in less helpful words
    for result in results.objects(None, SH.result):
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        findings.append(
            Violation(
                focus=_text(results.value(result, SH.focusNode)),
                path=_path_text(results, path) if path is not None else None,
                value=_text(value) if value is not None else None,
                message=str(results.value(result, SH.resultMessage) or "constraint not met"),
                severity=_SEVERITIES.get(results.value(result, SH.resultSeverity), "Violation"),
                shape=_shape_name(shapes, results.value(result, SH.sourceShape)),
            )
        )
    return findings


def _qc_findings(graph: Graph) -> list[Violation]:
    findings = []
    for name, query in qc_queries().items():
        for row in graph.query(query):
            bindings = row.asdict()
            findings.append(
                Violation(
                    focus=_text(bindings.get("focus")),
                    path=_text(bindings["path"]) if "path" in bindings else None,
                    value=_text(bindings["value"]) if "value" in bindings else None,
                    message=str(bindings.get("message", f"{name} found this node")),
                    severity="Violation",
                    shape=name,
                )
            )
    return findings


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path_text(graph: Graph, path: Node) -> str:
    # SHACL property paths: an IRI, or a blank node for an inverse / alternative / sequence path.
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, p) for p in graph.items(alternatives))
    if graph.value(path, RDF.first) is not None:
        return " / ".join(_path_text(graph, p) for p in graph.items(path))
    return _text(path)


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    # A property shape or a shape inside sh:or is a blank node: name the named shape that holds it.
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        shape = next(shapes.subjects(None, shape), None)
    return _compact(str(shape)) if shape is not None else "shapes.ttl"


_PREFIXES = sorted({**NAMESPACES, "plsh": "https://w3id.org/painlink/shapes#"}.items(), key=lambda kv: -len(kv[1]))


def _compact(text: str) -> str:
    for prefix, iri in _PREFIXES:
        if text.startswith(iri) and " " not in text:
            return f"{prefix}:{text[len(iri):]}"
    return text


def _compact_iris(text: str) -> str:
    # IRIs inside a path (joined by ^, | and " / ") or a message become prefixed names
    return re.sub(r"https?://[^\s|^,;()]+", lambda match: _compact(match.group(0)), text)


def _count(n: int, word: str) -> str:
    return f"no {word}s" if n == 0 else f"{n} {word}" + ("s" if n != 1 else "")
