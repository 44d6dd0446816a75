"""The examples the pages offer: the home page's questions and the SPARQL editor's queries."""

from __future__ import annotations


__all__ = ["EXAMPLE_QUESTIONS", "SPARQL_EXAMPLES"]


#: The home page's questions, each a link to the page that answers it.
EXAMPLE_QUESTIONS = [
    {"text": "How can foot pain lead to back pain?", "href": "/graph?from=foot-pain&to=back-pain",
     "note": "The chains of causes, step by step, with the article's words at each step."},
    {"text": "What could explain numbness and weakness in the foot?",
     "href": "/explain?symptom=foot-numbness&symptom=foot-weakness",
     "note": "Candidate origins, what each explains, and the signs that tell them apart."},
    {"text": "What helps back pain, and who disagrees?", "href": "/interventions?for=back-pain",
     "note": "Treatments with the evidence for them and against them, side by side."},
]


PREFIXES = """PREFIX pl: <https://w3id.org/painlink/vocab#>
PREFIX pli: <https://w3id.org/painlink/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


SPARQL_EXAMPLES: list[dict[str, str]] = [
    {
        "title": "Every claim in words",
        "note": "Each claim with its subject, relation and object by name, and the statement it makes.",
        "query": PREFIXES + """
SELECT (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object) ?statement WHERE {
  ?claim a pl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pl:statement ?statement .
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
ORDER BY ?subject ?object""",
    },
    {
        "title": "Disputed claims: where the sources disagree",
        "note": "Claims that have evidence supporting them and evidence contradicting them.",
        "query": PREFIXES + """
SELECT (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object)
       (COUNT(DISTINCT ?for) AS ?supporting) (COUNT(DISTINCT ?against) AS ?contradicting)
WHERE {
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         pl:hasEvidence ?for, ?against .
  ?for pl:stance pl:Supports . ?against pl:stance pl:Contradicts .
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
GROUP BY ?s_ ?p_ ?o_""",
    },
    {
        "title": "Ranked chains from foot pain to back pain",
        "note": "painlink's path extension: SERVICE <urn:painlink:paths> runs the causal-path engine inside the "
                "query, one row per step of each chain, best chain first (the same chains as the drawing).",
        "query": PREFIXES + """
SELECT ?path ?step (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object) ?score WHERE {
  SERVICE <urn:painlink:paths> {
    [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:limit 3 ;
       pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:predicate ?p ; pl:object ?o ; pl:score ?score .
  }
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
ORDER BY ?path ?step""",
    },
    {
        "title": "Everything foot pain can lead to",
        "note": "A property path over the causal relations, any number of steps.",
        "query": PREFIXES + """
SELECT DISTINCT (STR(?label) AS ?effect) WHERE {
  pli:foot-pain (pl:causes|pl:contributesTo|pl:mayCause|pl:associatedWith)+ ?e .
  ?e rdfs:label ?label .
}
ORDER BY ?effect""",
    },
]
