"""Linked-data documents for the JSON API: an entity or a claim as RDF, read from the store with a
SPARQL ``CONSTRUCT`` and written as compacted JSON-LD (or Turtle) with painlink's own IRIs.

The JSON answers of ``/api`` are shaped for programs that know painlink; these are for programs that
know RDF. An entity's document holds its own triples (labels, definition, synonyms, mappings, kinds,
relations), the entities and terms that point at it, the labels of everything it mentions and its
claims; a claim's document holds the claim, every evidence item (stance, source, quote selector or
summary), the sources and the labels of its subject and object.

>>> from painlink.graph.knowledge import Knowledge
>>> store = Knowledge.shipped().store
>>> document = json.loads(describe(store, "https://w3id.org/painlink/id/foot-pain", "entity", "jsonld"))
>>> document["@context"]["pli"]
'https://w3id.org/painlink/id/'
>>> [node["label"] for node in document["@graph"] if node["@id"] == "pli:foot-pain"]
['foot pain']
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from painlink.graph.stores import Store
from painlink.ontology import NAMESPACES
from painlink.service.formats import GRAPH_FORMATS

__all__ = ["CONTEXT", "FORMATS", "describe"]

_RDFS, _SKOS, _PL = NAMESPACES["rdfs"], NAMESPACES["skos"], NAMESPACES["pl"]

#: The JSON-LD context of the documents: the project's prefixes, English as the default language, and
#: short names for the properties every document uses (IRI-valued ones typed ``@id``).
CONTEXT: dict[str, object] = {
    **NAMESPACES,
    "@language": "en",
    "label": {"@id": _RDFS + "label"},
    "definition": {"@id": _SKOS + "definition"},
    "synonym": {"@id": _SKOS + "altLabel"},
    "exactMatch": {"@id": _SKOS + "exactMatch", "@type": "@id"},
    "closeMatch": {"@id": _SKOS + "closeMatch", "@type": "@id"},
    "broader": {"@id": _SKOS + "broader", "@type": "@id"},
    "statement": {"@id": _PL + "statement"},
    "evidence": {"@id": _PL + "hasEvidence", "@type": "@id"},
    "stance": {"@id": _PL + "stance", "@type": "@id"},
    "source": {"@id": _PL + "source", "@type": "@id"},
    "summary": {"@id": _PL + "summary"},
}

#: Output format name -> media type (from the one table of answer formats, service/formats.py).
FORMATS = {key: GRAPH_FORMATS[key].media_type for key in ("jsonld", "turtle")}

_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in NAMESPACES.items())

# {it} is replaced by the resource's IRI (a store IRI the caller resolved, never user text).
_ENTITY = """CONSTRUCT {
  {it} ?p ?o . ?o rdfs:label ?olabel .
  ?s ?q {it} . ?s rdfs:label ?slabel .
  ?c a pl:Claim ; rdf:subject ?cs ; rdf:predicate ?cp ; rdf:object ?co ; pl:statement ?statement .
} WHERE {
  { {it} ?p ?o OPTIONAL { ?o rdfs:label ?olabel FILTER(!isBlank(?o)) } }
  UNION { ?s ?q {it} FILTER NOT EXISTS { ?s a pl:Claim } OPTIONAL { ?s rdfs:label ?slabel } }
  UNION { ?c rdf:subject {it} ; rdf:subject ?cs ; rdf:predicate ?cp ; rdf:object ?co ; a pl:Claim
          OPTIONAL { ?c pl:statement ?statement } }
  UNION { ?c rdf:object {it} ; rdf:subject ?cs ; rdf:predicate ?cp ; rdf:object ?co ; a pl:Claim
          OPTIONAL { ?c pl:statement ?statement } }
}"""

_CLAIM = """CONSTRUCT {
  {it} ?p ?o . ?entity rdfs:label ?label .
  ?evidence ?ep ?eo . ?selector ?sp ?so . ?source ?srp ?sro .
} WHERE {
  { {it} ?p ?o }
  UNION { {it} rdf:subject|rdf:object ?entity . ?entity rdfs:label ?label }
  UNION { {it} pl:hasEvidence ?evidence . ?evidence ?ep ?eo }
  UNION { {it} pl:hasEvidence/oa:hasSelector ?selector . ?selector ?sp ?so }
  UNION { {it} pl:hasEvidence/pl:source ?source . ?source ?srp ?sro }
}"""

_QUERIES = {"entity": _ENTITY, "claim": _CLAIM}


def describe(store: Store, iri: str, what: str, format: str = "jsonld") -> bytes:
    """The document about the entity or claim (``what``) with IRI ``iri``, as ``jsonld`` or ``turtle``.

    >>> from painlink.graph.knowledge import Knowledge
    >>> store = Knowledge.shipped().store
    >>> claim = "https://w3id.org/painlink/claim/foot-pain--causes--altered-gait"
    >>> text = describe(store, claim, "claim", "turtle")
    >>> b"pl:Supports" in text and b"oa:exact" in text
    True
    """
    if what not in _QUERIES:
        raise ValueError(f"describe() knows 'entity' and 'claim', not {what!r}")
    if format not in FORMATS:
        raise ValueError(f"describe() writes {', '.join(FORMATS)}, not {format!r}")
    subject = str(ox.NamedNode(iri))  # checks the IRI and writes it as <...>
    triples = list(store.query(_PROLOGUE + _QUERIES[what].replace("{it}", subject)))
    if format == "turtle":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(NAMESPACES))
    return _compact_jsonld(triples, iri)


def _compact_jsonld(triples: list[ox.Triple], main: str) -> bytes:
    # pyoxigraph writes expanded JSON-LD only (no @context); rdflib compacts against a context.
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    document = json.loads(text)
    context = document.pop("@context")
    nodes = document.pop("@graph", [document] if document else [])
    # The resource itself first, then the rest by id, so a reader (and a diff) finds it at once.
    names = {main} | {
        prefix + ":" + main[len(iri) :] for prefix, iri in NAMESPACES.items() if main.startswith(iri)
    }
    nodes.sort(key=lambda node: (node.get("@id") not in names, str(node.get("@id"))))
    document = {"@context": context, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
