"""Painlink's bookkeeping on a remote server: small named values (what was shipped, a version stamp)
kept as triples in one named graph, :data:`RECORDS_GRAPH`, which the store's listings and dumps leave
out. These build the SPARQL that reads and writes one record.

>>> print(record_query("shipped"))
SELECT ?v WHERE { GRAPH <urn:painlink:records> { <urn:painlink:record:shipped> <urn:painlink:record:value> ?v } }
"""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["RECORDS_GRAPH", "record_query", "record_update"]

RECORDS_GRAPH = "urn:painlink:records"
_RECORD_PREFIX = "urn:painlink:record:"


def record_query(name: str) -> str:
    """The SELECT whose one row's ``?v`` is record ``name`` (no row: there is none)."""
    return f"SELECT ?v WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ <{_RECORD_PREFIX}{name}> <{_RECORD_PREFIX}value> ?v }} }}"


def record_update(name: str, data: bytes) -> str:
    """The update that sets record ``name`` to ``data`` (UTF-8 text), replacing what it held."""
    subject = f"<{_RECORD_PREFIX}{name}>"
    value = ox.Literal(data.decode())
    return (
        f"DELETE WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ {subject} <{_RECORD_PREFIX}value> ?v }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{RECORDS_GRAPH}> {{ {subject} <{_RECORD_PREFIX}value> {value} }} }}"
    )
