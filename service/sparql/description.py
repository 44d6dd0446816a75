"""The SPARQL 1.1 Service Description of ``/sparql`` (``GET /sparql`` without a query), negotiated;
``sd:endpoint`` is the configured address, ``Settings.public_url``, never the Host header."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from painlink.service.errors import NotAcceptable
from painlink.service.formats import FORMAT_IRIS, GRAPH_OFFERS, W3C_FORMATS
from painlink.service.negotiation import negotiate
from painlink.service.results import write_triples
from painlink.service.settings import Settings

__all__ = ["MAX_DESCRIBED_GRAPHS", "SD", "endpoint_address", "endpoint_of", "service_description", "service_description_response"]

#: The Service Description vocabulary.
SD = "http://www.w3.org/ns/sparql-service-description#"


def endpoint_address(request: Request) -> str:
    """The endpoint's canonical address (Settings.base_url): never the client's Host header."""
    return endpoint_of(request.app.state.settings)


def endpoint_of(settings: Settings) -> str:
    """The endpoint's canonical address under these settings."""
    return settings.base_url + "/sparql"


#: Named graphs listed in the description at most (a user's store may hold very many).
MAX_DESCRIBED_GRAPHS = 1000


def service_description(endpoint: str, *, updates: bool, federated: bool, named_graphs: Sequence[str]) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, as triples.

    >>> triples = service_description("http://127.0.0.1:8000/sparql", updates=False, federated=False, named_graphs=[])
    >>> sorted({t.object.value for t in triples if t.predicate.value.endswith("supportedLanguage")})
    ['http://www.w3.org/ns/sparql-service-description#SPARQL11Query']
    >>> [t.object.value for t in triples if t.predicate.value.endswith("#endpoint")]
    ['http://127.0.0.1:8000/sparql']
    """
    sd = lambda name: ox.NamedNode(SD + name)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default_graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/title"),
            ox.Literal("painlink: how foot pain and back pain are linked (SPARQL 1.1 endpoint)"),
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, rdf_type, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if federated:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for key in FORMAT_IRIS:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMAT_IRIS[key])))
    for number, name in enumerate(named_graphs[:MAX_DESCRIBED_GRAPHS]):
        node = ox.BlankNode(f"graph{number}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, sd("name"), ox.NamedNode(name))]
    return triples


async def service_description_response(request: Request, accept: str | None) -> Response:
    offer = negotiate(accept, list(GRAPH_OFFERS))
    if offer is None:
        raise NotAcceptable(
            f"cannot send the service description in any format the request accepts (Accept: {accept})",
            offered=list(GRAPH_OFFERS),
        )
    settings = request.app.state.settings
    triples = service_description(
        endpoint_address(request),
        updates=settings.updates_enabled,
        federated=settings.allow_service,
        named_graphs=await asyncio.to_thread(request.app.state.store.named_graphs),
    )
    body = write_triples(triples, GRAPH_OFFERS[offer], max_rows=len(triples), prefixes={"sd": SD, "formats": W3C_FORMATS})
    return Response(body, media_type=offer, headers={"Vary": "Accept"})
