"""A two-entity graph for examples and doctests (Turtle)."""

__all__ = ["TINY"]

#: A two-entity graph for examples and doctests.
TINY = """
@prefix pl: <https://w3id.org/painlink/vocab#> . @prefix pli: <https://w3id.org/painlink/id/> .
@prefix plc: <https://w3id.org/painlink/claim/> . @prefix plv: <https://w3id.org/painlink/evidence/> .
@prefix pls: <https://w3id.org/painlink/source/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pl:causes pl:propertyGroup pl:CausalRelation ; pl:causalStrength 1.0 ; rdfs:label "causes"@en .
pli:a a pl:Cause ; rdfs:label "a"@en .  pli:b a pl:Symptom ; rdfs:label "b"@en .
pli:a pl:causes pli:b .
plc:a--causes--b a pl:Claim ; rdf:subject pli:a ; rdf:predicate pl:causes ; rdf:object pli:b ;
    pl:hasEvidence plv:e1 .
plv:e1 a pl:Evidence ; pl:source pls:s ; pl:stance pl:Supports ; pl:summary "a does b" .
pls:s a pl:Source ; pl:sourceKind pl:Guideline .
pl:Guideline a pl:SourceKind ; rdfs:label "guideline" ; pl:evidenceWeight 1.0 ; pl:kindRank 1 .
"""

