"""The map as a person reads it, in a real chromium against a real server: labels a readable size
on the screen at a desktop's and a phone's width, minor labels left out where they would pile up, the
whole map opening on one neighbourhood, a list instead of the drawing on a phone, the drawing kept
in view while a chain is highlighted, and every control reachable and named for the keyboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

READY = "#graph-canvas[data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}

#: The smallest label a reader can take in without leaning in (CSS px on the screen).
READABLE_NODE_PX = 13
READABLE_EDGE_PX = 11

# What vis-network itself will draw: each visible label's font size times the view's scale, and
# the screen boxes of the node labels it draws (as graph.js's crowding rule cannot see them).
DRAWN_LABELS = """() => {
  const g = window.painlinkGraph, scale = g.network.getScale();
  const visible = font => font.color !== 'rgba(0, 0, 0, 0)';
  const nodes = Object.values(g.network.body.nodes).filter(n => n.options.label && visible(n.labelModule.fontOptions));
  const edges = Object.values(g.network.body.edges)
    .filter(e => !e.options.hidden && e.options.label && visible(e.labelModule.fontOptions));
  return {
    total: Object.keys(g.network.body.nodes).length,
    nodePx: nodes.map(n => n.labelModule.fontOptions.size * scale),
    edgePx: edges.map(e => e.labelModule.fontOptions.size * scale),
  };
}"""


def settle(page) -> None:
    """Wait for a zoom's animation to end and the label pass after it (it runs on the next frame)."""
    page.wait_for_timeout(350)
    page.wait_for_function(
        "() => window.painlinkGraph.labels().scale === window.painlinkGraph.network.getScale()", timeout=10_000
    )


def open_graph(page, url: str, viewport=DESKTOP) -> None:
    page.set_viewport_size(viewport)
    assert page.goto(url).status == 200
    page.wait_for_selector(READY, state="attached", timeout=15_000)
    settle(page)


def drawn(page) -> dict:
    return page.evaluate(DRAWN_LABELS)


def test_the_whole_map_opens_on_a_neighbourhood_with_labels_a_person_can_read(page, served, artifacts):
    open_graph(page, served.base_url + "/graph")
    labels = drawn(page)
    assert labels["nodePx"] and min(labels["nodePx"]) >= READABLE_NODE_PX, labels["nodePx"]
    assert labels["edgePx"] and min(labels["edgePx"]) >= READABLE_EDGE_PX, labels["edgePx"]
    # It opens on a part of the map and says so, with the way to all of it.
    note = page.locator("#graph-view-note")
    assert note.is_visible() and "Show the whole drawing" in note.inner_text()
    page.screenshot(path=str(artifacts / "map-opening.png"))

    page.locator("#graph-fit").click()
    settle(page)
    whole = drawn(page)
    # Fitted whole, the labels keep their size on the screen; the minor ones give way instead.
    assert min(whole["nodePx"]) >= READABLE_NODE_PX
    assert 10 <= len(whole["nodePx"]) < whole["total"], (len(whole["nodePx"]), whole["total"])
    assert not note.is_visible()
    page.screenshot(path=str(artifacts / "map-whole.png"))

    # Zooming in brings the left-out labels back.
    page.locator("button[data-graph-zoom='in']").click()
    page.locator("button[data-graph-zoom='in']").click()
    settle(page)
    assert len(drawn(page)["nodePx"]) > len(whole["nodePx"])


def test_a_phone_opens_the_map_as_a_list_and_draws_it_readably_on_request(page, served, knowledge, artifacts):
    open_graph(page, served.base_url + "/graph?focus=sciatic-nerve", PHONE)
    listed = page.locator(".graph-list")
    assert listed.is_visible() and not page.locator("#graph-canvas").is_visible()
    around = knowledge.neighbourhood("sciatic-nerve", depth=1)
    for node in [around.center, *around.nodes]:
        assert listed.locator(f"a[href='/entity/{node.id}']").inner_text() == node.label
    page.screenshot(path=str(artifacts / "map-phone-list.png"))
    page.locator("button[data-graph-view='drawing']").click()
    settle(page)
    assert page.locator("#graph-canvas").is_visible() and not listed.is_visible()
    labels = drawn(page)
    assert labels["nodePx"] and min(labels["nodePx"]) >= READABLE_NODE_PX
    page.screenshot(path=str(artifacts / "map-phone-drawing.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_showing_a_chain_keeps_the_drawing_in_view(page, served, knowledge, viewport):
    result = knowledge.paths("foot-pain", "back-pain")
    open_graph(page, served.base_url + "/graph?from=foot-pain&to=back-pain", viewport)
    page.locator("li[data-path-rank='2'] button.show-path").click()
    settle(page)
    box = page.locator("#graph-canvas").bounding_box()
    window = page.viewport_size["height"]
    # Most of the drawing is in the window (it had been 642 px above it).
    visible = min(box["y"] + box["height"], window) - max(box["y"], 0)
    assert visible >= min(box["height"], window) * 0.6, (box, window)
    ids = result.paths[1].node_ids
    on_screen = page.evaluate(
        """ids => { const g = window.painlinkGraph, c = document.getElementById('graph-canvas');
          return ids.every(id => { const p = g.network.canvasToDOM(g.network.getPosition(id));
            return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }); }""",
        ids,
    )
    assert on_screen, "the highlighted chain runs off the drawing"


def test_the_drawing_is_driven_from_the_keyboard(page, served):
    open_graph(page, served.base_url + "/graph?focus=sciatic-nerve")
    scale = page.evaluate("window.painlinkGraph.network.getScale()")
    zoom_in = page.locator("button[data-graph-zoom='in']")
    zoom_in.focus()
    page.keyboard.press("Enter")
    settle(page)
    assert page.evaluate("window.painlinkGraph.network.getScale()") > scale
    before = page.evaluate("window.painlinkGraph.network.getViewPosition()")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # zoom out, then "move left"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move the view left"
    page.keyboard.press("Enter")
    page.wait_for_timeout(350)
    assert page.evaluate("window.painlinkGraph.network.getViewPosition()")["x"] < before["x"]
    # Every control in the drawing's stage has a name a screen reader can say.
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('.graph-stage button, .graph-stage select, .graph-stage input'))
          .map(el => el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) || el.innerText)"""
    )
    assert names and all(name.strip() for name in names), names
    # The details panel opens from the keyboard (the finder) and Escape closes it, giving the
    # keyboard back where it was.
    page.locator("#node-select").focus()
    page.select_option("#node-select", "sciatica")
    panel = page.locator("#graph-details")
    assert panel.is_visible()
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "node-select"
