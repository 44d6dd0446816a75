"""The pages over HTTP (the real app, in-process): what each page says, its 4xx answers, its security
headers, the static files, the cap on large graphs and the standalone export. What a browser does with
them is in tests/browser/."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from clients import client_for
from fastapi.testclient import TestClient
from markupsafe import escape

from painlink.graph.knowledge import Knowledge
from painlink.service.pages import MAX_DRAWN_NODES, SPARQL_EXAMPLES, standalone_html

HOSTILE = Path(__file__).parents[2] / "browser" / "fixtures" / "hostile.ttl"
HOSTILE_LABEL = "<img src=x onerror=\"window.__pwned='label'\">"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def serve(data: list[Path]) -> Iterator[TestClient]:
    with client_for(update_token=None, data=data) as client:
        yield client


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    yield from serve([HOSTILE])


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.shipped([HOSTILE])


def graph_data(page: str) -> dict:
    """The JSON block a graph page carries for graph.js."""
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL)
    assert block, "no graph data block"
    return json.loads(block.group(1))


def notice(page: str) -> str:
    found = re.search(r'<p class="notice[^"]*"[^>]*>(.*?)</p>', page, re.DOTALL)
    return html.unescape(found.group(1)) if found else ""


PAGES = [
    "/",
    "/graph",
    "/graph?focus=sciatic-nerve&depth=2",
    "/graph?from=foot-pain&to=back-pain",
    "/entity/foot-pain",
    "/search?q=sciatic",
    "/explain?symptom=foot-numbness&symptom=foot-weakness",
    "/interventions?for=back-pain",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_security_headers_and_only_local_assets(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    # Every script and stylesheet comes from this server; no inline script runs.
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", response.text):
        for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
            assert url.startswith("/static/") or url == "data:,", tag
    assert not re.search(r"<script>(?!\s*</script>)", response.text), "an inline script"


def test_home_counts_what_the_graph_holds_and_links_its_questions(client, knowledge):
    page = client.get("/").text
    projection = knowledge.projection
    disputed = sum(1 for claim in projection.claims.values() if claim.disputed)
    assert (f"The map holds {projection.graph.number_of_nodes()} entities and {len(projection.claims)} claims, "
            f"{disputed} of them disputed.") in page
    questions = re.findall(r'<ul class="questions">(.*?)</ul>', page, re.DOTALL)[0]
    links = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', questions)]
    assert links == ["/graph?from=foot-pain&to=back-pain", "/explain?symptom=foot-numbness&symptom=foot-weakness",
                     "/interventions?for=back-pain"]
    for link in links:
        assert client.get(link).status_code == 200


def test_graph_page_carries_every_entity_and_relation(client, knowledge):
    data = graph_data(client.get("/graph").text)
    graph = knowledge.projection.graph
    assert {node["id"] for node in data["nodes"]} == set(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()
    by_claim = {edge["claim"]: edge for edge in data["edges"] if edge["claim"]}
    disputed = by_claim["orthotic-shoes--relieves--back-pain"]
    assert disputed["dashes"] and disputed["disputed"] and "disputed" in disputed["label"]
    assert {item["stance"] for item in disputed["evidence"]} == {"supports", "contradicts"}
    # Its words in the contradicting colour, the others in the default one.
    assert {edge["claim"] for edge in data["edges"] if edge.get("font", {}).get("color") == "#b3261e"} == {
        claim.id for claim in knowledge.projection.claims.values() if claim.disputed
    }
    # Colour and shape by kind.
    shapes = {node["kind"]: node["shape"] for node in data["nodes"]}
    assert shapes == {"symptom": "dot", "anatomy": "square", "cause": "diamond", "intervention": "triangle"}



def test_graph_pages_name_the_disputed_claims_above_the_drawing(client, knowledge):
    page = client.get("/graph").text
    summary = re.search(r'<p class="disputed-summary">(.*?)</p>', page, re.DOTALL)
    assert summary and summary.start() < page.index('id="graph-canvas"')
    links = {html.unescape(href) for href in re.findall(r'href="([^"]+)"', summary.group(1))}
    disputed = [claim for claim in knowledge.projection.claims.values() if claim.disputed]
    assert links == {f"/entity/{quote(c.subject.id, safe='')}#claim-{quote(c.id, safe='')}" for c in disputed}
    # Each link lands on the claim, with its evidence for and against, on the subject's page.
    entity_page = client.get("/entity/orthotic-shoes").text
    assert 'id="claim-orthotic-shoes--relieves--back-pain" class="disputed"' in entity_page
    # A view without a disputed claim says nothing about disputes.
    assert "disputed-summary" not in client.get("/graph?from=foot-pain&to=back-pain").text

def test_path_page_lists_the_ranked_chains_with_their_evidence(client, knowledge):
    result = knowledge.paths("foot-pain", "back-pain")
    page = client.get("/graph?from=foot pain&to=Back Pain").text  # names, not only ids
    text = html.unescape(page)
    chains = re.findall(r'<p class="path-chain">(.*?)</p>', text)
    assert chains == [" → ".join(node.label for node in path.nodes) for path in result.paths]
    for step in result.paths[0].steps:
        for evidence in step.claim.evidence:
            assert evidence.text in text
    data = graph_data(page)
    on_best = {(edge["from"], edge["to"]) for edge in data["edges"] if 1 in edge["paths"]}
    assert on_best == set(zip(result.paths[0].node_ids, result.paths[0].node_ids[1:]))


def test_entity_page_shows_mappings_as_links_and_every_claim(client, knowledge):
    entity = knowledge.entity("back-pain")
    page = html.unescape(client.get("/entity/back-pain").text)
    for mapping in entity.mappings:
        assert f'<a href="{mapping.iri}" rel="noopener noreferrer">{mapping.curie}</a>' in page
    for claim in knowledge.claims_about("back-pain"):
        assert f'id="claim-{claim.id}"' in page
    assert "/graph?focus=back-pain&amp;depth=1" in client.get("/entity/back-pain").text
    # The label starts the heading with a capital, the rest as the ontology writes it.
    assert "<h1>Back pain</h1>" in page
    assert "<h1>L5 nerve root compression</h1>" in client.get("/entity/l5-nerve-root-compression").text



def test_explain_page_keeps_candidates_that_reach_only_a_broader_term_apart(client, knowledge):
    result = knowledge.explain(["foot-numbness", "foot-weakness"], limit=50)
    specific = [e.cause.id for e in result.explanations]
    general = [e.cause.id for e in result.unspecific]
    assert specific and general  # the shipped map has both kinds for these two symptoms
    page = client.get("/explain?symptom=foot-numbness&symptom=foot-weakness&limit=50").text
    split = page.index('<section class="general-candidates"')
    assert re.findall(r'<h2><a href="/entity/([^"]+)"', page[:split]) == specific
    assert re.findall(r'<h2><a href="/entity/([^"]+)"', page[split:]) == general
    broader = sorted({how.via.label for e in result.unspecific for how in e.unspecific if how.via})
    assert f"Unspecific: only through a broader term ({', '.join(broader)})" in page
    # Unspecific candidates are not scored: they explain none of the symptoms.
    assert 'class="score">score' not in page[split:].split("</section>")[0]
    # Every specific candidate comes before the first unspecific one.
    assert "lower-back-problem" in specific and "back-injury" in general


def test_explain_page_says_when_more_candidates_exist_and_shows_them_on_request(client, knowledge):
    address = "/explain?symptom=foot-numbness&symptom=foot-weakness"
    everyone = knowledge.explain(["foot-numbness", "foot-weakness"], limit=50)
    total = len(everyone.explanations) + len(everyone.unspecific)
    assert total > 3  # the shipped map has more candidates than the short page below shows
    page = client.get(address + "&limit=3").text
    assert len(re.findall(r'<h2><a href="/entity/', page)) == 3
    assert "Showing the 3 strongest candidates; weaker ones exist" in page
    more = html.unescape(re.search(r'<a href="([^"]+)">show more</a>', page).group(1))
    assert more == address + "&limit=6"
    everything = client.get(address + "&limit=50").text
    assert len(re.findall(r'<h2><a href="/entity/', everything)) == total
    assert "weaker ones exist" not in everything


def test_interventions_page_says_who_disagrees_at_a_glance_and_weighs_each_claim_alone(client, knowledge):
    result = knowledge.interventions("back-pain")
    page = html.unescape(client.get("/interventions?for=back-pain").text)
    table = re.search(r'<table class="at-a-glance">(.*?)</table>', page, re.DOTALL)
    assert table and table.start() < page.index('<ol class="path-list">'), "no summary before the details"
    rows = re.findall(r"<tr( class=\"disputed\")?>(.*?)</tr>", table.group(1), re.DOTALL)
    disputed = [(marked, text) for marked, text in rows if "relieves back pain" in text and "orthotic shoes" in text]
    assert len(disputed) == 1 and disputed[0][0], rows
    against = re.findall(r"<td[^>]*>(.*?)</td>", disputed[0][1], re.DOTALL)[-1]
    claim = knowledge.claim("orthotic-shoes--relieves--back-pain")
    assert claim.contradicting
    for evidence in claim.contradicting:
        assert evidence.source.title in against  # who disagrees, named in the table
    # Each claim's evidence on its own: support for relieving foot pain is not counted for back pain.
    for answer in result.interventions:
        for action in answer.acts_on:
            heading = f"{answer.intervention.label} {action.claim.predicate_label} {action.node.label}"
            after = page.split(f"<h3>{heading}", 1)[1]
            section = re.split(r'<section class="acts-on">|<li id="intervention-|</ol>', after, maxsplit=1)[0]
            assert f"Evidence for ({len(action.claim.supporting)})" in section
            assert f"Evidence against ({len(action.claim.contradicting)})" in section
            for evidence in action.claim.evidence:
                assert evidence.text in section

def test_search_page_finds_by_synonym(client):
    page = html.unescape(client.get("/search", params={"q": "trouble lifting"}).text)
    assert '<a class="result-title" href="/entity/foot-drop">foot drop</a>' in page


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/entity/sciatc", 404, "The map has nothing called “sciatc”."),
        ("/graph?focus=nowhere", 404, "The map has nothing called “nowhere”."),
        ("/graph?focus=foot-pain&depth=9", 400, "“depth” must be a whole number from 1 to 3, not “9”."),
        ("/graph?focus=foot-pain&depth=two", 400, "“depth” must be a whole number from 1 to 3, not “two”."),
        ("/graph?from=foot-pain", 400, "To draw chains, give both ends"),
        ("/graph?focus=foot-pain&from=foot-pain&to=back-pain", 400, "not both"),
        ("/graph?focus=a&focus=b", 400, "The parameter “focus” was given 2 times"),
        ("/graph?from=foot-pain&to=back-pain&max_length=0", 400, "“max_length” must be a whole number"),
        ("/graph?from=foot-pain&to=foot-pain", 400, ""),
        ("/search", 400, "Type a word to search for"),
        ("/search?q=" + "x" * 300, 400, "at most 200 characters"),
        ("/explain?symptom=foot-numbness&limit=0", 400, "“limit” must be a whole number from 1 to 50"),
        ("/static/../pages.py", 404, ""),
        ("/static/%2e%2e/pages.py", 404, "There is no file called"),
        ("/static/README.html", 404, ""),
        ("/no/such/page", 404, "There is nothing at /no/such/page"),
    ],
)
def test_bad_requests_get_a_page_that_says_what_was_wrong(client, path, status, says):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text and "Traceback" not in response.text
    assert says in notice(response.text)


def test_unknown_entity_page_suggests_the_closest_names(client):
    page = client.get("/entity/sciatc").text
    assert '<a href="/entity/sciatic%20nerve">sciatic nerve</a>' in page
    # a plain typo is understood: the page of the entity meant
    assert "<h1>Sciatic nerve</h1>" in client.get("/entity/sciatic nerv").text


def test_static_files_are_served_with_their_types(client):
    script = client.get("/static/vis-network/vis-network.min.js")
    assert script.status_code == 200 and script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/yasgui/yasgui.min.css").headers["content-type"] == "text/css; charset=utf-8"
    assert "MIT License" in client.get("/static/vis-network/LICENSE-MIT").text


def test_sparql_in_a_browser_is_the_editor(client):
    response = client.get("/sparql", headers=BROWSER)
    assert response.status_code == 200
    assert '<script src="/static/yasgui/yasgui.min.js"></script>' in response.text
    assert "script-src 'self';" in response.headers["content-security-policy"]
    # A query in the address goes into the editor, escaped for its JSON block.
    query = 'SELECT * WHERE { ?s ?p "</script>" }'
    page = client.get("/sparql", params={"query": query}, headers=BROWSER).text
    block = re.search(r'<script type="application/json" id="sparql-initial">(.*?)</script>', page, re.DOTALL)
    assert json.loads(block.group(1)) == query


def test_hostile_text_is_escaped_on_every_page(client):
    for path in ("/entity/hostile-cause", "/graph?focus=hostile-cause", "/graph?from=hostile-cause&to=back-pain",
                 "/search?q=img", "/graph"):
        page = client.get(path).text
        assert HOSTILE_LABEL not in page  # never as markup ...
        assert str(escape(HOSTILE_LABEL)) in page  # ... but as text
        assert "<script>window.__pwned" not in page and "<svg onload" not in page
        data = re.search(r'id="graph-data">(.*?)</script>', page, re.DOTALL)
        if data:
            assert "<" not in data.group(1)  # nothing in the JSON block can end it


def test_a_graph_too_large_to_draw_is_capped_with_a_message(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text(_chain_of_entities(MAX_DRAWN_NODES + 40), encoding="utf-8")
    for client in serve([big]):
        knowledge = Knowledge(client.app.state.store)
        total_nodes = knowledge.projection.graph.number_of_nodes()
        page = client.get("/graph").text
        data = graph_data(page)
        assert len(data["nodes"]) == MAX_DRAWN_NODES
        message = notice(page)
        assert f"This view holds {total_nodes:,} entities" in message
        assert f"leaves out {total_nodes - MAX_DRAWN_NODES:,} entities" in message
        assert "/graph?focus=ID&depth=1" in message
        # A focused view of the same graph stays whole and small.
        around = graph_data(client.get("/graph?focus=big-1&depth=1").text)
        assert {node["id"] for node in around["nodes"]} == {"big-0", "big-1", "big-2"}


def _chain_of_entities(count: int) -> str:
    """A valid user file: ``count`` causes in a chain, each claim with cited evidence."""
    lines = [
        "@prefix pl: <https://w3id.org/painlink/vocab#> . @prefix pli: <https://w3id.org/painlink/id/> .",
        "@prefix plc: <https://w3id.org/painlink/claim/> . @prefix plv: <https://w3id.org/painlink/evidence/> .",
        "@prefix pls: <https://w3id.org/painlink/source/> . @prefix biolink: <https://w3id.org/biolink/vocab/> .",
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix schema: <https://schema.org/> .",
        'pls:big-page a pl:Source ; dcterms:title "Big test page" ; schema:url <https://example.org/big> ; pl:sourceKind pl:PracticePage .',
    ]
    for n in range(count):
        lines.append(f'pli:big-{n} a pl:Cause ; rdfs:label "big cause {n}"@en ; '
                     f'skos:definition "A made-up cause for the capping test."@en ; biolink:category biolink:Disease .')
        if n:
            lines.append(
                f"pli:big-{n - 1} pl:causes pli:big-{n} . plc:big-{n - 1}--causes--big-{n} a pl:Claim ; "
                f"rdf:subject pli:big-{n - 1} ; rdf:predicate pl:causes ; rdf:object pli:big-{n} ; "
                f'pl:statement "Big cause {n - 1} causes big cause {n}." ; pl:hasEvidence plv:big-{n} . '
                f'plv:big-{n} a pl:Evidence ; pl:source pls:big-page ; pl:stance pl:Supports ; '
                f'pl:citedClaim "B{n}" ; pl:summary "Test summary {n}." .'
            )
    return "\n".join(lines) + "\n"


def test_standalone_export_inlines_everything_and_allows_only_its_own_blocks(knowledge):
    document = standalone_html(knowledge, focus="sciatic nerve")
    assert not re.search(r'<(?:script|link)\b[^>]*\b(?:src|href)=', document), "an external asset"
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', document).group(1)
    inline = re.findall(r"<(script|style)>(.*?)</\1>", document, re.DOTALL)
    assert {kind for kind, _ in inline} == {"script", "style"}
    for kind, body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.split(f"{kind}-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in policy
    data = graph_data(document)
    assert "sciatic-nerve" in {node["id"] for node in data["nodes"]}
    assert html.escape("sciatic nerve") in document


@pytest.mark.parametrize("example", SPARQL_EXAMPLES, ids=lambda example: example["title"])
def test_every_example_query_of_the_editor_page_answers(client, example):
    response = client.post("/sparql", data={"query": example["query"]},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], "the example returns nothing"


def test_the_path_example_returns_the_chains_the_drawing_shows(client, knowledge):
    example = next(item for item in SPARQL_EXAMPLES if "urn:painlink:paths" in item["query"])
    rows = client.post("/sparql", data={"query": example["query"]},
                       headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    best = knowledge.paths("foot-pain", "back-pain").paths[0]
    first = [row for row in rows if row["path"]["value"] == "1"]
    assert [row["subject"]["value"] for row in first] + [first[-1]["object"]["value"]] == [n.label for n in best.nodes]


@pytest.mark.parametrize(
    ("bare", "field", "answer"),
    [("/explain", "symptom", "/explain?symptom=foot+drop"), ("/interventions", "for", "/interventions?for=sciatica")],
)
def test_a_bare_question_page_is_its_form_and_a_filled_form_is_an_address(client, bare, field, answer):
    page = client.get(bare)
    assert page.status_code == 200
    assert f'action="{bare}" method="get"' in page.text and f'name="{field}"' in page.text
    # autocomplete offers labels and the words people use
    assert '<option value="drop foot">' in page.text and '<option value="foot drop">' in page.text
    assert client.get(answer).status_code == 200


def test_home_and_entity_pages_lead_to_the_questions(client):
    home = client.get("/").text
    for action in ('action="/explain"', 'action="/interventions"', 'action="/graph"'):
        assert action in home
    entity = client.get("/entity/foot-drop").text
    assert 'href="/explain?symptom=foot-drop"' in entity and 'href="/interventions?for=foot-drop"' in entity
