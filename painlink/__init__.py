"""painlink: how foot pain and back pain are linked, as a knowledge graph with evidence.

The package is laid out so data flows one way::

    painlink.ontology  (Turtle sources, shapes, QC)  ->  painlink.graph  (store, networkx projection, answers)
        ->  painlink.service  (SPARQL endpoint, JSON API, pages)  and  painlink.cli

Nothing imports "upwards": the ontology knows nothing of the graph engine, the engine nothing of the service.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
