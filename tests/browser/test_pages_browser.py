"""The pages in a real browser (chromium) against a real server: they draw what the graph holds,
highlight and explain paths, find entities, keep hostile text inert, work under their CSP and never
leave the machine (the ``page`` fixture fails a test on any outside request or console error)."""

from __future__ import annotations

import re

import httpx
import pytest

from painlink.cli import main

pytestmark = pytest.mark.browser

READY = "#graph-canvas[data-ready='true']"


def open_graph(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, response.status
    page.wait_for_selector(READY, state="attached", timeout=15_000)


def drawn_node_ids(page) -> list[str]:
    return page.evaluate("window.painlinkGraph.nodes.getIds()")


def highlighted_pairs(page) -> set[tuple[str, str]]:
    edges = page.evaluate(
        "window.painlinkGraph.highlighted().map(id => window.painlinkGraph.edges.get(id))"
        ".map(edge => [edge.from, edge.to])"
    )
    return {tuple(edge) for edge in edges}


# How many entities the server holds, asked over its own SPARQL endpoint (design.md: every entity
# has one of the four kinds as rdf:type).
COUNT_ENTITIES = """PREFIX pl: <https://w3id.org/painlink/vocab#>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
  VALUES ?kind { pl:Symptom pl:AnatomicalStructure pl:Cause pl:Intervention } ?e a ?kind }"""


def test_graph_page_draws_every_entity_the_graph_holds(page, served, knowledge, artifacts):
    reported = httpx.post(served.sparql_url, data={"query": COUNT_ENTITIES},
                          headers={"Accept": "application/sparql-results+json"}, timeout=10)
    reported = int(reported.json()["results"]["bindings"][0]["n"]["value"])
    open_graph(page, served.base_url + "/graph")
    expected = set(knowledge.projection.graph.nodes)
    assert int(page.get_attribute("#graph-canvas", "data-drawn-nodes")) == len(expected) == reported
    assert set(drawn_node_ids(page)) == expected
    # The find menu lists labels, not ids.
    options = page.locator("#node-select option").all_inner_texts()
    assert "sciatic nerve" in options and "sciatic-nerve" not in options
    assert len(options) == len(expected) + 1  # plus "Choose an entity…"
    page.screenshot(path=str(artifacts / "graph.png"))


def test_path_view_highlights_the_best_chain_and_lists_its_evidence(page, served, knowledge, artifacts):
    result = knowledge.paths("foot-pain", "back-pain")
    best, second = result.paths[0], result.paths[1]
    open_graph(page, served.base_url + "/graph?from=foot-pain&to=back-pain")

    assert highlighted_pairs(page) == set(zip(best.node_ids, best.node_ids[1:]))
    first = page.locator("li[data-path-rank='1']")
    assert first.locator(".path-chain").inner_text() == " → ".join(node.label for node in best.nodes)
    listed = first.inner_text()
    for step in best.steps:
        assert step.claim.statement in listed
        for evidence in step.claim.evidence:
            assert evidence.text in listed
    assert first.locator("button.show-path").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(artifacts / "paths.png"), full_page=True)

    page.locator("li[data-path-rank='2'] button.show-path").click()
    assert highlighted_pairs(page) == set(zip(second.node_ids, second.node_ids[1:]))
    assert page.locator("li[data-path-rank='2']").get_attribute("class") == "shown"


def test_search_finds_the_sciatic_nerve(page, served):
    page.goto(served.base_url + "/")
    page.fill("#home-q", "sciatic nerve")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=sciatic"))
    first = page.locator(".results a.result-title").first
    assert first.inner_text() == "sciatic nerve"
    first.click()
    page.wait_for_url(re.compile(r"/entity/sciatic-nerve$"))
    assert page.locator("h1").inner_text() == "Sciatic nerve"


def test_clicking_a_node_offers_its_page_and_its_neighbourhood(page, served):
    open_graph(page, served.base_url + "/graph?focus=sciatic-nerve")
    page.select_option("#node-select", "sciatica")
    panel = page.locator("#graph-details")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "sciatica"
    assert panel.locator("a", has_text="Open its page").get_attribute("href") == "/entity/sciatica"
    assert panel.locator("a", has_text="Draw what is around it").get_attribute("href") == "/graph?focus=sciatica&depth=1"



