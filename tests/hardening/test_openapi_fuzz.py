"""Schema-driven fuzzing: schemathesis generates requests from the app's own OpenAPI document (valid
and invalid parameters, bodies and media types for every operation) and checks every answer: never a
server error, a status the document declares, a content type it declares, and a body that conforms
to the declared schema.

The app runs in-process over ASGI (schemathesis's documented ``schemathesis.openapi.from_asgi`` with
``@schema.parametrize()`` and ``case.call_and_validate``); the example count per operation is kept
small so the file stays fast on two cores.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from clients import app_for
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi
from servers import TOKEN


def _text_or(*samples: str) -> st.SearchStrategy[bytes]:
    """Bodies for a media type schemathesis cannot generate itself: some well-formed samples, and any
    text at all (which is usually malformed), as UTF-8 bytes."""
    return st.one_of(st.sampled_from(samples), st.text(max_size=200)).map(str.encode)


schemathesis.openapi.media_type(
    "application/sparql-query",
    _text_or("ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "SELECT"),
)
schemathesis.openapi.media_type(
    "application/sparql-update",
    # Only updates that add to a graph of their own: the shipped graph the API answers from stays.
    _text_or("INSERT DATA { GRAPH <urn:fuzz> { <urn:a> <urn:b> 1 } }", "CLEAR GRAPH <urn:fuzz>", "INSERT"),
)
schemathesis.openapi.media_type(
    "application/n-triples", _text_or("<urn:a> <urn:b> <urn:c> .\n", '<urn:a> <urn:b> "x"@en .\n', "<urn:a> .")
)
APP = app_for(query_timeout=3)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module", autouse=True)
def _stop_the_app() -> Iterator[None]:
    yield
    # schemathesis starts the app's lifespan on first use and keeps it for the process; stop it here
    # so the query worker process does not outlive this module.
    asgi.shutdown_lifespans()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_within_its_schema(case: schemathesis.Case) -> None:
    # Additions (POST) carry the token so their bodies reach the parser; PUT and DELETE do not, so the
    # shipped graph the API answers from is never replaced while the fuzzing goes on.
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
    case.call_and_validate(headers=headers, checks=CHECKS)
