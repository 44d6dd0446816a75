"""Causal paths inside SPARQL: ``SERVICE <urn:painlink:paths> { ... }`` runs the path engine and joins
its ranked chains with the rest of the query.

A SPARQL user asks for the chains between two entities with one pattern; each row is one step of one
chain, so the chains come back as a table that joins with anything else in the store (labels,
evidence, mappings)::

    PREFIX pl:   <https://w3id.org/painlink/vocab#>
    PREFIX pli:  <https://w3id.org/painlink/id/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?path ?step ?subjectLabel ?p ?objectLabel ?score WHERE {
      SERVICE <urn:painlink:paths> {
        [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:maxLength 4 ; pl:limit 3 ;
           pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:predicate ?p ; pl:object ?o ; pl:score ?score .
      }
      ?s rdfs:label ?subjectLabel . ?o rdfs:label ?objectLabel .
    } ORDER BY ?path ?step

Inside the block, one subject (``[]``, ``[ ... ]``, a blank node or a variable) carries

* inputs -- ``pl:from`` and ``pl:to`` (required): an entity IRI, CURIE or a name in quotes (label or
  synonym, as everywhere in painlink); ``pl:maxLength`` and ``pl:limit`` (optional integers, the
  defaults and bounds of ``/api/paths``: settings ``max_path_length`` and ``max_answers``);
* outputs -- each takes its own variable: ``pl:path`` (1 for the best chain, 2 for the next ...),
  ``pl:step`` (1, 2 ... along the chain), ``pl:subject``, ``pl:predicate``, ``pl:object`` (the step's
  relation, as IRIs), ``pl:claim`` (the claim's IRI, for its evidence), ``pl:score`` (the chain's score,
  ``xsd:double``), ``pl:weight`` (the step's weight), ``pl:length`` (the chain's number of steps),
  ``pl:explanation`` (the chain in plain words) and, for the red flags the question raises (see
  :mod:`painlink.graph.redflags`), ``pl:redFlag`` (the most urgent one's IRI), ``pl:urgency`` (its
  urgency: emergency, urgent, soon, routine) and ``pl:warning`` (every alert in words, most urgent
  first). These are bound on every row; when there is no chain but a red flag, one row binds them
  alone, so a warning is never lost because no chain was found.

The chains, their order and their scores are exactly those of ``GET /api/paths`` (both call
:meth:`painlink.graph.Knowledge.paths`). When the search cannot run (an unknown name, a limit out of
range) ``SERVICE SILENT`` is, as SPARQL 1.1 Federated Query says of a failed ``SERVICE SILENT``, one
solution with no bindings -- the rest of the query still answers, with the outputs unbound -- instead
of a 400; a malformed block is always a 400.

The package: :mod:`~painlink.service.pathservice.block` (IRI, inputs, outputs, :class:`PathCall`),
:mod:`~painlink.service.pathservice.reader` and :mod:`~painlink.service.pathservice.calls` (reading the
blocks), :mod:`~painlink.service.pathservice.answers` (the search and the ``VALUES`` table).

How it works: the endpoint (:mod:`painlink.service.sparql`) hands the query text to
:func:`expand_paths` before evaluation; the block is found with the endpoint's own SPARQL tokenizer,
the search runs, and the block is replaced by a ``VALUES`` table of the outputs -- which joins with the
rest of the pattern exactly as the SERVICE result would. The rewritten query then runs like any other,
with the endpoint's result formats, timeout and result-size cap. Only this IRI is answered locally;
``SERVICE`` to any other address stays refused unless the operator allows federation.

>>> calls = find_calls('''PREFIX pl: <https://w3id.org/painlink/vocab#>
... SELECT * { SERVICE <urn:painlink:paths> { [] pl:from "foot pain" ; pl:to "back pain" ; pl:path ?n } }''')
>>> calls[0].inputs, calls[0].outputs
({'from': 'foot pain', 'to': 'back pain'}, {'path': 'n'})
"""

from __future__ import annotations

from .answers import expand_paths, search, values_block
from .block import INPUTS, OUTPUTS, PathCall, PathServiceError, SERVICE_IRI
from .calls import find_calls

__all__ = [
    "INPUTS",
    "OUTPUTS",
    "SERVICE_IRI",
    "PathCall",
    "PathServiceError",
    "expand_paths",
    "find_calls",
    "search",
    "values_block",
]