def test_clicking_a_shape_with_the_mouse_opens_its_details_and_a_double_click_its_page(page, served):
    open_graph(page, served.base_url + "/graph?focus=sciatic-nerve")
    box = page.locator("#graph-canvas").bounding_box()
    spot = page.evaluate(
        "id => { const g = window.painlinkGraph; return g.network.canvasToDOM(g.network.getPositions([id])[id]); }",
        "sciatica",
    )
    # The drawing runs below the fold (900 px window): pressing on it must not scroll the page under
    # the mouse (it did: focusing the drawing scrolled it into view and the click missed the shape).
    assert box["y"] + box["height"] > page.viewport_size["height"]
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    panel = page.locator("#graph-details")
    panel.wait_for(state="visible", timeout=5_000)
    assert page.evaluate("window.scrollY") == 0
    # ... and the keyboard now drives the drawing.
    assert page.evaluate("document.getElementById('graph-canvas').contains(document.activeElement)")
    assert panel.locator("h2").inner_text() == "sciatica"
    assert panel.locator("a", has_text="Draw what is around it").get_attribute("href") == "/graph?focus=sciatica&depth=1"
    page.mouse.dblclick(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_url(re.compile(r"/entity/sciatica$"))
    assert page.locator("h1").inner_text() == "Sciatica"

def hover_node(page, node_id: str) -> None:
    # Red flags open a page, so the drawing may start below the first screenful: scroll to it, as a
    # reader would.
    page.locator("#graph-canvas").scroll_into_view_if_needed()
    box = page.locator("#graph-canvas").bounding_box()
    # The whole map opens on one neighbourhood: bring the entity into the view first, as a reader
    # dragging the drawing would.
    page.evaluate(
        """id => { const g = window.painlinkGraph;
          g.network.moveTo({position: g.network.getPosition(id), scale: g.network.getScale()}); }""",
        node_id,
    )
    spot = page.evaluate(
        "id => { const g = window.painlinkGraph; return g.network.canvasToDOM(g.network.getPositions([id])[id]); }",
        node_id,
    )
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_selector("div.vis-tooltip .hover-card", state="visible", timeout=5_000)


HOSTILE_LABEL = "<img src=x onerror=\"window.__pwned='label'\">"


@pytest.mark.parametrize(
    "path",
    [
        "/entity/hostile-cause",
        "/graph?focus=hostile-cause",
        "/graph?from=hostile-cause&to=back-pain",
        "/search?q=img",
        "/graph",
    ],
)
def test_hostile_text_from_a_data_file_is_shown_and_never_run(page, served, path):
    response = page.goto(served.base_url + path)
    assert response.status == 200
    if path.startswith("/graph"):
        page.wait_for_selector(READY, state="attached", timeout=15_000)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x'], img[src='y'], svg[onload], b[onmouseover]").count() == 0
    # Shown as text (a text node holds the markup literally), not as an element.
    assert HOSTILE_LABEL in page.locator("body").text_content()
    if path.startswith("/graph"):
        options = page.locator("#node-select option").all_inner_texts()
        assert HOSTILE_LABEL in options
        hover_node(page, "hostile-cause")
        card = page.locator("div.vis-tooltip .hover-card")
        assert HOSTILE_LABEL in card.inner_text()
        assert card.locator("img, script, b, svg").count() == 0
        assert page.evaluate("window.__pwned") is None


def test_hover_card_of_a_disputed_claim_shows_both_sides(page, served, knowledge):
    claim = knowledge.claim("orthotic-shoes--relieves--back-pain")
    assert claim.disputed
    open_graph(page, served.base_url + "/graph?focus=orthotic-shoes")
    edge = page.evaluate(
        "() => window.painlinkGraph.edges.get({filter: e => e.claim === 'orthotic-shoes--relieves--back-pain'})[0]"
    )
    assert edge["dashes"] and "disputed" in edge["label"]
    # Its label sits on a background: without one the dashed line showed through the gaps between
    # the words as dots.
    font = page.evaluate("id => window.painlinkGraph.network.body.edges[id].labelModule.fontOptions", edge["id"])
    assert font["background"] == "#ffffff" and font["color"] == "#b3261e"
    page.evaluate("id => window.painlinkGraph.showEdge(id)", edge["id"])
    panel = page.locator("#graph-details")
    text = panel.inner_text()
    assert "disputed" in text
    for evidence in claim.evidence:
        assert evidence.text in text
    assert panel.locator(".stance-contradicts").count() == len(claim.contradicting)



def test_hovering_a_disputed_arrow_shows_its_card_with_both_sides(page, served, knowledge):
    claim = knowledge.claim("orthotic-shoes--relieves--back-pain")
    open_graph(page, served.base_url + "/graph?focus=orthotic-shoes")
    # The middle of the (curved) arrow, as the mouse would find it.
    spot = page.evaluate(
        """() => { const g = window.painlinkGraph;
          const edge = g.edges.get({filter: e => e.claim === 'orthotic-shoes--relieves--back-pain'})[0];
          return g.network.canvasToDOM(g.network.body.edges[edge.id].edgeType.getPoint(0.5)); }"""
    )
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    card = page.locator("div.vis-tooltip .hover-card")
    card.wait_for(state="visible", timeout=5_000)
    text = card.inner_text()
    assert "orthotic shoes relieves back pain" in text and "disputed" in text
    for evidence in claim.evidence:
        assert evidence.text in text
    assert card.locator(".stance-contradicts").count() == len(claim.contradicting)

def test_sparql_editor_runs_an_example_against_the_endpoint(page, served, artifacts):
    response = page.goto(served.base_url + "/sparql", wait_until="load")
    assert response.status == 200
    page.wait_for_selector(".CodeMirror")
    page.locator("button.load-example", has_text="Every claim in words").click()
    page.locator(".yasqe_queryButton").click()
    table = page.locator(".yasr table")
    table.locator("tbody tr").first.wait_for(timeout=15_000)
    assert table.locator("tbody tr").count() > 10
    assert "foot pain" in table.inner_text()
    # Cells keep their padding: the row number and the first value do not run together.
    paddings = page.evaluate(
        "() => Array.from(document.querySelectorAll('.yasr table tbody tr:first-child td'))"
        ".map(td => parseFloat(getComputedStyle(td).paddingLeft) + parseFloat(getComputedStyle(td).paddingRight))"
    )
    assert paddings and min(paddings) >= 8, paddings
    # The user's hostile label comes back in the results: shown as text, never run (the results
    # table puts every value in as text, so not even a blocked inline handler is reported).
    assert HOSTILE_LABEL in table.inner_text()
    assert table.locator("img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(artifacts / "sparql.png"), full_page=True)


# A number, an entity, a claim and a vocabulary term, as a query returns them.
PLAIN_VALUES_QUERY = """PREFIX pl: <https://w3id.org/painlink/vocab#>
PREFIX pli: <https://w3id.org/painlink/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?claim ?object ?predicate (COUNT(?evidence) AS ?evidence_items) WHERE {
  ?claim rdf:subject pli:foot-pain ; rdf:object ?object ; rdf:predicate ?predicate ; pl:hasEvidence ?evidence .
} GROUP BY ?claim ?object ?predicate ORDER BY ?claim"""


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_sparql_results_read_as_plain_values_and_fit_the_screen(page, served, knowledge, viewport, artifacts):
    page.set_viewport_size(viewport)
    page.goto(served.base_url + "/sparql", wait_until="load")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("query => { window.painlinkYasgui.getTab().setQuery(query); }", PLAIN_VALUES_QUERY)
    page.locator(".yasqe_queryButton").click()
    table = page.locator(".yasr table")
    table.locator("tbody tr").first.wait_for(timeout=15_000)
    claims = [claim for claim in knowledge.claims_about("foot-pain") if claim.subject.id == "foot-pain"]
    claims.sort(key=lambda claim: "https://w3id.org/painlink/claim/" + claim.id)
    assert table.locator("tbody tr").count() == len(claims)
    first, row = claims[0], table.locator("tbody tr").first
    cells = row.locator("td")
    # A number as a number, not "1"^^<http://www.w3.org/2001/XMLSchema#integer>.
    assert cells.nth(3).inner_text() == str(len(first.evidence))
    assert "^^" not in table.inner_text() and "XMLSchema" not in table.inner_text()
    # IRIs as CURIEs (the query's own prefixes), linking to painlink's page for them.
    entity = cells.nth(1).locator("a")
    assert entity.inner_text() == f"pli:{first.object.id}"
    assert entity.get_attribute("href") == f"/entity/{first.object.id}"
    # (painlink's own prefixes where the query declares none: plc: here)
    claim = cells.nth(0).locator("a")
    assert (claim.inner_text(), claim.get_attribute("href")) == (f"plc:{first.id}", f"/entity/foot-pain#claim-{first.id}")
    assert cells.nth(2).inner_text().startswith("pl:")
    # The table fits: no sideways scrolling, of the page or of the table.
    assert page.evaluate("document.scrollingElement.scrollWidth - innerWidth") <= 0
    assert page.evaluate(
        "() => { const t = document.querySelector('.yasr table'); return t.scrollWidth <= t.parentElement.clientWidth; }"
    )
    page.screenshot(path=str(artifacts / f"sparql-results-{viewport['width']}.png"), full_page=True)
    # And the editor with its answer passes axe-core (critical and serious).
    from test_accessibility_browser import axe_script, blocking_violations

    assert blocking_violations(page, axe_script()) == []


def test_pages_send_a_strict_content_security_policy(page, served, watch):
    for path in ("/", "/graph", "/entity/foot-pain", "/sparql", "/search?q=foot"):
        response = page.goto(served.base_url + path)
        headers = response.headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    # The policy is enforced: an inline handler slipped into the page as markup does not run, and
    # the browser says it refused it (expected here, so those console errors are not a failure).
    page.goto(served.base_url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<svg onload=\"window.__ran=1\"></svg>')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert any("Content Security Policy" in message for message in watch.console_errors)
    watch.console_errors.clear()


def test_exported_file_draws_the_graph_offline(page, tmp_path, knowledge, hostile_file, artifacts):
    exported = tmp_path / "painlink.html"
    assert main(["--data", str(hostile_file), "export", "--format", "html", "--output", str(exported)]) == 0
    url = exported.as_uri()
    page.allow_file(url)
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=15_000)
    assert set(drawn_node_ids(page)) == set(knowledge.projection.graph.nodes)
    hover_node(page, "foot-pain")
    page.screenshot(path=str(artifacts / "export.png"))


def test_answer_pages_show_who_disagrees_without_scrolling(page, served, knowledge, artifacts):
    """The entity, explain and interventions pages as a clinician would show them (screenshots), with
    what matters in view: the sources against orthotic shoes, named in the first screenful."""
    page.goto(served.base_url + "/interventions?for=back-pain")
    row = page.locator("table.at-a-glance tr.disputed", has_text="orthotic shoes")
    assert row.count() == 1
    claim = knowledge.claim("orthotic-shoes--relieves--back-pain")
    for evidence in claim.contradicting:
        assert evidence.source.title in row.inner_text()
    box = row.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"], "the disagreement is below the fold"
    page.screenshot(path=str(artifacts / "interventions.png"), full_page=True)

    page.goto(served.base_url + "/explain?symptom=foot-numbness&symptom=foot-weakness")
    card = page.locator("ol.path-list > li").first
    heading = card.locator("h2")
    assert heading.bounding_box()["y"] - card.bounding_box()["y"] < 30, "a gap above the first candidate's name"
    page.screenshot(path=str(artifacts / "explain.png"), full_page=True)

    page.goto(served.base_url + "/entity/foot-drop")
    entity = knowledge.entity("foot-drop")
    for mapping in entity.mappings:
        assert page.locator(f"a[href='{mapping.iri}']").inner_text() == mapping.curie
    page.screenshot(path=str(artifacts / "entity.png"), full_page=True)
